import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any fixed number will do; every Throughline process uses the same one, so two never migrate at once.
const MIGRATION_LOCK_KEY = 7_447_001;

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** The numbered `.sql` files in src/db/migrations, in order. */
export function listMigrations(): MigrationFile[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/**
 * Applies every pending migration, each file in its own transaction, holding a PostgreSQL advisory
 * lock for the whole run. Refuses to continue when an applied file has been edited since.
 */
export async function migrate(db: Kysely<DB>, onApplied: (name: string) => void = () => {}): Promise<string[]> {
  const files = listMigrations();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        version text primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null
      )`.execute(conn);
      const applied = new Map(
        (await conn.selectFrom('schema_migrations').selectAll().execute()).map((row) => [row.version, row]),
      );
      const done: string[] = [];
      for (const file of files) {
        const previous = applied.get(file.version);
        if (previous) {
          if (previous.checksum !== file.checksum) {
            throw new Error(`Migration ${file.name} was changed after it was applied; add a new migration instead.`);
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(file.sql).execute(trx);
          await trx
            .insertInto('schema_migrations')
            .values({ version: file.version, name: file.name, checksum: file.checksum, applied_at: new Date() })
            .execute();
        });
        done.push(file.name);
        onApplied(file.name);
      }
      return done;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Which migrations are applied and which are waiting (used by /health). */
export async function migrationStatus(db: Kysely<DB>): Promise<MigrationStatus> {
  const files = listMigrations();
  let appliedVersions = new Set<string>();
  try {
    const rows = await db.selectFrom('schema_migrations').select('version').execute();
    appliedVersions = new Set(rows.map((r) => r.version));
  } catch {
    // No migrations table yet: nothing is applied.
  }
  return {
    applied: files.filter((f) => appliedVersions.has(f.version)).map((f) => f.name),
    pending: files.filter((f) => !appliedVersions.has(f.version)).map((f) => f.name),
  };
}
