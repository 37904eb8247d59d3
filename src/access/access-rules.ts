import { z } from 'zod';
import type { Role } from '../db/schema.js';

/**
 * A partnership's access rules, as configuration (kept in `partnerships.settings.access`). Every
 * value has a default; a partnership changes only what it needs. See docs/access-model.md.
 */
export const accessSettingsSchema = z.object({
  /** Days a relationship lasts after an involvement ends or goes quiet. */
  relationshipGraceDays: z.number().int().min(0).max(3650).default(180),
  /** Hours a break-glass access to one person lasts. */
  breakGlassHours: z.number().min(0.25).max(24).default(2),
  /** Whether an organisation may reach the family members of the people it works with. */
  familyReach: z.boolean().default(true),
  /**
   * What an organisation sees of the events of someone it reaches only through their family, by the
   * viewer's agency ("*" for any other): event types shown in full. Other types show only that the
   * source agency is involved and whom to contact.
   */
  familyVisibleEventTypes: z.record(z.string(), z.array(z.string())).default({
    '*': ['contact', 'referral', 'threshold-decision', 'strategy-discussion', 'section-47', 'plan-start', 'plan-end', 'meeting', 'household', 'move', 'birth', 'pregnancy', 'police-incident'],
    'childrens-social-care': ['*'],
    'early-help': ['*'],
  }),
  /** Roles that see "Who has looked at this record" on any person they can open. */
  accessLogRoles: z.array(z.string()).default(['manager', 'admin', 'dpo']),
});

export type AccessSettings = z.infer<typeof accessSettingsSchema>;

/** How a user may read a person (the first that holds, in this order). */
export type AccessBasis = 'partnership' | 'involvement' | 'break-glass' | 'front-door' | 'family' | 'governance';

/** What a user sees of one event. */
export type EventVisibility = 'full' | 'involvement-only' | 'restricted-stub';

/** Compiled rules: settings checked once, with the decisions that depend only on them. */
export interface AccessRules {
  settings: AccessSettings;
  /** Whether a basis lets the user open a page of the record beyond its summary. */
  canOpenRecord(basis: AccessBasis): boolean;
  /** Whether a user holding `roles` sees the access log of a person they reach by `basis`. */
  canSeeAccessLog(roles: readonly Role[], basis: AccessBasis, isLeadPractitioner: boolean): boolean;
  /** Event types a viewer of this agency sees in full through a family member ('all', or a list). */
  familyVisibleTypes(viewerAgency: string): 'all' | readonly string[];
  /**
   * What a viewer sees of an event: restricted events only by their source organisation or with a
   * grant; through a family member only the configured types; otherwise in full.
   */
  eventVisibility(input: {
    viewerAgency: string;
    viewerOrganisationId: string | null;
    basis: AccessBasis;
    eventType: string;
    sourceOrganisationId: string;
    restricted: boolean;
    granted: boolean;
  }): EventVisibility;
}

/**
 * Checks a partnership's settings and compiles them into rules. Called once per session (the web
 * keeps the result with the session) so each request pays nothing for it. Throws on invalid settings.
 */
export function compileAccessRules(raw: unknown): AccessRules {
  const settings = accessSettingsSchema.parse(raw ?? {});
  const visibleTypes = new Map(Object.entries(settings.familyVisibleEventTypes).map(([agency, types]) => [agency, new Set(types)]));
  const logRoles = new Set(settings.accessLogRoles);
  const familyVisibleTypes = (viewerAgency: string): 'all' | readonly string[] => {
    const types = visibleTypes.get(viewerAgency) ?? visibleTypes.get('*') ?? new Set<string>();
    return types.has('*') ? 'all' : [...types];
  };
  return {
    settings,
    familyVisibleTypes,
    canOpenRecord: (basis) => basis !== 'governance',
    canSeeAccessLog: (roles, basis, isLead) => isLead || (roles.some((r) => logRoles.has(r)) && (basis !== 'front-door' || roles.includes('dpo') || roles.includes('admin'))),
    eventVisibility({ viewerAgency, viewerOrganisationId, basis, eventType, sourceOrganisationId, restricted, granted }) {
      const ownRecord = viewerOrganisationId !== null && viewerOrganisationId === sourceOrganisationId;
      if (restricted && !ownRecord && !granted) return 'restricted-stub';
      if (ownRecord || basis !== 'family') return 'full';
      const types = familyVisibleTypes(viewerAgency);
      return types === 'all' || types.includes(eventType) ? 'full' : 'involvement-only';
    },
  };
}

const cache = new Map<string, AccessRules>();
const CACHE_LIMIT = 10_000;

/** The compiled rules for one session, compiling them on the session's first request. */
export function rulesForSession(sessionId: string, rawSettings: unknown): AccessRules {
  let rules = cache.get(sessionId);
  if (!rules) {
    rules = compileAccessRules(rawSettings);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(sessionId, rules);
  }
  return rules;
}

/** Forgets a session's rules (sign-out, time-out, or the partnership changed its settings). */
export function forgetSessionRules(sessionId?: string): void {
  if (sessionId) cache.delete(sessionId);
  else cache.clear();
}
