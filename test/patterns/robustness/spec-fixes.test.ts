// One test per correction made after comparing the rules line by line with spec/rules.md: each shows
// the catalogue's wording holding where the rule used to read it differently.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/calendar/days.js';
import { closureRisk } from '../../../src/patterns/rules/closure-risk.rule.js';
import { unbornBaby } from '../../../src/patterns/rules/unborn-baby.rule.js';
import { runRules } from '../rules/history-builder.js';
import { agencies, couple, runAll, summary } from './family.js';

describe('corrections to the rules', () => {
  it('closure-risk: a pregnancy current at the plan end but recorded only later raises on the day it is recorded (Evaluation: the earliest day the condition held on what was recorded)', () => {
    const b = couple('2018-01-01');
    const plan = b.event('plan-start', '2024-01-10', ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
    const end = b.event('plan-end', '2024-05-01', ['csc:amy'], { plan: 'early-help', reason: 'improvement', dissent: [] }, { source: 'eh', about: [plan] });
    // The GP's record of the pregnancy, dated before the closure, reaches the system in June.
    const pregnancy = b.event('pregnancy', '2024-04-02', ['csc:mum'], { expectedDate: '2024-11-01' }, { source: 'gp', known: '2024-06-10' });
    // A pregnancy that began after the closure does not make it risky.
    b.event('pregnancy', '2025-03-01', ['csc:mum'], { expectedDate: '2025-10-01' }, { source: 'mw', known: '2025-03-05' });
    const alerts = runRules(b, [closureRisk], { until: '2025-06-01' });
    expect(summary(alerts)).toEqual([{ rule: 'closure-risk', subject: 'csc:amy', unborn: null, raised: '2024-06-10', severity: 'high' }]);
    expect(alerts[0]!.episode).toBe(end);
    expect(alerts[0]!.evidence).toContain(pregnancy);
    expect(alerts[0]!.explanation).toContain('a pregnancy was current in the household (expected 1 November 2024)');
  });

  it('closure-risk: a plan end is still raised only once, and an alert opened after the closure still does not count', () => {
    const b = couple('2018-01-01');
    const plan = b.event('plan-start', '2024-01-10', ['csc:amy'], { plan: 'early-help' }, { source: 'eh' });
    b.event('pregnancy', '2024-04-02', ['csc:mum'], { expectedDate: '2024-11-01' }, { source: 'mw' });
    b.event('plan-end', '2024-05-01', ['csc:amy'], { plan: 'early-help', reason: 'improvement' }, { source: 'eh', about: [plan] });
    b.event('pregnancy', '2024-04-02', ['csc:mum'], { expectedDate: '2024-11-03' }, { source: 'gp', known: '2024-06-10' }); // the same pregnancy, from another source
    expect(summary(runRules(b, [closureRisk], { until: '2024-12-01' })).map((a) => a.raised)).toEqual(['2024-05-01']);
  });

  it('definitions: another agency’s copy of a plan start (its `about` names the plan start) is not a second plan that never ends', () => {
    const b = couple('2018-01-01');
    const start = b.event('plan-start', '2024-01-10', ['csc:amy'], { plan: 'child-protection', category: 'EMO' }, { participants: ['csc:mum', 'csc:dad'] });
    // The health visitor's record of the council's notification, a few days later.
    b.event('plan-start', '2024-01-15', ['csc:amy'], { plan: 'child-protection', category: 'EMO' }, { source: 'hv', about: [start], participants: ['csc:mum', 'csc:dad'] });
    for (let d = '2024-02-01'; d <= '2024-07-01'; d = addDays(d, 21)) b.event('home-visit', d, ['csc:amy'], { outcome: 'completed', childSeen: true });
    b.event('meeting', '2024-01-24', ['csc:amy'], { kind: 'core-group', progress: 'improved' }, { about: [start] });
    b.event('meeting', '2024-04-10', ['csc:amy'], { kind: 'rcpc', progress: 'improved' }, { about: [start] });
    b.event('plan-end', '2024-07-10', ['csc:amy'], { plan: 'child-protection', reason: 'improvement', dissent: [] }, { about: [start] });
    // The health visitor recorded the start but not the end. Without the copy dropped, the child
    // would still be "on a plan" in 2025: not seen for 28 days, open 9 months, reviews overdue.
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('definitions: a copy of an assessment’s start is not an assessment left uncompleted', () => {
    const b = couple('2018-01-01');
    const start = b.event('assessment', '2024-03-04', ['csc:amy'], { kind: 'child-and-family', status: 'started' }, { participants: ['csc:mum', 'csc:dad'] });
    b.event('assessment', '2024-03-05', ['csc:amy'], { kind: 'child-and-family', status: 'started' }, { source: 'school', about: [start] });
    b.event('assessment', '2024-04-10', ['csc:amy'], { kind: 'child-and-family', status: 'completed' }, { participants: ['csc:mum', 'csc:dad'], about: [start] });
    expect(summary(runAll(b, '2025-01-01'))).toEqual([]);
  });

  it('closure-risk: another agency’s record of a risky closure (`about` the plan end) is not a second closure', () => {
    const b = couple('2018-01-01');
    const plan = b.event('plan-start', '2024-01-10', ['csc:amy'], { plan: 'child-in-need' }, { participants: ['csc:mum', 'csc:dad'] });
    const end = b.event('plan-end', '2024-05-01', ['csc:amy'], { plan: 'child-in-need', reason: 'non-engagement' }, { about: [plan] });
    b.event('plan-end', '2024-05-03', ['csc:amy'], { plan: 'child-in-need', reason: 'non-engagement' }, { source: 'school', about: [end] });
    expect(summary(runRules(b, [closureRisk], { until: '2024-06-01' })).map((a) => a.raised)).toEqual(['2024-05-01']);
  });

  it('unborn-baby: one pregnancy raises once, even when an earlier-dated recording of it arrives after a response closed the alert', () => {
    const b = agencies();
    b.person('mw:jade', { dob: '2007-06-01', sex: 'female' }); // 16: the procedure applies
    b.unborn('mw:baby', { expected: '2024-08-20' });
    b.link('mw:baby', 'unborn-child-of', 'mw:jade');
    b.event('pregnancy', '2024-02-01', ['mw:jade'], { expectedDate: '2024-08-20', unborn: 'mw:baby' }, { source: 'mw' });
    // The GP saw her first, in January; the GP's record reaches the system in March.
    b.event('pregnancy', '2024-01-05', ['mw:jade'], { expectedDate: '2024-08-25' }, { source: 'gp', known: '2024-03-01' });
    const alerts = runRules(b, [unbornBaby], { until: '2024-04-01', responses: [{ day: '2024-02-05', rule: 'unborn-baby' }] });
    expect(summary(alerts)).toEqual([{ rule: 'unborn-baby', subject: 'mw:jade', unborn: 'mw:baby', raised: '2024-02-01', severity: 'medium' }]);
  });
});
