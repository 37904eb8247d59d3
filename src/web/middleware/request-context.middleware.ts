import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { newId } from '../../shared/ids.js';

/**
 * Gives each request a correlation id (echoed in the X-Request-Id header and every audit row) and a
 * fresh content-security-policy nonce, and parses cookies.
 */
export function requestContext(): RequestHandler {
  return (req, res, next) => {
    req.correlationId = newId();
    res.setHeader('X-Request-Id', req.correlationId);
    res.locals.cspNonce = randomBytes(16).toString('base64');
    req.cookies = parseCookies(req.headers.cookie);
    next();
  };
}

/** Parses a Cookie header (first value wins; malformed pairs are skipped). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (name in cookies) continue;
    try {
      cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie we cannot decode is not one of ours.
    }
  }
  return cookies;
}
