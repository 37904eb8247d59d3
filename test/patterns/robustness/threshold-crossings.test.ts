// Histories that sit just over a threshold: the alert must be raised, on the right day, with the
// right severity, by the right rule (every rule runs, as in a replay; the assertions pick the rule).
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../../src/calendar/days.js';
import { addWorkingDays } from '../../../src/calendar/working-days.js';
import type { RuleId } from '../../../src/patterns/rule.js';
import { agencies, couple, runAll, summary } from './family.js';

type Builder = ReturnType<typeof agencies>;
const appointment = (b: Builder, date: string, status: string, child = 'csc:amy') => b.event('appointment', date, [child], { service: 'paediatric clinic', status }, { source: 'hosp' });
const visit = (b: Builder, date: string, outcome: string, childSeen: boolean, child = 'csc:amy') => b.event('home-visit', date, [child], { outcome, childSeen }, { source: 'csc' });
const factor = (b: Builder, person: string, code: string, date: string, status = 'present') => b.event('factor', date, [person], { code, status });
const of = (alerts: ReturnType<typeof runAll>, rule: RuleId) => summary(alerts.filter((a) => a.rule === rule));

describe('just over the thresholds: raised on the right day with the right severity', () => {
  it('was-not-brought: exactly 2 missed appointments 180 days apart (medium at 4; high under 2); 181 days apart is not enough', () => {
    for (const [dob, severity] of [
      ['2020-01-01', 'medium'],
      ['2022-08-01', 'high'],
    ] as const) {
      const b = couple(dob);
      appointment(b, '2024-01-10', 'was-not-brought');
      const second = addDays('2024-01-10', 180);
      appointment(b, second, 'cancelled-by-family');
      expect(of(runAll(b, '2024-12-31'), 'was-not-brought')).toEqual([{ rule: 'was-not-brought', subject: 'csc:amy', unborn: null, raised: second, severity }]);
    }
    const c = couple('2020-01-01');
    appointment(c, '2024-01-10', 'was-not-brought');
    appointment(c, addDays('2024-01-10', 181), 'was-not-brought');
    expect(of(runAll(c, '2024-12-31'), 'was-not-brought')).toEqual([]);
  });

  it('was-not-brought: 2 of 4 appointments attended in a year, though the misses are 200 days apart', () => {
    const b = couple('2020-01-01');
    appointment(b, '2024-01-05', 'attended');
    appointment(b, '2024-01-10', 'was-not-brought');
    appointment(b, '2024-03-01', 'attended');
    const last = addDays('2024-01-10', 200);
    appointment(b, last, 'was-not-brought');
    expect(of(runAll(b, '2024-12-31'), 'was-not-brought')).toEqual([{ rule: 'was-not-brought', subject: 'csc:amy', unborn: null, raised: last, severity: 'medium' }]);
  });

  it('was-not-brought: one no-access visit while on a child in need plan', () => {
    const b = couple('2019-01-01');
    b.event('plan-start', '2024-02-01', ['csc:amy'], { plan: 'child-in-need' }, { participants: ['csc:mum', 'csc:dad'] });
    visit(b, '2024-02-20', 'completed', true);
    visit(b, '2024-03-05', 'no-access', false);
    expect(of(runAll(b, '2024-03-20'), 'was-not-brought')).toEqual([{ rule: 'was-not-brought', subject: 'csc:amy', unborn: null, raised: '2024-03-05', severity: 'medium' }]);
  });

  it('low-attendance: absence of exactly 10% over exactly 20 sessions (medium); 50% (high); 10% while on a plan (high)', () => {
    const cases = [
      [18, false, 'medium'],
      [10, false, 'high'],
      [18, true, 'high'],
    ] as const;
    for (const [attended, onPlan, severity] of cases) {
      const b = couple('2015-09-01');
      if (onPlan) b.event('plan-start', '2024-01-08', ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
      b.event('attendance-summary', '2024-02-09', ['csc:amy'], { setting: 'school', from: '2024-01-29', to: '2024-02-09', possibleSessions: 20, attendedSessions: attended }, { source: 'school', known: '2024-02-12' });
      expect(of(runAll(b, '2024-03-01'), 'low-attendance')).toEqual([{ rule: 'low-attendance', subject: 'csc:amy', unborn: null, raised: '2024-02-12', severity }]);
    }
  });

  it('repeat-concerns: 2 from different agencies exactly 90 days apart (medium); 5 within a year (high)', () => {
    const b = couple('2016-02-01');
    b.event('concern', '2024-02-01', ['csc:amy'], {}, { source: 'school' });
    const second = addDays('2024-02-01', 90);
    b.event('police-incident', second, ['csc:mum'], { kind: 'welfare', childrenPresent: ['csc:amy'] }, { source: 'police' });
    expect(of(runAll(b, '2024-06-01'), 'repeat-concerns')).toEqual([{ rule: 'repeat-concerns', subject: 'csc:amy', unborn: null, raised: second, severity: 'medium' }]);

    const c = couple('2016-02-01');
    for (const d of ['2024-01-10', '2024-03-10', '2024-06-10', '2024-09-10', '2025-01-09']) c.event('concern', d, ['csc:amy'], {}, { source: 'school' });
    const alerts = runAll(c, '2025-02-01').filter((a) => a.rule === 'repeat-concerns');
    expect(alerts.map((a) => [a.raised, a.raisedSeverity, a.severityChanges])).toEqual([['2024-06-10', 'medium', [{ date: '2025-01-09', severity: 'high' }]]]);
  });

  it('repeat-plans: a referral 8 days after a step-down is a re-referral; 7 days after is a transfer', () => {
    for (const [gap, expected] of [
      [7, 0],
      [8, 1],
    ] as const) {
      const b = couple('2018-01-01');
      const start = b.event('plan-start', '2023-06-01', ['csc:amy'], { plan: 'child-in-need' }, { participants: ['csc:mum', 'csc:dad'] });
      for (let d = '2023-06-20'; d < '2024-03-01'; d = addDays(d, 40)) visit(b, d, 'completed', true);
      b.event('plan-end', '2024-03-01', ['csc:amy'], { plan: 'child-in-need', reason: 'step-down', stepTo: 'early-help' }, { about: [start] });
      const day = addDays('2024-03-01', gap);
      const r = b.event('referral', day, ['csc:amy'], { from: '5A', to: 'early-help' }, { source: 'eh' });
      b.event('threshold-decision', day, ['csc:amy'], { level: 2, outcome: 'early-help', historyConsidered: true }, { source: 'eh', about: [r] });
      const raised = of(runAll(b, '2024-06-01'), 'repeat-plans');
      expect(raised).toEqual(expected === 0 ? [] : [{ rule: 'repeat-plans', subject: 'csc:amy', unborn: null, raised: day, severity: 'medium' }]);
    }
  });

  it('repeat-plans: a second child protection plan is high', () => {
    const b = couple('2018-01-01');
    const first = b.event('plan-start', '2020-01-06', ['csc:amy'], { plan: 'child-protection', category: 'EMO' }, { participants: ['csc:mum', 'csc:dad'], known: '2023-01-01' });
    b.event('plan-end', '2020-09-01', ['csc:amy'], { plan: 'child-protection', reason: 'improvement' }, { about: [first], known: '2023-01-01' });
    b.event('plan-start', '2024-02-01', ['csc:amy'], { plan: 'child-protection', category: 'EMO' }, { participants: ['csc:mum', 'csc:dad'] });
    expect(of(runAll(b, '2024-02-10'), 'repeat-plans')).toEqual([{ rule: 'repeat-plans', subject: 'csc:amy', unborn: null, raised: '2024-02-01', severity: 'high' }]);
  });

  it('no-neglect-assessment: raised on the 42nd day after a neglect factor; not when the tool is completed on the 42nd day', () => {
    for (const tool of [false, true]) {
      const b = couple('2019-01-01');
      b.event('factor', '2024-03-01', ['csc:amy'], { code: '16A', status: 'present' });
      const day42 = addDays('2024-03-01', 42);
      if (tool) b.event('assessment', day42, ['csc:amy'], { kind: 'neglect-tool', status: 'completed', grades: { physical: 3 } }, { participants: ['csc:mum', 'csc:dad'] });
      expect(of(runAll(b, '2024-06-01'), 'no-neglect-assessment')).toEqual(tool ? [] : [{ rule: 'no-neglect-assessment', subject: 'csc:amy', unborn: null, raised: day42, severity: 'medium' }]);
    }
  });

  it('child-not-seen: 28 days on a child protection plan with no visit (high), 56 on a child in need plan (medium)', () => {
    for (const [plan, days, severity] of [
      ['child-protection', 28, 'high'],
      ['child-in-need', 56, 'medium'],
    ] as const) {
      const b = couple('2019-01-01');
      b.event('plan-start', '2024-03-04', ['csc:amy'], { plan, category: plan === 'child-protection' ? 'EMO' : undefined }, { participants: ['csc:mum', 'csc:dad'] });
      visit(b, addDays('2024-03-04', days - 1), 'completed', true); // seen on the day before the deadline: the clock restarts
      const alerts = of(runAll(b, '2024-06-30'), 'child-not-seen');
      expect(alerts).toEqual([{ rule: 'child-not-seen', subject: 'csc:amy', unborn: null, raised: addDays('2024-03-04', 2 * days - 1), severity }]);
    }
  });

  it('child-not-seen: two visits in a row seen only on the doorstep, off any plan', () => {
    const b = couple('2019-01-01');
    b.event('home-visit', '2024-03-04', ['csc:amy'], { outcome: 'seen-outside-home', childSeen: true }, { source: 'hv' });
    b.event('home-visit', '2024-03-18', ['csc:amy'], { outcome: 'declined', childSeen: false }, { source: 'hv' });
    expect(of(runAll(b, '2024-04-01'), 'child-not-seen')).toEqual([{ rule: 'child-not-seen', subject: 'csc:amy', unborn: null, raised: '2024-03-18', severity: 'medium' }]);
  });

  it('timescale: a referral on the Thursday before Easter is due for a decision on the Tuesday after; a decision then is in time', () => {
    for (const decided of [false, true]) {
      const b = couple('2017-01-01');
      const r = b.event('referral', '2024-03-28', ['csc:amy'], { from: '2A', to: 'childrens-social-care' });
      if (decided) b.event('threshold-decision', '2024-04-02', ['csc:amy'], { level: 2, outcome: 'early-help', historyConsidered: true }, { about: [r] });
      else b.event('threshold-decision', '2024-04-03', ['csc:amy'], { level: 2, outcome: 'early-help', historyConsidered: true }, { about: [r] });
      const alerts = runAll(b, '2024-05-01').filter((a) => a.rule === 'timescale');
      expect(alerts.map((a) => [a.raised, a.raisedSeverity, a.closed?.date ?? null])).toEqual(decided ? [] : [['2024-04-02', 'medium', '2024-04-03']]);
    }
  });

  it('timescale: no initial conference by the 15th working day after the strategy discussion', () => {
    const b = couple('2017-01-01');
    const sd = b.event('strategy-discussion', '2024-01-10', ['csc:amy'], { outcome: 'section-47' });
    b.event('section-47', '2024-01-12', ['csc:amy'], { outcome: 'icpc' }, { about: [sd] });
    const due = addWorkingDays('2024-01-10', 15);
    b.event('meeting', addWorkingDays('2024-01-10', 16), ['csc:amy'], { kind: 'icpc' }, { about: [sd], participants: ['csc:mum', 'csc:dad'] });
    const alerts = runAll(b, '2024-02-10').filter((a) => a.rule === 'timescale');
    expect(alerts.map((a) => [a.raised, a.episode])).toEqual([[due, `icpc:${sd}`]]);
  });

  it('unborn-baby: an unborn baby whose father is 17, raised on the mother on the booking day (medium), high 14 days later', () => {
    const b = agencies();
    b.person('mw:jade', { dob: '2004-06-01', sex: 'female' });
    b.person('mw:kai', { dob: '2006-11-01', sex: 'male' });
    b.unborn('mw:baby', { expected: '2024-08-01' });
    b.link('mw:baby', 'unborn-child-of', 'mw:jade');
    b.link('mw:kai', 'father', 'mw:baby', { livesElsewhere: true });
    b.event('pregnancy', '2024-01-20', ['mw:jade'], { expectedDate: '2024-08-01', unborn: 'mw:baby' }, { source: 'mw' });
    const alerts = runAll(b, '2024-03-01').filter((a) => a.rule === 'unborn-baby');
    expect(alerts.map((a) => [a.subject, a.unborn, a.raised, a.raisedSeverity, a.severityChanges])).toEqual([['mw:jade', 'mw:baby', '2024-01-20', 'medium', [{ date: '2024-02-03', severity: 'high' }]]]);
  });

  it('plan-drift: a child protection plan open 9 calendar months from 31 May (28 February), and 15 (31 August, high)', () => {
    const b = couple('2016-01-01');
    b.event('plan-start', '2024-05-31', ['csc:amy'], { plan: 'child-protection', category: 'EMO' }, { participants: ['csc:mum', 'csc:dad'] });
    for (let d = addDays('2024-05-31', 20); d < '2025-09-30'; d = addDays(d, 20)) visit(b, d, 'completed', true);
    const alerts = of(runAll(b, '2025-09-30'), 'plan-drift');
    expect(alerts).toEqual([
      { rule: 'plan-drift', subject: 'csc:amy', unborn: null, raised: addMonths('2024-05-31', 9), severity: 'medium' },
      { rule: 'plan-drift', subject: 'csc:amy', unborn: null, raised: addMonths('2024-05-31', 15), severity: 'high' },
    ]);
    expect(alerts.map((a) => a.raised)).toEqual(['2025-02-28', '2025-08-31']);
  });

  it('plan-drift: a review cancelled before Christmas with none held within 20 working days (16 January)', () => {
    const b = couple('2016-01-01');
    const plan = b.event('plan-start', '2024-10-01', ['csc:amy'], { plan: 'child-in-need' }, { participants: ['csc:mum', 'csc:dad'] });
    for (let d = addDays('2024-10-01', 30); d < '2025-03-01'; d = addDays(d, 30)) visit(b, d, 'completed', true);
    b.event('meeting', '2024-12-16', ['csc:amy'], { kind: 'cin-review', held: false }, { about: [plan] });
    b.event('meeting', '2025-01-17', ['csc:amy'], { kind: 'cin-review', progress: 'improved' }, { about: [plan] });
    expect(addWorkingDays('2024-12-16', 20)).toBe('2025-01-16');
    expect(of(runAll(b, '2025-03-01'), 'plan-drift')).toEqual([{ rule: 'plan-drift', subject: 'csc:amy', unborn: null, raised: '2025-01-16', severity: 'medium' }]);
  });

  it('young-child-ed: an injury the day before the fifth birthday (medium); a baby (high); a second within 365 days (high)', () => {
    const b = couple('2019-05-10');
    b.person('csc:ben', { dob: '2024-01-01', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:ben');
    b.link('csc:dad', 'father', 'csc:ben');
    b.event('ed-attendance', '2024-05-09', ['csc:amy'], { reason: 'injury' }, { source: 'hosp' });
    b.event('ed-attendance', '2024-05-10', ['csc:amy'], { reason: 'injury' }, { source: 'hosp' }); // aged 5: not counted
    b.event('ed-attendance', '2024-06-01', ['csc:ben'], { reason: 'ingestion' }, { source: 'hosp' });
    b.event('ed-attendance', '2024-07-01', ['csc:ben'], { reason: 'injury' }, { source: 'hosp' });
    expect(of(runAll(b, '2024-08-01'), 'young-child-ed')).toEqual([
      { rule: 'young-child-ed', subject: 'csc:amy', unborn: null, raised: '2024-05-09', severity: 'medium' },
      { rule: 'young-child-ed', subject: 'csc:ben', unborn: null, raised: '2024-06-01', severity: 'high' },
      { rule: 'young-child-ed', subject: 'csc:ben', unborn: null, raised: '2024-07-01', severity: 'high' },
    ]);
  });

  it('hidden-adult: an adult who moves in during a plan and is checked on the 15th day: raised on the 14th', () => {
    const b = couple('2016-01-01');
    b.person('csc:lodger', { dob: '1980-01-01', sex: 'male' });
    b.event('plan-start', '2024-03-01', ['csc:amy'], { plan: 'child-in-need' }, { participants: ['csc:mum', 'csc:dad'] });
    b.event('household', '2024-03-10', ['csc:amy'], { change: 'joined', person: 'csc:lodger' });
    b.event('lateral-check', '2024-03-25', ['csc:lodger'], { with: 'police', outcome: 'nothing known' });
    expect(of(runAll(b, '2024-04-15'), 'hidden-adult')).toEqual([{ rule: 'hidden-adult', subject: 'csc:amy', unborn: null, raised: '2024-03-24', severity: 'medium' }]);
  });

  it('history-at-front-door: 2 earlier referrals within exactly 730 days (medium); a parent’s child removed (high)', () => {
    const b = couple('2014-04-01');
    for (const d of [addDays('2024-02-28', -730), '2023-06-01']) {
      const r = b.event('referral', d, ['csc:amy'], { from: '1D', to: 'early-help' }, { source: 'eh' });
      b.event('threshold-decision', d, ['csc:amy'], { level: 1, outcome: 'universal', historyConsidered: true }, { source: 'eh', about: [r] });
    }
    b.event('contact', '2024-02-28', ['csc:amy'], { from: '9', to: 'childrens-social-care', anonymous: true });
    expect(of(runAll(b, '2024-03-10'), 'history-at-front-door')).toEqual([{ rule: 'history-at-front-door', subject: 'csc:amy', unborn: null, raised: '2024-02-28', severity: 'medium' }]);

    const c = couple('2014-04-01');
    c.person('csc:older', { dob: '2008-01-01', sex: 'male' });
    c.link('csc:mum', 'mother', 'csc:older', { livesElsewhere: true });
    c.event('care-proceedings', '2010-05-01', ['csc:older'], { outcome: 'placement-order' }, { known: '2020-01-01' });
    c.event('contact', '2024-02-28', ['csc:amy'], { from: '2A', to: 'early-help' }, { source: 'eh' });
    expect(of(runAll(c, '2024-03-10'), 'history-at-front-door')).toEqual([{ rule: 'history-at-front-door', subject: 'csc:amy', unborn: null, raised: '2024-02-28', severity: 'high' }]);
  });

  it('closure-risk: an early help plan closed by improvement while the mother is pregnant', () => {
    const b = couple('2018-01-01');
    const plan = b.event('plan-start', '2024-01-10', ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
    b.event('pregnancy', '2024-04-02', ['csc:mum'], { expectedDate: '2024-11-01' }, { source: 'mw' });
    b.event('plan-end', '2024-05-01', ['csc:amy'], { plan: 'early-help', reason: 'improvement', dissent: [] }, { source: 'eh', about: [plan] });
    expect(of(runAll(b, '2024-06-01'), 'closure-risk')).toEqual([{ rule: 'closure-risk', subject: 'csc:amy', unborn: null, raised: '2024-05-01', severity: 'high' }]);
  });

  it('cumulative-risk: exactly 2 of the trio, each from a different household adult', () => {
    const b = couple('2018-01-01');
    factor(b, 'csc:mum', '4B', '2024-01-10');
    b.event('service', '2024-02-01', ['csc:dad'], { service: 'drug-alcohol-treatment', status: 'open' }, { source: 'gp' });
    expect(of(runAll(b, '2024-03-01'), 'cumulative-risk')).toEqual([{ rule: 'cumulative-risk', subject: 'csc:amy', unborn: null, raised: '2024-02-01', severity: 'medium' }]);
  });

  it('repeat-concerns: 3 from one agency within exactly 365 days', () => {
    const b = couple('2016-02-01');
    const third = addDays('2024-03-01', 365);
    for (const d of ['2024-03-01', '2024-09-01', third]) b.event('concern', d, ['csc:amy'], {}, { source: 'school' });
    expect(of(runAll(b, '2025-04-01'), 'repeat-concerns')).toEqual([{ rule: 'repeat-concerns', subject: 'csc:amy', unborn: null, raised: third, severity: 'medium' }]);
  });

  it('history-at-front-door: a family arriving with a child in need plan from another authority', () => {
    const b = couple('2015-01-01').source('east', 'childrens-social-care', 'Eastmoor');
    const plan = b.event('plan-start', '2023-05-01', ['csc:amy'], { plan: 'child-in-need', authority: 'Eastmoor' }, { source: 'east', participants: ['csc:mum', 'csc:dad'], known: '2024-01-05' });
    b.event('plan-end', '2023-12-15', ['csc:amy'], { plan: 'child-in-need', reason: 'moved-area' }, { source: 'east', about: [plan], known: '2024-01-05' });
    const c = b.event('contact', '2024-01-22', ['csc:amy'], { from: '2A', to: 'early-help' }, { source: 'eh' });
    b.event('threshold-decision', '2024-01-23', ['csc:amy'], { level: 2, outcome: 'early-help', historyConsidered: true }, { source: 'eh', about: [c] });
    const alerts = runAll(b, '2024-03-01').filter((a) => a.rule === 'history-at-front-door');
    expect(alerts.map((a) => [a.raised, a.raisedSeverity, a.closed?.date ?? null])).toEqual([['2024-01-22', 'medium', '2024-01-23']]);
  });

  it('unborn-baby: a half-sister’s child in need plan that ended exactly 5 years before the booking', () => {
    const b = agencies();
    b.person('csc:mum', { dob: '1988-03-01', sex: 'female' });
    b.person('csc:ben', { dob: '2008-05-01', sex: 'female' });
    b.unborn('mw:baby', { expected: '2024-08-01' });
    b.link('csc:mum', 'mother', 'csc:ben', { livesElsewhere: true });
    b.link('mw:baby', 'unborn-child-of', 'csc:mum');
    const plan = b.event('plan-start', '2018-03-01', ['csc:ben'], { plan: 'child-in-need' }, { known: '2024-01-01' });
    b.event('plan-end', '2019-01-20', ['csc:ben'], { plan: 'child-in-need', reason: 'improvement' }, { about: [plan], known: '2024-01-01' });
    b.event('pregnancy', '2024-01-20', ['csc:mum'], { expectedDate: '2024-08-01', unborn: 'mw:baby' }, { source: 'mw' });
    expect(of(runAll(b, '2024-01-25'), 'unborn-baby')).toEqual([{ rule: 'unborn-baby', subject: 'csc:mum', unborn: 'mw:baby', raised: '2024-01-20', severity: 'medium' }]);
  });

  it('cumulative-risk: 4 groups (high): learning disability, care leaver, a previous child removed, 2 moves', () => {
    const b = couple('2020-01-01');
    b.person('csc:older', { dob: '2010-01-01', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:older', { livesElsewhere: true });
    b.event('care-proceedings', '2012-03-01', ['csc:older'], { outcome: 'care-order' }, { known: '2023-01-01' });
    factor(b, 'csc:dad', '5B', '2023-01-01');
    factor(b, 'csc:mum', 'care-leaver', '2023-01-01');
    b.event('move', '2024-02-01', ['csc:mum', 'csc:dad', 'csc:amy'], {}, { source: 'housing' });
    b.event('move', '2024-06-01', ['csc:mum', 'csc:dad', 'csc:amy'], {}, { source: 'housing' });
    const alerts = runAll(b, '2024-07-01').filter((a) => a.rule === 'cumulative-risk');
    expect(alerts.map((a) => [a.raised, a.raisedSeverity, a.severityChanges])).toEqual([['2023-01-01', 'medium', [{ date: '2024-06-01', severity: 'high' }]]]);
  });

  it('no-neglect-assessment: 2 neglect concerns exactly 180 days apart indicate neglect on the second; raised 42 days later', () => {
    const b = couple('2019-03-01');
    b.event('observation', '2024-01-10', ['csc:amy'], { domain: 'hygiene' }, { source: 'hv' });
    const second = addDays('2024-01-10', 180);
    b.event('concern', second, ['csc:amy'], {}, { source: 'school', concerns: ['neglect-nutritional'] });
    expect(of(runAll(b, '2024-12-01'), 'no-neglect-assessment')).toEqual([{ rule: 'no-neglect-assessment', subject: 'csc:amy', unborn: null, raised: addDays(second, 42), severity: 'medium' }]);
  });

  it('timescale: a child and family assessment started 1 March 2024 and not completed by its 45th working day (8 May, after Easter and the May bank holiday)', () => {
    const b = couple('2014-02-01');
    const start = b.event('assessment', '2024-03-01', ['csc:amy'], { kind: 'child-and-family', status: 'started' }, { participants: ['csc:mum', 'csc:dad'] });
    b.event('assessment', '2024-05-09', ['csc:amy'], { kind: 'child-and-family', status: 'completed' }, { participants: ['csc:mum', 'csc:dad'], about: [start] });
    const alerts = runAll(b, '2024-06-01').filter((a) => a.rule === 'timescale');
    expect(alerts.map((a) => [a.raised, a.closed?.date ?? null])).toEqual([['2024-05-08', '2024-05-09']]);
  });

  it('hidden-adult: a plan started without the mother’s partner who lives with the child', () => {
    const b = agencies();
    b.person('csc:mum', { dob: '1992-03-01', sex: 'female' });
    b.person('csc:dad', { dob: '1990-01-01', sex: 'male' });
    b.person('csc:sam', { dob: '1985-11-11', sex: 'male' });
    b.person('csc:amy', { dob: '2015-06-01', sex: 'female' });
    b.link('csc:mum', 'mother', 'csc:amy');
    b.link('csc:dad', 'father', 'csc:amy', { livesElsewhere: true });
    b.link('csc:sam', 'partner', 'csc:mum');
    b.event('plan-start', '2024-04-01', ['csc:amy'], { plan: 'child-in-need' }, { participants: ['csc:mum', 'csc:dad'] });
    expect(of(runAll(b, '2024-04-10'), 'hidden-adult')).toEqual([{ rule: 'hidden-adult', subject: 'csc:amy', unborn: null, raised: '2024-04-01', severity: 'medium' }]);
  });

  it('repeat-plans: a plan starting after 2 plans ended within 730 days', () => {
    const b = couple('2016-01-01');
    const p1 = b.event('plan-start', '2022-01-10', ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
    b.event('plan-end', '2022-06-10', ['csc:amy'], { plan: 'early-help', reason: 'improvement' }, { source: 'eh', about: [p1] });
    const p2 = b.event('plan-start', '2023-03-01', ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
    b.event('plan-end', '2023-09-01', ['csc:amy'], { plan: 'early-help', reason: 'improvement' }, { source: 'eh', about: [p2] });
    const third = addDays('2022-06-10', 730);
    b.event('plan-start', third, ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
    expect(of(runAll(b, '2024-07-01'), 'repeat-plans')).toEqual([{ rule: 'repeat-plans', subject: 'csc:amy', unborn: null, raised: third, severity: 'medium' }]);
  });

  it('young-child-ed and low-attendance: events recorded late raise on the day they are recorded', () => {
    const b = couple('2021-01-01');
    b.event('ed-attendance', '2024-02-01', ['csc:amy'], { reason: 'ingestion' }, { source: 'hosp', known: '2024-02-20' });
    b.event('attendance-summary', '2024-03-28', ['csc:amy'], { setting: 'early-years', possibleSessions: 40, attendedSessions: 30 }, { source: 'nursery', known: '2024-04-15' });
    expect(summary(runAll(b, '2024-05-01'))).toEqual([
      { rule: 'young-child-ed', subject: 'csc:amy', unborn: null, raised: '2024-02-20', severity: 'medium' },
      { rule: 'low-attendance', subject: 'csc:amy', unborn: null, raised: '2024-04-15', severity: 'medium' },
    ]);
  });

  it('child-not-seen: an unborn baby on a child protection plan; the clock starts at the birth', () => {
    const b = agencies();
    b.person('csc:mum', { dob: '1995-01-01', sex: 'female' });
    b.unborn('csc:baby-u', { expected: '2024-05-01' });
    b.person('csc:baby', { dob: '2024-04-25', sex: 'male', known: '2024-04-25' });
    b.link('csc:baby-u', 'unborn-child-of', 'csc:mum');
    b.link('csc:mum', 'mother', 'csc:baby', { known: '2024-04-25' });
    b.link(null, 'father', 'csc:baby-u', { fatherUnknown: true });
    b.event('pregnancy', '2023-10-01', ['csc:mum'], { expectedDate: '2024-05-01', unborn: 'csc:baby-u' }, { source: 'mw' });
    b.event('plan-start', '2024-02-01', ['csc:baby-u'], { plan: 'child-protection', category: 'NEG' }, { participants: ['csc:mum'] });
    b.event('birth', '2024-04-25', ['csc:mum'], { child: 'csc:baby', unborn: 'csc:baby-u' }, { source: 'mw' });
    const alerts = runAll(b, '2024-06-30', { personOf: { 'csc:baby-u': 'csc:baby-u', 'csc:baby': 'csc:baby-u' } });
    expect(of(alerts, 'child-not-seen')).toEqual([{ rule: 'child-not-seen', subject: 'csc:baby-u', unborn: null, raised: addDays('2024-04-25', 28), severity: 'high' }]);
  });
});
