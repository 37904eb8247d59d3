import type { Kysely } from 'kysely';
import type { ActorContext } from '../../access/actor-context.js';
import { RECORDING_KINDS, saveDraft } from '../../chronology/recording.service.js';
import type { DB } from '../../db/schema.js';
import { activeUserRoles } from '../../directory/directory.service.js';
import { AccessDeniedError } from '../../shared/errors.js';
import type { TimedOutFormKeeper } from './csrf.middleware.js';

const RECORDING_FORM = /^\/people\/([0-9a-f-]{36})\/record\/([a-z-]+)(?:\/draft)?$/;

/**
 * A recording form sent after its session timed out is kept as the user's draft (the form's token,
 * made for that session, shows it is theirs), so that after signing in again they find what they
 * had written. Nothing is recorded in the chronology until they save it. Audited like any draft.
 */
export function keepRecordingDraft(db: Kysely<DB>): TimedOutFormKeeper {
  return async (req) => {
    const match = RECORDING_FORM.exec(req.path);
    const expired = req.expiredSession;
    if (!match || !expired || !(RECORDING_KINDS as readonly string[]).includes(match[2]!)) return null;
    const roles = await activeUserRoles(db, expired.userId);
    if (!roles) return null;
    const ctx: ActorContext = {
      partnershipId: expired.partnershipId,
      actor: { type: 'user', id: expired.userId, label: expired.label, organisationId: expired.organisationId, roles },
      purpose: 'keep a form sent after the session timed out',
      correlationId: req.correlationId,
      ip: req.ip ?? null,
    };
    const { _csrf, ...content } = (req.body ?? {}) as Record<string, unknown>;
    void _csrf;
    try {
      await saveDraft(db, ctx, match[1]!, match[2]!, content);
    } catch (error) {
      if (error instanceof AccessDeniedError) return null;
      throw error;
    }
    return `/people/${match[1]}/record/${match[2]}`;
  };
}
