import { createHash } from 'node:crypto';

/** The hash that starts every chain (there is no previous row). */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns of an audit row that its hash covers, in a fixed order. */
export interface HashedAuditContent {
  id: string;
  chain_id: string;
  seq: number;
  partnership_id: string | null;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  organisation_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  purpose: string | null;
  outcome: string;
  correlation_id: string;
  ip: string | null;
  details: unknown;
  prev_hash: string;
}

/**
 * SHA-256 over a row's canonical content: a JSON array of the columns in a fixed order, with object
 * keys sorted at every depth (jsonb does not keep key order, so the hash must not depend on it).
 */
export function hashAuditRow(row: HashedAuditContent): string {
  const canonical = canonicalJson([
    row.id,
    row.chain_id,
    row.seq,
    row.partnership_id,
    row.occurred_at.toISOString(),
    row.actor_type,
    row.actor_id,
    row.actor_label,
    row.organisation_id,
    row.action,
    row.object_type,
    row.object_id,
    row.purpose,
    row.outcome,
    row.correlation_id,
    row.ip,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
