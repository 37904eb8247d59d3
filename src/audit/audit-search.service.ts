import type { Kysely } from 'kysely';
import { personAccess, rulesFor } from '../access/access-policy.js';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import type { DB } from '../db/schema.js';
import { AccessDeniedError, NotFoundError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import { isLeadPractitioner } from '../people/people.repository.js';
import { findAuditActions, findAuditRows, type AuditFilter } from './audit-query.repository.js';

export type AuditRow = Awaited<ReturnType<typeof findAuditRows>>[number];

const PLAIN: Record<string, string> = {
  'person.read': 'Opened the record',
  'person.list': 'Saw the name in a list',
  'person.search': 'Found in a search',
  'break-glass.access': 'Emergency (break-glass) access',
  'break-glass.search-results': 'Found in an emergency search',
  'person.access-log.read': 'Looked at who has looked at this record',
  'consent.record': 'Recorded consent',
  'involvement.create': 'Allocated work',
  'person.create': 'Created the record',
  'person-link.create': 'Recorded a family link',
};

/** An audit action in plain words. */
export function describeAction(action: string): string {
  return PLAIN[action] ?? action;
}

/**
 * "Who has looked at this record": every access to one person, including break-glass and refusals,
 * for the child's lead practitioner, managers, administrators and the data protection officer.
 */
export async function accessLogFor(db: Kysely<DB>, ctx: ActorContext, personId: string): Promise<AuditRow[]> {
  try {
    return await throughDoor(db, ctx, { action: 'person.access-log.read', objectType: 'person', objectId: personId }, async ({ trx, deny }) => {
      if (!isUuid(personId)) return deny('not a person id');
      const basis = (await personAccess(trx, ctx, [personId])).get(personId);
      if (!basis) return deny('no legitimate relationship');
      const rules = await rulesFor(trx, ctx);
      const isLead = await isLeadPractitioner(trx, personId, ctx.actor.id);
      if (!rules.canSeeAccessLog(ctx.actor.roles, basis, isLead)) return deny('not permitted to see the access log');
      return findAuditRows(trx, ctx.partnershipId, { personId }, 500, 0);
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Person not found');
    throw error;
  }
}

/** The audit search for administrators and the data protection officer. */
export async function searchAudit(db: Kysely<DB>, ctx: ActorContext, filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ rows: AuditRow[]; actions: string[] }> {
  return throughDoor(db, ctx, { action: 'audit.search', objectType: 'audit', details: { filter: { ...filter } } }, async ({ trx, deny, note }) => {
    if (!hasRole(ctx, 'admin') && !hasRole(ctx, 'dpo')) return deny('only administrators and the data protection officer search the audit trail');
    const rows = await findAuditRows(trx, ctx.partnershipId, filter, page.limit, page.offset);
    note({ count: rows.length });
    return { rows, actions: await findAuditActions(trx, ctx.partnershipId) };
  });
}
