import type { Kysely } from 'kysely';
import { z } from 'zod';
import { startBreakGlassAccess, startBreakGlassSearch, listBreakGlassForReview, reviewBreakGlass } from '../../access/break-glass.service.js';
import type { DB } from '../../db/schema.js';
import { searchPeople, searchWholePartnership } from '../../people/people.service.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import { formErrors } from '../form-errors.js';
import type { RouteDef } from './route.js';

const queryFields = {
  name: z.string().trim().max(200, 'Name must be 200 characters or fewer').optional(),
  dateOfBirth: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Enter the date of birth as year-month-day, like 2019-03-27')
    .optional(),
  nhsNumber: z
    .string()
    .trim()
    .regex(/^(\d{3}\s?\d{3}\s?\d{4})?$/, 'Enter a 10-digit NHS number')
    .optional(),
  postcode: z.string().trim().max(10, 'Enter a postcode, like NS1 4AB').optional(),
};
const searchQuery = z.object(queryFields);
const reasonField = z.string().trim().min(10, 'Enter a reason of at least 10 characters: what is the emergency?').max(2000, 'Reason must be 2,000 characters or fewer');
const breakGlassSearchForm = z.object({ ...queryFields, reason: reasonField });
const breakGlassAccessForm = z.object({ personId: z.string().uuid('Choose the person to open'), reason: reasonField });
const reviewForm = z.object({
  outcome: z.enum(['appropriate', 'inappropriate'], { message: 'Select whether the use was appropriate' }),
  note: z.string().trim().min(1, 'Enter a note about your review').max(2000, 'Note must be 2,000 characters or fewer'),
});

const SEARCHERS = guard.role('practitioner', 'manager', 'front-door');

/** Finding a person, and break-glass: emergency search and access, and their review. */
export function searchRoutes(db: Kysely<DB>): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/search',
      guard: SEARCHERS,
      handler: async (req, res) => {
        const parsed = searchQuery.safeParse(req.query);
        if (!parsed.success) return res.status(400).render('pages/search.njk', { values: req.query, errors: formErrors(parsed.error), navSection: 'search' });
        const searched = Boolean(parsed.data.name || parsed.data.dateOfBirth || parsed.data.nhsNumber || parsed.data.postcode);
        const results = searched ? await searchPeople(db, actorContext(req, 'find a person'), parsed.data) : [];
        res.render('pages/search.njk', { values: parsed.data, results, searched, navSection: 'search' });
      },
    },
    {
      method: 'get',
      path: '/break-glass',
      guard: SEARCHERS,
      handler: (req, res) => res.render('pages/break-glass.njk', { values: searchQuery.safeParse(req.query).data ?? {}, navSection: 'search' }),
    },
    {
      method: 'post',
      path: '/break-glass/search',
      guard: SEARCHERS,
      handler: async (req, res) => {
        const parsed = breakGlassSearchForm.safeParse(req.body);
        if (!parsed.success) return res.status(400).render('pages/break-glass.njk', { values: req.body, errors: formErrors(parsed.error), navSection: 'search' });
        const ctx = actorContext(req, `break-glass: ${parsed.data.reason}`);
        const id = await startBreakGlassSearch(db, ctx, parsed.data.reason);
        const results = await searchWholePartnership(db, ctx, parsed.data, id);
        res.render('pages/break-glass.njk', { values: parsed.data, results, searched: true, navSection: 'search' });
      },
    },
    {
      method: 'post',
      path: '/break-glass/access',
      guard: SEARCHERS,
      handler: async (req, res) => {
        const parsed = breakGlassAccessForm.safeParse(req.body);
        if (!parsed.success) return res.status(400).render('pages/break-glass.njk', { values: req.body, errors: formErrors(parsed.error), navSection: 'search' });
        await startBreakGlassAccess(db, actorContext(req, `break-glass: ${parsed.data.reason}`), parsed.data.personId, parsed.data.reason);
        res.redirect(303, `/people/${parsed.data.personId}`);
      },
    },
    {
      method: 'get',
      path: '/break-glass/review',
      guard: guard.role('manager', 'admin'),
      handler: async (req, res) => {
        const uses = await listBreakGlassForReview(db, actorContext(req, 'review break-glass'));
        res.render('pages/break-glass-review.njk', { uses, navSection: 'review' });
      },
    },
    {
      method: 'post',
      path: '/break-glass/review/:id',
      guard: guard.role('manager', 'admin'),
      handler: async (req, res) => {
        const parsed = reviewForm.safeParse(req.body);
        const ctx = actorContext(req, 'review break-glass');
        if (!parsed.success) {
          const uses = await listBreakGlassForReview(db, ctx);
          return res.status(400).render('pages/break-glass-review.njk', { uses, errors: formErrors(parsed.error), failedId: req.params.id, values: req.body, navSection: 'review' });
        }
        await reviewBreakGlass(db, ctx, { breakGlassId: String(req.params.id), ...parsed.data });
        res.redirect(303, '/break-glass/review');
      },
    },
  ];
}
