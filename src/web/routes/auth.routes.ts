import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AppConfig } from '../../config/config.js';
import { endSession } from '../../auth/session.service.js';
import { signIn } from '../../auth/sign-in.service.js';
import type { DB } from '../../db/schema.js';
import { cookieNames, cookieOptions } from '../middleware/cookies.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import { formErrors } from '../form-errors.js';
import type { RouteDef } from './route.js';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254, 'Email address must be 254 characters or fewer').email('Enter an email address in the correct format, like name@example.org'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password must be 1,024 characters or fewer'),
});

/** Only a path on this site may be a place to come back to after sign-in (no open redirects). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/';
}

/** Sign-in, sign-out and the session time-out endpoints. */
export function authRoutes(db: Kysely<DB>, config: AppConfig): RouteDef[] {
  const names = cookieNames(config.production);
  return [
    {
      method: 'get',
      path: '/sign-in',
      guard: guard.public,
      handler: (req, res) => {
        if (req.user) return res.redirect(303, '/');
        res.render('pages/sign-in.njk', {
          returnTo: safeReturnTo(req.query.returnTo),
          timedOut: req.query.timedOut === '1' || req.sessionTimedOut === true,
          kept: req.query.kept === '1',
        });
      },
    },
    {
      method: 'post',
      path: '/sign-in',
      guard: guard.public,
      handler: async (req, res) => {
        const returnTo = safeReturnTo((req.body as Record<string, unknown>).returnTo);
        const parsed = signInForm.safeParse(req.body);
        if (!parsed.success) {
          return res.status(400).render('pages/sign-in.njk', { returnTo, values: { email: (req.body as Record<string, unknown>).email }, errors: formErrors(parsed.error) });
        }
        const result = await signIn(
          db,
          { ...parsed.data, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null, correlationId: req.correlationId },
          { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
          { maxFailures: config.signInMaxFailures, lockMinutes: config.signInLockMinutes },
        );
        if (!result.ok) {
          const message =
            result.reason === 'locked'
              ? `Too many failed attempts. Wait ${result.retryAfterMinutes ?? config.signInLockMinutes} minutes, then try again.`
              : 'The email address or password is not right';
          return res.status(result.reason === 'locked' ? 429 : 401).render('pages/sign-in.njk', {
            returnTo,
            values: { email: parsed.data.email },
            errors: { summary: [{ text: message, href: '#email' }], fields: {} },
          });
        }
        res.cookie(names.session, result.token, cookieOptions(config.production));
        res.redirect(303, returnTo);
      },
    },
    {
      method: 'post',
      path: '/sign-out',
      guard: guard.signedIn,
      handler: async (req, res) => {
        await endSession(db, actorContext(req, 'sign out'), req.user!.sessionId, 'sign-out');
        res.clearCookie(names.session, cookieOptions(config.production));
        res.redirect(303, '/signed-out');
      },
    },
    {
      method: 'get',
      path: '/signed-out',
      guard: guard.public,
      handler: (req, res) => res.render('pages/signed-out.njk', { timedOut: req.query.reason === 'timeout' }),
    },
    {
      method: 'post',
      path: '/session/extend',
      guard: guard.signedIn,
      // Loading the session already pushed the deadline forward; say when it now falls.
      handler: (req, res) => {
        if (req.accepts(['json', 'html']) === 'json') return res.json({ idleExpiresAt: req.user!.idleExpiresAt.toISOString() });
        res.redirect(303, safeReturnTo((req.body as Record<string, unknown>).returnTo));
      },
    },
    {
      method: 'get',
      path: '/session/remaining',
      guard: guard.signedIn,
      handler: (req, res) => {
        res.json({ secondsRemaining: Math.max(0, Math.floor((req.user!.idleExpiresAt.getTime() - Date.now()) / 1000)) });
      },
    },
  ];
}
