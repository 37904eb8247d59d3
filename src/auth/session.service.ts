import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { ActorContext } from '../access/actor-context.js';
import { appendAudit } from '../audit/audit.service.js';
import { forgetSessionRules } from '../access/access-rules.js';
import type { DB, Role } from '../db/schema.js';
import { newId } from '../shared/ids.js';

/** The signed-in user, as every request sees them. */
export interface SessionUser {
  sessionId: string;
  userId: string;
  partnershipId: string;
  partnershipName: string;
  organisationId: string;
  organisationName: string;
  email: string;
  displayName: string;
  roles: Role[];
  idleExpiresAt: Date;
  /** The partnership's access settings (compiled once per session, see access-rules.ts). */
  accessSettings: unknown;
}

export interface SessionTimes {
  idleMinutes: number;
  absoluteHours: number;
}

/** SHA-256 of a session token: what the database keeps instead of the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session for a user inside the sign-in transaction and returns the cookie token. */
export async function startSession(
  trx: Transaction<DB>,
  user: { id: string; partnership_id: string },
  times: SessionTimes,
  client: { ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await trx
    .insertInto('sessions')
    .values({
      id: newId(),
      token_hash: hashToken(token),
      partnership_id: user.partnership_id,
      user_id: user.id,
      created_at: now,
      last_seen_at: now,
      idle_expires_at: new Date(now.getTime() + times.idleMinutes * 60_000),
      absolute_expires_at: new Date(now.getTime() + times.absoluteHours * 3_600_000),
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return token;
}

export type SessionLookup =
  | { state: 'active'; user: SessionUser }
  | { state: 'expired'; sessionId: string; userId: string; partnershipId: string; label: string; organisationId: string }
  | { state: 'none' };

/** Finds the session behind a cookie token, telling an active session from an expired one. */
export async function lookupSession(db: Kysely<DB>, token: string | undefined): Promise<SessionLookup> {
  if (!token) return { state: 'none' };
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .innerJoin('partnerships as p', 'p.id', 's.partnership_id')
    .select([
      's.id as sessionId',
      's.user_id as userId',
      's.partnership_id as partnershipId',
      'p.name as partnershipName',
      'p.settings as partnershipSettings',
      'u.organisation_id as organisationId',
      'o.name as organisationName',
      'u.email',
      'u.display_name as displayName',
      'u.roles',
      'u.active',
      's.idle_expires_at as idleExpiresAt',
      's.absolute_expires_at as absoluteExpiresAt',
      's.ended_at as endedAt',
    ])
    .where('s.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.endedAt) return { state: 'none' };
  const now = Date.now();
  if (!row.active || row.idleExpiresAt.getTime() <= now || row.absoluteExpiresAt.getTime() <= now) {
    return { state: 'expired', sessionId: row.sessionId, userId: row.userId, partnershipId: row.partnershipId, label: `${row.displayName} (${row.organisationName})`, organisationId: row.organisationId };
  }
  return {
    state: 'active',
    user: {
      sessionId: row.sessionId,
      userId: row.userId,
      partnershipId: row.partnershipId,
      partnershipName: row.partnershipName,
      organisationId: row.organisationId,
      organisationName: row.organisationName,
      email: row.email,
      displayName: row.displayName,
      roles: row.roles,
      idleExpiresAt: row.idleExpiresAt,
      accessSettings: (row.partnershipSettings as { access?: unknown } | null)?.access,
    },
  };
}

/** Pushes the idle deadline forward (the user did something). Returns the new deadline. */
export async function touchSession(db: Kysely<DB>, sessionId: string, idleMinutes: number): Promise<Date> {
  const now = new Date();
  const idleExpiresAt = new Date(now.getTime() + idleMinutes * 60_000);
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
  return idleExpiresAt;
}

/**
 * Ends a session (sign-out, time-out) and audits it in the same transaction. A session already
 * ended is left as it is, so a double sign-out writes one audit row.
 */
export async function endSession(db: Kysely<DB>, ctx: ActorContext, sessionId: string, reason: 'sign-out' | 'timeout'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('sessions')
      .set({ ended_at: new Date(), end_reason: reason })
      .where('id', '=', sessionId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    forgetSessionRules(sessionId);
    if (Number(ended.numUpdatedRows) > 0) {
      await appendAudit(trx, ctx, { action: reason === 'sign-out' ? 'auth.sign-out' : 'auth.session-timeout', objectType: 'session', objectId: sessionId });
    }
  });
}
