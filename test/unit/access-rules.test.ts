import { describe, expect, it } from 'vitest';
import { compileAccessRules, forgetSessionRules, rulesForSession } from '../../src/access/access-rules.js';
import { csvCell, csvLine } from '../../src/shared/csv.js';

describe('access rules (configuration)', () => {
  it('fills every setting with its default', () => {
    const { settings } = compileAccessRules({});
    expect(settings.relationshipGraceDays).toBe(180);
    expect(settings.breakGlassHours).toBe(2);
    expect(settings.familyReach).toBe(true);
    expect(settings.accessLogRoles).toEqual(['manager', 'admin', 'dpo']);
  });

  it('takes a partnership’s own values and refuses nonsense', () => {
    expect(compileAccessRules({ relationshipGraceDays: 365, breakGlassHours: 1 }).settings).toMatchObject({ relationshipGraceDays: 365, breakGlassHours: 1 });
    expect(() => compileAccessRules({ relationshipGraceDays: -1 })).toThrow();
    expect(() => compileAccessRules({ breakGlassHours: 100 })).toThrow();
  });

  it('is compiled once per session and forgotten at sign-out', () => {
    const first = rulesForSession('session-a', { breakGlassHours: 1 });
    expect(rulesForSession('session-a', { breakGlassHours: 5 })).toBe(first);
    forgetSessionRules('session-a');
    expect(rulesForSession('session-a', { breakGlassHours: 5 }).settings.breakGlassHours).toBe(5);
  });

  it('opens the record beyond its summary for every basis but governance', () => {
    const rules = compileAccessRules({});
    for (const basis of ['partnership', 'involvement', 'break-glass', 'front-door', 'family'] as const) expect(rules.canOpenRecord(basis)).toBe(true);
    expect(rules.canOpenRecord('governance')).toBe(false);
  });

  it('shows the access log to the lead practitioner, managers, admins and the DPO only', () => {
    const rules = compileAccessRules({});
    expect(rules.canSeeAccessLog(['practitioner'], 'involvement', true)).toBe(true);
    expect(rules.canSeeAccessLog(['practitioner'], 'involvement', false)).toBe(false);
    expect(rules.canSeeAccessLog(['manager'], 'involvement', false)).toBe(true);
    expect(rules.canSeeAccessLog(['dpo'], 'governance', false)).toBe(true);
    expect(rules.canSeeAccessLog(['front-door'], 'front-door', false)).toBe(false);
  });

  describe('what a viewer sees of an event', () => {
    const rules = compileAccessRules({});
    const base = { viewerAgency: 'school', viewerOrganisationId: 'school-1', basis: 'involvement' as const, eventType: 'service', sourceOrganisationId: 'mh-1', restricted: false, granted: false };

    it('a restricted event: only its source organisation and grantees see it; others a stub', () => {
      expect(rules.eventVisibility({ ...base, restricted: true })).toBe('restricted-stub');
      expect(rules.eventVisibility({ ...base, restricted: true, granted: true })).toBe('full');
      expect(rules.eventVisibility({ ...base, restricted: true, viewerOrganisationId: 'mh-1' })).toBe('full');
    });

    it('through a family member, only the configured event types in full', () => {
      expect(rules.eventVisibility({ ...base, basis: 'family', eventType: 'service' })).toBe('involvement-only');
      expect(rules.eventVisibility({ ...base, basis: 'family', eventType: 'referral' })).toBe('full');
      expect(rules.eventVisibility({ ...base, basis: 'family', viewerAgency: 'childrens-social-care', eventType: 'service' })).toBe('full');
      expect(rules.eventVisibility({ ...base, basis: 'involvement', eventType: 'service' })).toBe('full');
    });

    it('follows a partnership’s own list', () => {
      const strict = compileAccessRules({ familyVisibleEventTypes: { '*': [] } });
      expect(strict.eventVisibility({ ...base, basis: 'family', eventType: 'referral' })).toBe('involvement-only');
    });
  });
});

describe('CSV cells', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(formula).startsWith(`"'`)).toBe(true);
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvLine([1, null, 'a'])).toBe('"1","","a"\r\n');
  });
});
