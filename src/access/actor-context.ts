import type { Role } from '../db/schema.js';
import type { AccessRules } from './access-rules.js';

/**
 * Who is acting, for which partnership, and why. Every service that reads or writes personal data
 * takes one of these; it is what the access checks read and what the audit record records.
 */
export interface ActorContext {
  partnershipId: string;
  actor: Actor;
  /** Why the actor is doing this ("command line", "front door decision", ...). */
  purpose: string;
  /** Ties together every audit row and log line of one request or command. */
  correlationId: string;
  /** Where the request came from (IP address), or null for the command line. */
  ip: string | null;
  /** The partnership's access rules, compiled once per session; loaded on demand when absent. */
  accessRules?: AccessRules;
}

export interface Actor {
  type: 'user' | 'cli' | 'system';
  /** The user id for a user; the operating-system user name for the CLI; the job name for system. */
  id: string;
  /** Human-readable, e.g. "Sam Lee (Northshire Children's Social Care)" or "cli:alice". */
  label: string;
  organisationId: string | null;
  roles: readonly Role[];
}

/** True when the actor holds `role`. */
export function hasRole(ctx: ActorContext, role: Role): boolean {
  return ctx.actor.roles.includes(role);
}
