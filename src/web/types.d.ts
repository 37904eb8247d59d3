import type { SessionUser } from '../auth/session.service.js';

declare global {
  namespace Express {
    interface Request {
      /** Ties the audit rows and log lines of this request together. */
      correlationId: string;
      /** Cookies sent with the request. */
      cookies: Record<string, string>;
      /** The signed-in user, when there is one. */
      user?: SessionUser;
      /** True when the request arrived with a session that had just timed out. */
      sessionTimedOut?: boolean;
      /** The session that had just timed out (its form tokens still prove who sent a form). */
      expiredSession?: { sessionId: string; userId: string; partnershipId: string; organisationId: string; label: string };
    }
  }
}

export {};
