import type { Kysely } from 'kysely';
import type { RequestHandler } from 'express';
import type { AppConfig } from '../../config/config.js';
import { endSession, lookupSession, touchSession } from '../../auth/session.service.js';
import type { DB } from '../../db/schema.js';
import { cookieNames, cookieOptions } from './cookies.js';
import { openInboxCount } from '../../alerts/inbox.js';

// Requests that must not count as activity: the timeout warning asks how long is left without
// resetting the clock, and static assets say nothing about the user.
const PASSIVE_PATHS = new Set(['/session/remaining']);

/**
 * Loads the signed-in user from the session cookie. An active session is extended (sliding idle
 * time-out); an expired one is ended, audited as a time-out, and its cookie cleared.
 */
export function loadSession(db: Kysely<DB>, config: AppConfig): RequestHandler {
  const names = cookieNames(config.production);
  return async (req, res, next) => {
    const lookup = await lookupSession(db, req.cookies[names.session]);
    if (lookup.state === 'active') {
      req.user = lookup.user;
      if (!PASSIVE_PATHS.has(req.path)) {
        req.user.idleExpiresAt = await touchSession(db, lookup.user.sessionId, config.sessionIdleMinutes);
      }
    } else if (lookup.state === 'expired') {
      await endSession(
        db,
        {
          partnershipId: lookup.partnershipId,
          actor: { type: 'user', id: lookup.userId, label: lookup.label, organisationId: lookup.organisationId, roles: [] },
          purpose: 'session time-out',
          correlationId: req.correlationId,
          ip: req.ip ?? null,
        },
        lookup.sessionId,
        'timeout',
      );
      res.clearCookie(names.session, cookieOptions(config.production));
      req.sessionTimedOut = true;
      req.expiredSession = { sessionId: lookup.sessionId, userId: lookup.userId, partnershipId: lookup.partnershipId, organisationId: lookup.organisationId, label: lookup.label };
    }
    res.locals.user = req.user;
    // The navigation's alert count reads the user's inbox: ids only, no one's record.
    if (req.user && req.method === 'GET' && !PASSIVE_PATHS.has(req.path)) res.locals.alertCount = await openInboxCount(db, req.user.userId);
    res.locals.sessionIdleMinutes = config.sessionIdleMinutes;
    next();
  };
}
