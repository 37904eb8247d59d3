import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { migrationStatus } from '../../db/migrate.js';
import type { DB } from '../../db/schema.js';
import { guard } from '../middleware/guards.middleware.js';
import type { RouteDef } from './route.js';

/** GET /health: 200 with {"status":"ok",...} when the database answers and no migration is pending, else 503. */
export function healthRoutes(db: Kysely<DB>): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/health',
      guard: guard.public,
      handler: async (_req, res) => {
        let database: 'ok' | 'unreachable' = 'ok';
        let migrations: 'current' | 'pending' | 'unknown' = 'unknown';
        try {
          await sql`select 1`.execute(db);
          migrations = (await migrationStatus(db)).pending.length === 0 ? 'current' : 'pending';
        } catch {
          database = 'unreachable';
        }
        const healthy = database === 'ok' && migrations === 'current';
        res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', database, migrations });
      },
    },
  ];
}
