import type { Kysely } from 'kysely';
import { appendAnonymousAudit } from '../audit/audit.service.js';
import type { DB } from '../db/schema.js';
import { startSession, type SessionTimes } from './session.service.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';

export interface SignInRequest {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
}

export interface ThrottleSettings {
  maxFailures: number;
  lockMinutes: number;
}

export type SignInResult =
  | { ok: true; token: string; userId: string }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterMinutes?: number };

/**
 * Checks an email and password, starts a session and audits the attempt, success or failure, in
 * one transaction. After `maxFailures` failures within `lockMinutes` the email is locked for
 * `lockMinutes` — whether or not an account exists, so the lock does not reveal accounts either.
 */
export async function signIn(db: Kysely<DB>, request: SignInRequest, times: SessionTimes, throttle: ThrottleSettings): Promise<SignInResult> {
  const email = request.email.trim().toLowerCase();
  const user = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.partnership_id', 'u.organisation_id', 'u.password_hash', 'u.display_name', 'u.active'])
    .where('u.email', '=', email)
    .executeTakeFirst();

  const throttleRow = await db.selectFrom('sign_in_throttle').selectAll().where('email', '=', email).executeTakeFirst();
  const now = new Date();
  const who = {
    partnershipId: user?.partnership_id ?? null,
    actorId: user?.id ?? null,
    actorLabel: user ? user.display_name : 'unknown email',
    organisationId: user?.organisation_id ?? null,
    purpose: 'sign in',
    correlationId: request.correlationId,
    ip: request.ip,
  };

  if (throttleRow?.locked_until && throttleRow.locked_until > now) {
    await db.transaction().execute((trx) =>
      appendAnonymousAudit(trx, who, { action: 'auth.sign-in', outcome: 'denied', details: { reason: 'locked' } }),
    );
    return { ok: false, reason: 'locked', retryAfterMinutes: Math.ceil((throttleRow.locked_until.getTime() - now.getTime()) / 60_000) };
  }

  const passwordOk =
    user && user.active ? await verifyPassword(user.password_hash, request.password) : await verifyAgainstDummy(request.password);

  return db.transaction().execute(async (trx) => {
    if (user && passwordOk) {
      await trx.deleteFrom('sign_in_throttle').where('email', '=', email).execute();
      const token = await startSession(trx, user, times, { ip: request.ip, userAgent: request.userAgent });
      await appendAnonymousAudit(trx, who, { action: 'auth.sign-in', outcome: 'success' });
      return { ok: true as const, token, userId: user.id };
    }
    const windowMs = throttle.lockMinutes * 60_000;
    const inWindow = throttleRow && now.getTime() - throttleRow.window_started_at.getTime() < windowMs;
    const failures = inWindow ? throttleRow.failures + 1 : 1;
    const lockedUntil = failures >= throttle.maxFailures ? new Date(now.getTime() + windowMs) : null;
    await trx
      .insertInto('sign_in_throttle')
      .values({ email, failures, window_started_at: inWindow ? throttleRow.window_started_at : now, locked_until: lockedUntil })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet({
          failures,
          window_started_at: inWindow ? throttleRow.window_started_at : now,
          locked_until: lockedUntil,
        }),
      )
      .execute();
    await appendAnonymousAudit(trx, who, {
      action: 'auth.sign-in',
      outcome: 'failure',
      details: { reason: user ? (user.active ? 'wrong password' : 'account disabled') : 'unknown email', failures, locked: lockedUntil !== null },
    });
    return lockedUntil
      ? { ok: false as const, reason: 'locked' as const, retryAfterMinutes: throttle.lockMinutes }
      : { ok: false as const, reason: 'invalid' as const };
  });
}
