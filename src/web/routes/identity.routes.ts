import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { decideReviewPair, getReviewPair, listReviewQueue, separateRecord, undoMerge } from '../../identity/identity.service.js';
import { NotFoundError } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import { formErrors } from '../form-errors.js';
import type { RouteDef } from './route.js';
import type { EvaluationJobs } from '../../jobs/job-queue.js';

const RESOLVERS = guard.role('front-door');

const recordKey = z.string().min(1).max(500);
const decisionForm = z
  .object({
    a: recordKey,
    b: recordKey,
    decision: z.enum(['same', 'different', 'ask'], { message: 'Select whether these are the same person' }),
    reason: z.string().trim().max(2000, 'Reason must be 2,000 characters or fewer').optional(),
  })
  .refine((v) => v.decision !== 'ask' || (v.reason ?? '').length > 0, { message: 'Enter who to ask, and what would settle it', path: ['reason'] });

const reasonForm = z.object({ reason: z.string().trim().min(5, 'Enter why, in a few words').max(2000, 'Reason must be 2,000 characters or fewer') });
const separateForm = reasonForm.extend({ record: recordKey });

/** The review queue (who is who), and undoing a merge or separating a record from a person's page. */
export function identityRoutes(db: Kysely<DB>, jobs: EvaluationJobs): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/identity/review',
      guard: RESOLVERS,
      handler: async (req, res) => {
        const pairs = await listReviewQueue(db, actorContext(req, 'review who is who'));
        res.render('pages/identity-review.njk', { pairs, navSection: 'identity', decided: req.query.decided });
      },
    },
    {
      method: 'get',
      path: '/identity/review/pair',
      guard: RESOLVERS,
      handler: async (req, res) => {
        const parsed = z.object({ a: recordKey, b: recordKey }).safeParse(req.query);
        if (!parsed.success) throw new NotFoundError();
        const pair = await getReviewPair(db, actorContext(req, 'review who is who'), parsed.data.a, parsed.data.b);
        if (!pair) return res.redirect(303, '/identity/review');
        res.render('pages/identity-pair.njk', { pair, values: {}, navSection: 'identity' });
      },
    },
    {
      method: 'post',
      path: '/identity/review/decide',
      guard: RESOLVERS,
      handler: async (req, res) => {
        const parsed = decisionForm.safeParse(req.body);
        const body = req.body as { a?: string; b?: string };
        if (!parsed.success) {
          const pair = body.a && body.b ? await getReviewPair(db, actorContext(req, 'review who is who'), body.a, body.b) : null;
          if (!pair) throw new NotFoundError();
          return res.status(400).render('pages/identity-pair.njk', { pair, values: req.body, errors: formErrors(parsed.error), navSection: 'identity' });
        }
        const { a, b, decision, reason } = parsed.data;
        const ctx = actorContext(req, 'review who is who');
        const outcome = await decideReviewPair(db, ctx, { recordA: a, recordB: b, decision, reason: reason ?? null });
        // Who is who changed: the rules look at the merged (or kept apart) people again.
        if (decision !== 'ask') await jobs.peopleChanged(ctx.partnershipId, { recordKeys: [a, b] });
        if (decision === 'same' && outcome.personId) return res.redirect(303, `/people/${outcome.personId}?merged=1#records`);
        res.redirect(303, `/identity/review?decided=${decision}`);
      },
    },
    {
      method: 'post',
      path: '/people/:id/identity/:changeId/undo',
      guard: RESOLVERS,
      handler: async (req, res) => {
        if (!isUuid(req.params.id) || !isUuid(req.params.changeId)) throw new NotFoundError();
        const parsed = reasonForm.safeParse(req.body);
        if (!parsed.success) return res.redirect(303, `/people/${String(req.params.id)}?undoError=1#records`);
        const ctx = actorContext(req, 'undo a merge');
        const { restored } = await undoMerge(db, ctx, String(req.params.changeId), parsed.data.reason);
        await jobs.peopleChanged(ctx.partnershipId, { personIds: [String(req.params.id), restored] });
        res.redirect(303, `/people/${restored}?unmerged=1#records`);
      },
    },
    {
      method: 'post',
      path: '/people/:id/records/separate',
      guard: RESOLVERS,
      handler: async (req, res) => {
        if (!isUuid(req.params.id)) throw new NotFoundError();
        const parsed = separateForm.safeParse(req.body);
        if (!parsed.success) return res.redirect(303, `/people/${String(req.params.id)}?separateError=1#records`);
        const ctx = actorContext(req, 'separate a record');
        const id = await separateRecord(db, ctx, { personId: String(req.params.id), recordKey: parsed.data.record, reason: parsed.data.reason });
        await jobs.peopleChanged(ctx.partnershipId, { personIds: [String(req.params.id), id] });
        res.redirect(303, `/people/${id}?separated=1#records`);
      },
    },
  ];
}
