import type { Kysely } from 'kysely';
import { z } from 'zod';
import { accessLogFor, describeAction } from '../../audit/audit-search.service.js';
import type { DB } from '../../db/schema.js';
import { getPersonIdentity } from '../../identity/identity.service.js';
import { listOrganisationUsers } from '../../directory/directory.service.js';
import { addInvolvement, getPersonView, getWholeFamily, recordConsent, type PersonPage } from '../../people/people.service.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import { formErrors, type FormErrors } from '../form-errors.js';
import type { RouteDef } from './route.js';
import type { Request, Response } from 'express';

// The chronology page has its own routes (chronology.routes.ts).
const VIEWS: Record<Exclude<PersonPage, 'chronology'>, string> = {
  summary: 'pages/person.njk',
  family: 'pages/person-family.njk',
};

const consentForm = z
  .object({
    status: z.enum(['given', 'refused', 'not-sought'], { message: 'Select whether consent was given, refused or not sought' }),
    reason: z.string().trim().max(2000, 'Reason must be 2,000 characters or fewer').optional(),
  })
  .refine((v) => v.status === 'given' || (v.reason ?? '').length > 0, { message: 'Enter why information is shared without consent', path: ['reason'] });

const allocationForm = z.object({
  role: z.enum(['lead-practitioner', 'team-around-child', 'service-provided'], { message: 'Select the role' }),
  workerUserId: z.string().uuid({ message: 'Select who the work is allocated to' }),
});

async function renderPerson(db: Kysely<DB>, req: Request, res: Response, page: Exclude<PersonPage, 'chronology'>, extra: { errors?: FormErrors; values?: unknown; status?: number } = {}) {
  const ctx = actorContext(req);
  const view = await getPersonView(db, ctx, String(req.params.id), page);
  const accessLog = page === 'summary' && view.canSeeAccessLog ? await accessLogFor(db, ctx, view.person.id) : null;
  const wholeFamily = page === 'family' ? await getWholeFamily(db, ctx, view.person.id) : null;
  const identity = page === 'summary' && view.basis !== 'governance' ? await getPersonIdentity(db, ctx, view.person.id) : null;
  const colleagues = page === 'summary' && view.canAllocate && req.user ? await listOrganisationUsers(db, req.user.organisationId) : [];
  res.status(extra.status ?? 200).render(VIEWS[page], { ...view, section: page, accessLog, identity, wholeFamily, flash: req.query, describeAction, colleagues, errors: extra.errors, values: extra.values });
}

/** A person's pages, and what a practitioner records from them. */
export function peopleRoutes(db: Kysely<DB>): RouteDef[] {
  const pages = (Object.keys(VIEWS) as Exclude<PersonPage, 'chronology'>[]).map<RouteDef>((page) => ({
    method: 'get',
    path: page === 'summary' ? '/people/:id' : `/people/:id/${page}`,
    guard: guard.signedIn,
    handler: (req, res) => renderPerson(db, req, res, page),
  }));
  return [
    ...pages,
    {
      method: 'post',
      path: '/people/:id/consent',
      guard: guard.role('practitioner', 'manager'),
      handler: async (req, res) => {
        const parsed = consentForm.safeParse(req.body);
        if (!parsed.success) return renderPerson(db, req, res, 'summary', { errors: formErrors(parsed.error), values: req.body, status: 400 });
        await recordConsent(db, actorContext(req, 'record consent'), { personId: String(req.params.id), status: parsed.data.status, reason: parsed.data.reason ?? null });
        res.redirect(303, `/people/${String(req.params.id)}#consent`);
      },
    },
    {
      method: 'post',
      path: '/people/:id/allocations',
      guard: guard.role('manager'),
      handler: async (req, res) => {
        const parsed = allocationForm.safeParse(req.body);
        if (!parsed.success) return renderPerson(db, req, res, 'summary', { errors: formErrors(parsed.error), values: req.body, status: 400 });
        await addInvolvement(db, actorContext(req, 'allocate work'), {
          personId: String(req.params.id),
          organisationId: req.user!.organisationId,
          role: parsed.data.role,
          workerUserId: parsed.data.workerUserId,
          startDate: new Date().toISOString().slice(0, 10),
        });
        res.redirect(303, `/people/${String(req.params.id)}#working-with`);
      },
    },
  ];
}
