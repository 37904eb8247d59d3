// Each rule's thresholds are a per-partnership setting (spec/rules.md: "Every threshold below is a
// default; a partnership can change it"). A partnership's `settings.rules` holds only what it
// changes, per rule id; everything else is the catalogue's default. Bad settings stop with a
// sentence naming the rule and the field.
import { UserFacingError } from '../shared/errors.js';
import type { RuleSettingsMap } from './engine.js';
import type { PatternRule } from './rule.js';

/** Every rule's settings for a partnership, checked, with defaults where the partnership says nothing. */
export function resolveRuleSettings(raw: unknown, rules: readonly PatternRule<unknown>[]): RuleSettingsMap {
  const given = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const result: Record<string, unknown> = {};
  for (const rule of rules) {
    const parsed = rule.settings.safeParse(given[rule.id] ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'its settings';
      throw new UserFacingError(`The partnership's settings for the rule "${rule.id}" are not valid: ${field} ${issue?.message ?? 'is wrong'}.`);
    }
    result[rule.id] = parsed.data;
  }
  return result;
}
