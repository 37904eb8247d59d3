import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

// Reading the audit trail. Only the audit services import this file.

/** Filters for the audit search. */
export interface AuditFilter {
  userId?: string | undefined;
  personId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  action?: string | undefined;
}

/**
 * Audit rows of one partnership matching the filter, newest first. A person filter matches rows about
 * the person and list rows that showed them (their id in details.personIds).
 */
export function findAuditRows(trx: Transaction<DB>, partnershipId: string, filter: AuditFilter, limit: number, offset: number) {
  let q = trx
    .selectFrom('audit_log as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.seq', 'a.occurred_at', 'a.actor_type', 'a.actor_id', 'a.actor_label', 'o.name as organisation_name', 'a.action', 'a.object_type', 'a.object_id', 'a.purpose', 'a.outcome', 'a.ip', 'a.correlation_id', 'a.details'])
    .where('a.chain_id', '=', partnershipId);
  if (filter.userId) q = q.where('a.actor_id', '=', filter.userId);
  if (filter.personId) {
    const id = filter.personId;
    q = q.where((eb) => eb.or([eb('a.object_id', '=', id), eb(sql<boolean>`(a.details -> 'personIds') @> to_jsonb(${id}::text)`, '=', true)]));
  }
  if (filter.from) q = q.where('a.occurred_at', '>=', new Date(`${filter.from}T00:00:00Z`));
  if (filter.to) q = q.where('a.occurred_at', '<', new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000));
  if (filter.action) q = q.where('a.action', '=', filter.action);
  return q.orderBy('a.seq', 'desc').limit(limit).offset(offset).execute();
}

/** The actions that occur in a partnership's trail (for the filter list). */
export async function findAuditActions(trx: Transaction<DB>, partnershipId: string): Promise<string[]> {
  const rows = await trx.selectFrom('audit_log').select('action').distinct().where('chain_id', '=', partnershipId).orderBy('action').execute();
  return rows.map((r) => r.action);
}
