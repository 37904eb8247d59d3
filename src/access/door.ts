import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { appendAudit, type AuditEntry } from '../audit/audit.service.js';
import { AccessDeniedError } from '../shared/errors.js';
import type { ActorContext } from './actor-context.js';

/** What the door gives the work inside it: the transaction and the audit entry to complete. */
export interface DoorScope {
  trx: Transaction<DB>;
  ctx: ActorContext;
  /** Adds details to the audit row written when the work succeeds (e.g. how many rows were read). */
  note(details: Record<string, unknown>): void;
  /** Refuses the operation: the work is rolled back and a "denied" audit row is written instead. */
  deny(reason: string): never;
}

/**
 * The one door to personal data. Every read or write of people and case data runs inside it:
 * the work and its audit row share one transaction, so data never moves without its audit record,
 * and a refusal (AccessDeniedError from `deny` or from the access policy) rolls the work back and
 * leaves a "denied" audit row of its own. Services call this; routes and commands call services.
 */
export async function throughDoor<T>(
  db: Kysely<DB>,
  ctx: ActorContext,
  entry: AuditEntry,
  work: (scope: DoorScope) => Promise<T>,
): Promise<T> {
  const details: Record<string, unknown> = { ...(entry.details ?? {}) };
  try {
    return await db.transaction().execute(async (trx) => {
      const scope: DoorScope = {
        trx,
        ctx,
        note: (more) => Object.assign(details, more),
        deny: (reason) => {
          throw new AccessDeniedError(reason);
        },
      };
      const result = await work(scope);
      await appendAudit(trx, ctx, { ...entry, outcome: 'success', details });
      return result;
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) {
      await db.transaction().execute((trx) =>
        appendAudit(trx, ctx, { ...entry, outcome: 'denied', details: { ...details, reason: error.reason } }),
      );
    }
    throw error;
  }
}
