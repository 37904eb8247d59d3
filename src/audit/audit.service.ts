import { sql, type Transaction } from 'kysely';
import type { ActorContext } from '../access/actor-context.js';
import type { DB } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import { GENESIS_HASH, hashAuditRow, type HashedAuditContent } from './audit-hash.js';

/** The chain of audit rows that belong to no partnership (e.g. a failed sign-in for an unknown email). */
export const SYSTEM_CHAIN_ID = '00000000-0000-0000-0000-000000000000';

export type AuditOutcome = 'success' | 'denied' | 'failure';

/** What happened, as the audit row records it. */
export interface AuditEntry {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

/** Who did it, when there is no signed-in user yet (sign-in attempts). */
export interface AnonymousActor {
  partnershipId: string | null;
  actorLabel: string;
  actorId?: string | null;
  organisationId?: string | null;
  purpose: string;
  correlationId: string;
  ip: string | null;
}

/**
 * Appends one audit row inside the caller's transaction, chained to the previous row of the same
 * partnership. The advisory lock serialises writers of one chain until the transaction ends, so the
 * chain never forks; the unique (chain_id, seq) constraint is the backstop.
 */
export async function appendAudit(trx: Transaction<DB>, ctx: ActorContext, entry: AuditEntry): Promise<void> {
  await appendAuditRow(trx, {
    chainId: ctx.partnershipId,
    partnership_id: ctx.partnershipId,
    actor_type: ctx.actor.type,
    actor_id: ctx.actor.id,
    actor_label: ctx.actor.label,
    organisation_id: ctx.actor.organisationId,
    purpose: ctx.purpose,
    correlation_id: ctx.correlationId,
    ip: ctx.ip,
    entry,
  });
}

/** Appends an audit row for an actor that is not (yet) signed in, such as a failed sign-in. */
export async function appendAnonymousAudit(trx: Transaction<DB>, who: AnonymousActor, entry: AuditEntry): Promise<void> {
  await appendAuditRow(trx, {
    chainId: who.partnershipId ?? SYSTEM_CHAIN_ID,
    partnership_id: who.partnershipId,
    actor_type: who.actorId ? 'user' : 'anonymous',
    actor_id: who.actorId ?? null,
    actor_label: who.actorLabel,
    organisation_id: who.organisationId ?? null,
    purpose: who.purpose,
    correlation_id: who.correlationId,
    ip: who.ip,
    entry,
  });
}

interface RowInput {
  chainId: string;
  partnership_id: string | null;
  actor_type: HashedAuditContent['actor_type'];
  actor_id: string | null;
  actor_label: string;
  organisation_id: string | null;
  purpose: string | null;
  correlation_id: string;
  ip: string | null;
  entry: AuditEntry;
}

async function appendAuditRow(trx: Transaction<DB>, input: RowInput): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${input.chainId}, 0))`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('chain_id', '=', input.chainId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const content: HashedAuditContent = {
    id: newId(),
    chain_id: input.chainId,
    seq: (last?.seq ?? 0) + 1,
    partnership_id: input.partnership_id,
    occurred_at: new Date(),
    actor_type: input.actor_type,
    actor_id: input.actor_id,
    actor_label: input.actor_label,
    organisation_id: input.organisation_id,
    action: input.entry.action,
    object_type: input.entry.objectType ?? null,
    object_id: input.entry.objectId ?? null,
    purpose: input.purpose,
    outcome: input.entry.outcome ?? 'success',
    correlation_id: input.correlation_id,
    ip: input.ip,
    // Round-trip through JSON so the hash covers exactly what jsonb will give back.
    details: JSON.parse(JSON.stringify(input.entry.details ?? {})),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx
    .insertInto('audit_log')
    .values({
      ...content,
      actor_type: content.actor_type as 'user',
      outcome: content.outcome as AuditOutcome,
      details: JSON.stringify(content.details),
      hash: hashAuditRow(content),
    })
    .execute();
}
