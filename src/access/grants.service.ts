import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import { hasRole, type ActorContext } from './actor-context.js';
import { throughDoor } from './door.js';
import { insertGrant } from './grants.repository.js';

/**
 * Grants a user or an organisation sight of a restricted person's contact details. Given by the
 * command line, system jobs, administrators or the data protection officer; always with a reason.
 */
export async function grantRestrictedDetails(
  db: Kysely<DB>,
  ctx: ActorContext,
  grant: { personId: string; userId?: string; organisationId?: string; reason: string; endsAt?: Date | null },
): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'access-grant.create', objectType: 'person', objectId: grant.personId, details: { grantId: id, reason: grant.reason, userId: grant.userId ?? null, organisationId: grant.organisationId ?? null } }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user' && !hasRole(ctx, 'admin') && !hasRole(ctx, 'dpo')) return deny('only an administrator or the data protection officer grants access');
    if (!grant.reason.trim()) return deny('a reason is required');
    if (Boolean(grant.userId) === Boolean(grant.organisationId)) return deny('grant to exactly one user or one organisation');
    const now = new Date();
    await insertGrant(trx, {
      id,
      partnership_id: ctx.partnershipId,
      person_id: grant.personId,
      grantee_user_id: grant.userId ?? null,
      grantee_organisation_id: grant.organisationId ?? null,
      scope: 'restricted-details',
      reason: grant.reason.trim(),
      granted_by: ctx.actor.label,
      starts_at: now,
      ends_at: grant.endsAt ?? null,
      created_at: now,
    });
  });
  return id;
}
