import type { RequestHandler, Request } from 'express';
import type { ActorContext } from '../../access/actor-context.js';
import type { Role } from '../../db/schema.js';
import { rulesForSession } from '../../access/access-rules.js';

/**
 * Guards, named so that each route's line in the router says who may use it. The route matrix
 * (issue 3) reads these names.
 */
export const guard = {
  /** Anyone, signed in or not (sign-in page, health check). */
  public: Object.assign<RequestHandler, { guardName: string }>((_req, _res, next) => next(), { guardName: 'public' }),

  /** Any signed-in user; others are sent to sign in and brought back afterwards. */
  signedIn: Object.assign<RequestHandler, { guardName: string }>(
    (req, res, next) => {
      if (req.user) return next();
      if (req.method === 'GET') {
        const back = encodeURIComponent(req.originalUrl);
        return res.redirect(303, `/sign-in?returnTo=${back}${req.sessionTimedOut ? '&timedOut=1' : ''}`);
      }
      res.status(401).render('pages/error.njk', { status: 401, title: 'You need to sign in' });
    },
    { guardName: 'signed-in' },
  ),

  /** A signed-in user with at least one of `roles`; anyone else gets "forbidden". */
  role(...roles: Role[]): RequestHandler & { guardName: string } {
    return Object.assign<RequestHandler, { guardName: string }>(
      (req, res, next) => {
        if (!req.user) return guard.signedIn(req, res, next);
        if (req.user.roles.some((r) => roles.includes(r))) return next();
        res.status(403).render('pages/error.njk', { status: 403, title: 'You do not have permission to see this page' });
      },
      { guardName: `role:${roles.join('|')}` },
    );
  },
};

/** The acting user's context for services, built from the signed-in request. */
export function actorContext(req: Request, purpose = 'case work'): ActorContext {
  const user = req.user;
  if (!user) throw new Error('actorContext called on a request without a signed-in user');
  return {
    partnershipId: user.partnershipId,
    actor: {
      type: 'user',
      id: user.userId,
      label: `${user.displayName} (${user.organisationName})`,
      organisationId: user.organisationId,
      roles: user.roles,
    },
    purpose,
    correlationId: req.correlationId,
    ip: req.ip ?? null,
    accessRules: rulesForSession(user.sessionId, user.accessSettings),
  };
}
