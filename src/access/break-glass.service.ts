import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { isUuid, newId } from '../shared/ids.js';
import { AccessDeniedError, NotFoundError } from '../shared/errors.js';
import { rulesFor } from './access-policy.js';
import { hasRole, type ActorContext } from './actor-context.js';
import { findBreakGlass, findBreakGlassForReview, insertBreakGlass, insertBreakGlassReview, personExists } from './break-glass.repository.js';
import { throughDoor } from './door.js';

function assertMayBreakGlass(ctx: ActorContext, deny: (reason: string) => never): string {
  const organisationId = ctx.actor.organisationId;
  if (ctx.actor.type !== 'user' || !organisationId || !(hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager') || hasRole(ctx, 'front-door'))) {
    deny('only practitioners, managers and the front door may break the glass');
  }
  return organisationId!;
}

/**
 * Records an emergency search beyond the user's own records, with their reason. Returns the
 * break-glass id, which the search results are audited against.
 */
export async function startBreakGlassSearch(db: Kysely<DB>, ctx: ActorContext, reason: string): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'break-glass.search', objectType: 'break-glass', objectId: id, details: { reason } }, async ({ trx, deny }) => {
    const organisationId = assertMayBreakGlass(ctx, deny);
    if (!reason.trim()) return deny('a reason is required');
    const now = new Date();
    await insertBreakGlass(trx, { id, partnership_id: ctx.partnershipId, user_id: ctx.actor.id, organisation_id: organisationId, kind: 'search', person_id: null, reason: reason.trim(), started_at: now, expires_at: now });
  });
  return id;
}

/**
 * Opens one person to the user for the partnership's break-glass period (default 2 hours), with the
 * user's reason. Shown to the user's manager for review. A person outside the partnership (or no
 * person at all) gives NotFoundError, as everywhere.
 */
export async function startBreakGlassAccess(db: Kysely<DB>, ctx: ActorContext, personId: string, reason: string): Promise<{ id: string; expiresAt: Date }> {
  const id = newId();
  try {
    return await throughDoor(db, ctx, { action: 'break-glass.access', objectType: 'person', objectId: personId, details: { reason, breakGlassId: id } }, async ({ trx, deny }) => {
      const organisationId = assertMayBreakGlass(ctx, deny);
      if (!reason.trim()) return deny('a reason is required');
      if (!isUuid(personId) || !(await personExists(trx, ctx.partnershipId, personId))) return deny('no such person');
      const rules = await rulesFor(trx, ctx);
      const now = new Date();
      const expiresAt = new Date(now.getTime() + rules.settings.breakGlassHours * 3_600_000);
      await insertBreakGlass(trx, { id, partnership_id: ctx.partnershipId, user_id: ctx.actor.id, organisation_id: organisationId, kind: 'access', person_id: personId, reason: reason.trim(), started_at: now, expires_at: expiresAt });
      return { id, expiresAt };
    });
  } catch (error) {
    if (error instanceof AccessDeniedError && error.reason === 'no such person') throw new NotFoundError('Person not found');
    throw error;
  }
}

/** The organisations whose break-glass a user reviews: a manager their own; an admin those with no manager. */
async function reviewableOrganisations(db: Kysely<DB>, ctx: ActorContext): Promise<string[]> {
  const mine = hasRole(ctx, 'manager') && ctx.actor.organisationId ? [ctx.actor.organisationId] : [];
  if (!hasRole(ctx, 'admin')) return mine;
  const withoutManager = await db
    .selectFrom('organisations as o')
    .select('o.id')
    .where('o.partnership_id', '=', ctx.partnershipId)
    .where(sql<boolean>`not exists (select 1 from users u where u.organisation_id = o.id and u.active and 'manager' = any(u.roles))`)
    .execute();
  return [...new Set([...mine, ...withoutManager.map((o) => o.id)])];
}

/** Break-glass uses the user should review, newest first. */
export async function listBreakGlassForReview(db: Kysely<DB>, ctx: ActorContext) {
  const organisations = await reviewableOrganisations(db, ctx);
  return throughDoor(db, ctx, { action: 'break-glass.review-list', objectType: 'break-glass' }, async ({ trx, deny, note }) => {
    if (!hasRole(ctx, 'manager') && !hasRole(ctx, 'admin')) return deny('only managers and administrators review break-glass');
    const rows = await findBreakGlassForReview(trx, ctx.partnershipId, organisations);
    note({ count: rows.length });
    return rows;
  });
}

/** Records a manager's (or admin's) review of one break-glass use. */
export async function reviewBreakGlass(db: Kysely<DB>, ctx: ActorContext, input: { breakGlassId: string; outcome: 'appropriate' | 'inappropriate'; note: string }): Promise<void> {
  const organisations = await reviewableOrganisations(db, ctx);
  await throughDoor(db, ctx, { action: 'break-glass.review', objectType: 'break-glass', objectId: input.breakGlassId, details: { outcome: input.outcome } }, async ({ trx, deny }) => {
    if (!isUuid(input.breakGlassId)) return deny('not a break-glass id');
    const record = await findBreakGlass(trx, ctx.partnershipId, input.breakGlassId);
    if (!record || !organisations.includes(record.organisation_id)) return deny('not yours to review');
    if (record.user_id === ctx.actor.id) return deny('nobody reviews their own break-glass');
    await insertBreakGlassReview(trx, { id: newId(), partnership_id: ctx.partnershipId, break_glass_id: input.breakGlassId, reviewer_user_id: ctx.actor.id, outcome: input.outcome, note: input.note.trim(), reviewed_at: new Date() });
  });
}
