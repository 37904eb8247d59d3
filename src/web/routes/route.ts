import type { RequestHandler } from 'express';

/** A guard middleware with the name the route matrix knows it by. */
export type Guard = RequestHandler & { guardName: string };

/**
 * One route: method, path, who may call it (the guard, always first) and the handler. Routers are
 * lists of these, so every route's guard is visible at a glance and the matrix test can walk them.
 */
export interface RouteDef {
  method: 'get' | 'post';
  path: string;
  guard: Guard;
  handler: RequestHandler;
  /** Extra middleware between the guard and the handler (body parsing for uploads, say). */
  before?: RequestHandler[];
}
