import { describe, expect, it } from 'vitest';
import { childNotSeen } from '../../../src/patterns/rules/child-not-seen.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('hv', 'health-visiting').source('school', 'school').source('mw', 'midwifery');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  return b;
}

const plan = (b: HistoryBuilder, date: string, kind = 'child-protection', child = 'csc:amy') => b.event('plan-start', date, [child], { plan: kind, category: kind === 'child-protection' ? 'NEG' : undefined });
const visit = (b: HistoryBuilder, date: string, outcome: string, childSeen: boolean, options: { source?: string; child?: string; known?: string } = {}) =>
  b.event('home-visit', date, [options.child ?? 'csc:amy'], { outcome, childSeen }, { source: options.source ?? 'csc', known: options.known });

describe('child-not-seen', () => {
  it('raises (high) on the 28th day of a child protection plan with no visit seeing the child', () => {
    const b = family();
    const start = plan(b, '2024-01-10');
    expect(findingsOn(childNotSeen, b, '2024-02-06')).toEqual([]);
    const [f] = findingsOn(childNotSeen, b, '2024-02-07');
    expect(f).toMatchObject({ subject: 'csc:amy', unborn: null, episode: '', severity: 'high', evidence: [start] });
    expect(f!.explanation).toBe('On a child protection plan and not seen on a home visit for 28 days since the start of the plan on 10 January 2024 (due by 7 February 2024). High: the child is on a child protection plan.');
    expect(runRules(b, [childNotSeen], { until: '2024-03-01' }).map((a) => a.raised)).toEqual(['2024-02-07']);
  });

  it('allows 56 days on a child in need plan (medium), counted from the last visit that saw the child', () => {
    const b = family();
    plan(b, '2024-01-10', 'child-in-need');
    const seen = visit(b, '2024-02-01', 'completed', true);
    expect(findingsOn(childNotSeen, b, '2024-03-27')).toEqual([]);
    const [f] = findingsOn(childNotSeen, b, '2024-03-28');
    expect(f).toMatchObject({ severity: 'medium' });
    expect(f!.evidence).toContain(seen);
  });

  it('is not raised when the child is seen on the 28th day, and a child seen outside the home restarts the clock', () => {
    const b = family();
    plan(b, '2024-01-10');
    visit(b, '2024-02-07', 'completed', true);
    expect(runRules(b, [childNotSeen], { until: '2024-03-05' })).toEqual([]);
    const c = family();
    plan(c, '2024-01-10');
    visit(c, '2024-02-01', 'seen-outside-home', true);
    expect(findingsOn(childNotSeen, c, '2024-02-28')).toEqual([]);
    expect(findingsOn(childNotSeen, c, '2024-02-29')).toHaveLength(1);
  });

  it('never counts a virtual visit as seeing the child', () => {
    const b = family();
    plan(b, '2024-01-10');
    visit(b, '2024-02-01', 'virtual', true);
    expect(findingsOn(childNotSeen, b, '2024-02-07')).toHaveLength(1);
  });

  it('is closed by a visit that sees the child, and raised again on new evidence', () => {
    const b = family();
    plan(b, '2024-01-10');
    const seen = visit(b, '2024-02-20', 'completed', true);
    const alerts = runRules(b, [childNotSeen], { until: '2024-04-01' });
    expect(alerts.map((a) => [a.raised, a.closed?.date ?? null, a.closed?.event ?? null])).toEqual([
      ['2024-02-07', '2024-02-20', seen],
      ['2024-03-19', null, null],
    ]);
  });

  it('starts the clock at the birth for a plan made before it, and never raises while unborn', () => {
    const b = new HistoryBuilder().source('mw', 'midwifery');
    b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
    b.unborn('csc:baby-u', { expected: '2024-06-01' });
    b.person('csc:baby', { dob: '2024-05-20', sex: 'male' });
    b.link('csc:baby-u', 'unborn-child-of', 'csc:mum');
    b.link('csc:mum', 'mother', 'csc:baby');
    b.event('pregnancy', '2024-01-05', ['csc:mum'], { expectedDate: '2024-06-01', unborn: 'csc:baby-u' }, { source: 'mw' });
    plan(b, '2024-02-01', 'child-protection', 'csc:baby-u');
    b.event('birth', '2024-05-20', ['csc:mum'], { child: 'csc:baby', unborn: 'csc:baby-u' }, { source: 'mw' });
    const merged = { from: '2024-05-20', personOf: { 'csc:baby-u': 'csc:baby' } };
    const alerts = runRules(b, [childNotSeen], { until: '2024-07-01', personOf: [merged] });
    expect(alerts.map((a) => [a.raised, a.subject, a.unborn])).toEqual([['2024-06-17', 'csc:baby', null]]);
    expect(alerts[0]!.explanation).toContain('since the birth on 20 May 2024');
  });

  it('raises for 2 home visits in a row with no access, declined, outside the home or virtual, on or off a plan', () => {
    const b = family();
    const a = visit(b, '2024-03-01', 'no-access', false, { source: 'hv' });
    expect(findingsOn(childNotSeen, b, '2024-03-01')).toEqual([]);
    const c = visit(b, '2024-03-08', 'seen-outside-home', true);
    const [f] = findingsOn(childNotSeen, b, '2024-03-08');
    expect(f).toMatchObject({ severity: 'medium', evidence: [a, c] });
    expect(f!.explanation).toBe('2 home visits in a row did not see the child at home: 1 March 2024 (no access), 8 March 2024 (seen outside the home, child seen).');
  });

  it('breaks the run at a completed visit, even one that did not see the child', () => {
    const b = family();
    visit(b, '2024-03-01', 'declined', false);
    visit(b, '2024-03-05', 'completed', false);
    visit(b, '2024-03-08', 'virtual', false);
    expect(findingsOn(childNotSeen, b, '2024-03-08')).toEqual([]);
  });

  it('closes the two-visit alert only with a visit that sees the child at home, not another doorstep visit', () => {
    const b = family();
    visit(b, '2024-03-01', 'no-access', false);
    visit(b, '2024-03-08', 'no-access', false);
    visit(b, '2024-03-15', 'seen-outside-home', true);
    const home = visit(b, '2024-03-22', 'completed', true);
    const alerts = runRules(b, [childNotSeen], { until: '2024-04-01' });
    expect(alerts.map((a) => [a.raised, a.closed?.event ?? null])).toEqual([['2024-03-08', home]]);
  });

  it('is not raised when a visit seeing the child at home is recorded the same day as the second failed one', () => {
    const b = family();
    visit(b, '2024-03-01', 'no-access', false);
    visit(b, '2024-03-08', 'no-access', false);
    visit(b, '2024-03-08', 'completed', true, { source: 'hv' });
    expect(runRules(b, [childNotSeen], { until: '2024-04-01' })).toEqual([]);
  });

  it('raises on a failed visit recorded late only once it is known', () => {
    const b = family();
    visit(b, '2024-03-01', 'no-access', false);
    visit(b, '2024-03-08', 'declined', false, { known: '2024-03-20' });
    expect(runRules(b, [childNotSeen], { until: '2024-04-01' }).map((a) => a.raised)).toEqual(['2024-03-20']);
  });

  it('puts visits by different agencies together once their records are one child', () => {
    const b = family();
    b.person('hv:amy', { dob: '2019-05-01', sex: 'female' });
    visit(b, '2024-03-01', 'no-access', false);
    visit(b, '2024-03-08', 'no-access', false, { source: 'hv', child: 'hv:amy' });
    expect(findingsOn(childNotSeen, b, '2024-03-08')).toEqual([]);
    expect(findingsOn(childNotSeen, b, '2024-03-08', { personOf: { 'hv:amy': 'csc:amy' } })).toHaveLength(1);
  });

  it('stops at 18 and wakes up on the day the child is due to be seen', () => {
    const b = new HistoryBuilder();
    b.person('csc:zoe', { dob: '2006-02-15', sex: 'female' });
    plan(b, '2024-01-10', 'child-protection', 'csc:zoe');
    expect(findingsOn(childNotSeen, b, '2024-02-14')).toHaveLength(1);
    expect(findingsOn(childNotSeen, b, '2024-02-15')).toEqual([]);
    const wakeups = childNotSeen.wakeups!({ history: b.history('2024-01-10'), day: '2024-01-10', settings: childNotSeen.settings.parse({}), openAlerts: [] });
    expect(wakeups).toEqual(['2024-02-07']);
  });
});
