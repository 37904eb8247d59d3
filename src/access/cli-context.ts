import { userInfo } from 'node:os';
import type { ActorContext } from './actor-context.js';
import { newId } from '../shared/ids.js';

/** The operating-system user running the command, for the audited actor `cli:<user>`. */
export function osUserName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/**
 * The context a command acts in: the audited actor `cli:<operating-system user>`, acting for one
 * partnership as a whole, with the purpose given by `--purpose`.
 */
export function cliContext(partnershipId: string, purpose: string): ActorContext {
  const name = osUserName();
  return {
    partnershipId,
    actor: { type: 'cli', id: name, label: `cli:${name}`, organisationId: null, roles: ['admin'] },
    purpose,
    correlationId: newId(),
    ip: null,
  };
}

/** The context of a background or start-up job (demo loading, scheduled evaluation). */
export function systemContext(partnershipId: string, job: string, purpose: string): ActorContext {
  return {
    partnershipId,
    actor: { type: 'system', id: job, label: `system:${job}`, organisationId: null, roles: [] },
    purpose,
    correlationId: newId(),
    ip: null,
  };
}
