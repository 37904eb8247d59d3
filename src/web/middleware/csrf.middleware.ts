import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { cookieNames, cookieOptions } from './cookies.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Raised when a form arrives without a valid CSRF token (shown as a 403 page). */
export class CsrfError extends Error {
  readonly status = 403;
  constructor() {
    super('The form could not be checked');
    this.name = 'CsrfError';
  }
}

/**
 * CSRF protection on every form, by the signed double-submit pattern: a random secret in an
 * HttpOnly cookie, and in each form a token that is an HMAC of that secret and the session. A
 * forged cross-site form cannot know the token, and a token from before sign-in does not work
 * after it. Forms send it as `_csrf`; scripts as the `X-CSRF-Token` header.
 */
/**
 * Keeps a form that arrived after its session timed out (a recording form, say) so nothing typed is
 * lost; returns where to bring the user back to after signing in, or null when the form is not kept.
 */
export type TimedOutFormKeeper = (req: Parameters<RequestHandler>[0]) => Promise<string | null>;

export function csrfProtection(secret: string, production: boolean, keepTimedOutForm?: TimedOutFormKeeper): RequestHandler {
  const names = cookieNames(production);
  return async (req, res, next) => {
    let cookieSecret = req.cookies[names.csrf];
    if (!cookieSecret || !/^[A-Za-z0-9_-]{43}$/.test(cookieSecret)) {
      cookieSecret = randomBytes(32).toString('base64url');
      res.cookie(names.csrf, cookieSecret, cookieOptions(production));
      req.cookies[names.csrf] = cookieSecret;
    }
    const tokenFor = (sessionId: string | undefined) =>
      createHmac('sha256', secret).update(`${cookieSecret}|${sessionId ?? 'anonymous'}`).digest('base64url');
    // Views call csrfToken() when they render, so the token matches the session at render time.
    res.locals.csrfToken = () => tokenFor(req.user?.sessionId);

    if (SAFE_METHODS.has(req.method)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    // The session ended while the form was open: send the user to sign in again, not to an error.
    // A form whose token was made for that session is the same user's: it may be kept as a draft.
    if (req.sessionTimedOut) {
      const sent = typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
      const expected = req.expiredSession ? tokenFor(req.expiredSession.sessionId) : '';
      if (keepTimedOutForm && sent && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
        try {
          const back = await keepTimedOutForm(req);
          if (back) return res.redirect(303, `/sign-in?timedOut=1&kept=1&returnTo=${encodeURIComponent(back)}`);
        } catch (error) {
          return next(error);
        }
      }
      return res.redirect(303, '/sign-in?timedOut=1');
    }
    // A file upload (multipart) is streamed, not parsed before this point, so its form carries the
    // token in its address instead. The request log never records query strings.
    const fromQuery = req.is('multipart/form-data') && typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
    const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.get('x-csrf-token') ?? fromQuery;
    const expected = tokenFor(req.user?.sessionId);
    if (typeof sent === 'string' && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
      return next();
    }
    next(new CsrfError());
  };
}
