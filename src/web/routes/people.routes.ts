import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { getPerson } from '../../people/people.service.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import type { RouteDef } from './route.js';

// Stable, bookmarkable addresses for a person. Family and chronology are filled by later issues;
// each page already reads the person through the door, so access is checked and audited.
const PAGES = [
  { path: '/people/:id', view: 'pages/person.njk', section: 'summary' },
  { path: '/people/:id/family', view: 'pages/person-family.njk', section: 'family' },
  { path: '/people/:id/chronology', view: 'pages/person-chronology.njk', section: 'chronology' },
] as const;

/** A person's pages. */
export function peopleRoutes(db: Kysely<DB>): RouteDef[] {
  return PAGES.map((page) => ({
    method: 'get' as const,
    path: page.path,
    guard: guard.signedIn,
    handler: async (req, res) => {
      const person = await getPerson(db, actorContext(req), String(req.params.id));
      res.render(page.view, { person, section: page.section });
    },
  }));
}
