import { describe, expect, it } from 'vitest';
import { repeatPlans } from '../../../src/patterns/rules/repeat-plans.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('hv', 'health-visiting');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:amy', { dob: '2017-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  return b;
}

function plan(b: HistoryBuilder, kind: string, from: string, to: string | null, reason = 'improvement', child = 'csc:amy', options: { endKnown?: string } = {}): { start: string; end: string | null } {
  const start = b.event('plan-start', from, [child], { plan: kind });
  const end = to === null ? null : b.event('plan-end', to, [child], { plan: kind, reason }, { about: [start], known: options.endKnown });
  return { start, end };
}
const referral = (b: HistoryBuilder, date: string, child = 'csc:amy', fields: Record<string, unknown> = { from: '2A', to: 'childrens-social-care' }) => b.event('referral', date, [child], fields);

describe('repeat-plans', () => {
  it('fires (high) for a second child protection plan', () => {
    const b = family();
    const first = plan(b, 'child-protection', '2019-01-01', '2019-10-01');
    const second = b.event('plan-start', '2023-03-01', ['csc:amy'], { plan: 'child-protection', category: 'NEG' });
    const [f] = findingsOn(repeatPlans, b, '2023-03-01');
    expect(f).toMatchObject({ subject: 'csc:amy', episode: second, severity: 'high' });
    expect(f!.evidence).toEqual(expect.arrayContaining([second, first.start, first.end!]));
    expect(f!.explanation).toContain('second or later child protection plan');
  });

  it('does not fire for a first child protection plan after an older child in need plan', () => {
    const b = family();
    plan(b, 'child-in-need', '2018-01-01', '2019-01-01');
    b.event('plan-start', '2023-03-01', ['csc:amy'], { plan: 'child-protection' });
    expect(findingsOn(repeatPlans, b, '2023-03-01')).toEqual([]);
  });

  it('fires (medium) for a plan start after 2 plans ended within 730 days, not when one is older', () => {
    const b = family();
    plan(b, 'early-help', '2021-01-01', '2021-06-01');
    plan(b, 'child-in-need', '2022-01-01', '2022-06-01');
    const s = b.event('plan-start', '2023-05-31', ['csc:amy'], { plan: 'early-help' }); // 729 days after the first end
    expect(findingsOn(repeatPlans, b, '2023-05-31')).toMatchObject([{ episode: s, severity: 'medium' }]);
    const c = family();
    plan(c, 'early-help', '2021-01-01', '2021-06-01');
    plan(c, 'child-in-need', '2022-01-01', '2022-06-01');
    c.event('plan-start', '2023-06-02', ['csc:amy'], { plan: 'early-help' }); // 731 days
    expect(findingsOn(repeatPlans, c, '2023-06-02')).toEqual([]);
  });

  it('fires for a concern referral within 365 days of a plan ending, not after', () => {
    const b = family();
    plan(b, 'child-in-need', '2022-01-01', '2022-06-01');
    const r = referral(b, '2023-06-01'); // 365 days
    referral(b, '2023-06-02'); // 366 days
    const found = findingsOn(repeatPlans, b, '2023-06-10');
    expect(found.map((f) => f.episode)).toEqual([r]);
    expect(found[0]!.explanation).toContain('within 365 days of a plan ending');
  });

  it('does not treat a referral within 7 days of a step-down or step-up as a re-referral', () => {
    const b = family();
    plan(b, 'child-protection', '2022-01-01', '2022-06-01', 'step-down');
    referral(b, '2022-06-08'); // 7 days: a transfer
    expect(findingsOn(repeatPlans, b, '2022-06-08')).toEqual([]);
    const r = referral(b, '2022-06-09'); // 8 days
    expect(findingsOn(repeatPlans, b, '2022-06-09').map((f) => f.episode)).toEqual([r]);
    const c = family();
    plan(c, 'early-help', '2022-01-01', '2022-06-01', 'improvement');
    const r2 = referral(c, '2022-06-03'); // within 7 days, but not a step-down
    expect(findingsOn(repeatPlans, c, '2022-06-03').map((f) => f.episode)).toEqual([r2]);
  });

  it('still counts a stepped-down plan as ended for the 2-plans clause', () => {
    const b = family();
    plan(b, 'child-in-need', '2021-01-01', '2021-06-01');
    plan(b, 'child-protection', '2022-01-01', '2022-06-01', 'step-down');
    const r = referral(b, '2022-06-03');
    const [f] = findingsOn(repeatPlans, b, '2022-06-03');
    expect(f).toMatchObject({ episode: r, severity: 'medium' });
    expect(f!.explanation).toContain('2 plans ended');
  });

  it('counts a plan while the child was unborn (one person after the birth)', () => {
    const b = family();
    b.unborn('csc:unborn', { expected: '2017-05-03' });
    b.link('csc:unborn', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2016-11-01', ['csc:mum'], { expectedDate: '2017-05-03', unborn: 'csc:unborn' });
    plan(b, 'child-protection', '2017-02-01', '2017-12-01', 'improvement', 'csc:unborn');
    b.event('plan-start', '2019-03-01', ['csc:amy'], { plan: 'child-protection' });
    expect(findingsOn(repeatPlans, b, '2019-03-01')).toEqual([]);
    expect(findingsOn(repeatPlans, b, '2019-03-01', { personOf: { 'csc:unborn': 'csc:amy' } })).toMatchObject([{ subject: 'csc:amy', severity: 'high' }]);
  });

  it('raises on the mother when the child is still unborn', () => {
    const b = family();
    b.unborn('csc:unborn', { expected: '2024-09-01' });
    b.link('csc:unborn', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2024-01-01', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:unborn' });
    plan(b, 'child-in-need', '2024-02-01', '2024-04-01', 'improvement', 'csc:unborn');
    const r = referral(b, '2024-05-01', 'csc:unborn');
    expect(findingsOn(repeatPlans, b, '2024-05-01')).toMatchObject([{ subject: 'csc:mum', unborn: 'csc:unborn', episode: r }]);
  });

  it('ignores referrals that are not concern referrals', () => {
    const b = family();
    plan(b, 'child-in-need', '2022-01-01', '2022-06-01');
    referral(b, '2022-09-01', 'csc:amy', { from: '3B', to: 'community-health' });
    expect(findingsOn(repeatPlans, b, '2022-09-01')).toEqual([]);
    referral(b, '2022-09-02', 'csc:amy', { from: '3B', to: 'community-health' });
    b.event('referral', '2022-09-03', ['csc:amy'], { from: '3B', to: 'community-health' }, { concerns: ['neglect-medical'] });
    expect(findingsOn(repeatPlans, b, '2022-09-03')).toHaveLength(1);
  });

  it('raises once per triggering event, and when a late plan end is recorded', () => {
    const b = family();
    plan(b, 'child-in-need', '2022-01-01', '2022-06-01', 'improvement', 'csc:amy', { endKnown: '2022-10-01' });
    const r = referral(b, '2022-09-01');
    const r2 = referral(b, '2022-11-01');
    const alerts = runRules(b, [repeatPlans], { until: '2023-01-01' });
    expect(alerts.map((a) => [a.episode, a.raised])).toEqual([
      [r, '2022-10-01'],
      [r2, '2022-11-01'],
    ]);
  });

  it('raises nothing for a young person of 18', () => {
    const b = new HistoryBuilder();
    b.person('csc:sam', { dob: '2005-01-01' });
    plan(b, 'child-in-need', '2022-01-01', '2022-06-01', 'improvement', 'csc:sam');
    referral(b, '2022-12-31', 'csc:sam');
    expect(findingsOn(repeatPlans, b, '2022-12-31')).toHaveLength(1);
    expect(findingsOn(repeatPlans, b, '2023-01-01')).toEqual([]);
  });

  it('is closed only by a response', () => {
    expect(repeatPlans.satisfiedBy).toBeUndefined();
  });
});
