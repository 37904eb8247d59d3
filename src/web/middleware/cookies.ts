import type { CookieOptions } from 'express';

/** Cookie names: with `__Host-` in production (HTTPS only, this host only, path /). */
export function cookieNames(production: boolean): { session: string; csrf: string } {
  return production ? { session: '__Host-tl_session', csrf: '__Host-tl_csrf' } : { session: 'tl_session', csrf: 'tl_csrf' };
}

/** Options for our cookies: never readable by scripts, never sent cross-site on forms. */
export function cookieOptions(production: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: production, path: '/' };
}
