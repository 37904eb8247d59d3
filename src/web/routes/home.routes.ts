import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { listHome } from '../../people/people.service.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import type { RouteDef } from './route.js';

/** The home page: "My work" — allocated people, the front-door queue, recently viewed. */
export function homeRoutes(db: Kysely<DB>): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/',
      guard: guard.signedIn,
      handler: async (req, res) => {
        const lists = await listHome(db, actorContext(req));
        res.render('pages/home.njk', { ...lists, navSection: 'home' });
      },
    },
  ];
}
