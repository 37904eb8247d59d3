import { describe, expect, it } from 'vitest';
import { closureRisk } from '../../../src/patterns/rules/closure-risk.rule.js';
import { lowAttendance } from '../../../src/patterns/rules/low-attendance.rule.js';
import { findingsOn, HistoryBuilder, openAlert, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('school', 'school').source('mw', 'midwifery');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:dad', { dob: '1988-01-01', sex: 'male' });
  b.person('csc:amy', { dob: '2017-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  b.link('csc:dad', 'father', 'csc:amy', { livesElsewhere: true });
  return b;
}

function plan(b: HistoryBuilder, end: string, fields: Record<string, unknown> = {}, options: { child?: string; known?: string; kind?: string } = {}): string {
  const child = options.child ?? 'csc:amy';
  const kind = options.kind ?? 'child-in-need';
  const start = b.event('plan-start', '2023-01-10', [child], { plan: kind });
  return b.event('plan-end', end, [child], { plan: kind, reason: 'improvement', ...fields }, { about: [start], known: options.known });
}

describe('closure-risk', () => {
  it('raises nothing for a plan ended by improvement with no risk', () => {
    const b = family();
    plan(b, '2023-09-01');
    expect(findingsOn(closureRisk, b, '2023-09-01')).toEqual([]);
  });

  it('fires (always high) when an agency dissented, or the plan ended for non-engagement', () => {
    const b = family();
    const end = plan(b, '2023-09-01', { dissent: ['school'] });
    const [f] = findingsOn(closureRisk, b, '2023-09-01');
    expect(f).toMatchObject({ subject: 'csc:amy', unborn: null, episode: end, severity: 'high', evidence: [end] });
    expect(f!.explanation).toContain('school disagreed with the closure');
    const c = family();
    plan(c, '2023-09-01', { reason: 'non-engagement' });
    expect(findingsOn(closureRisk, c, '2023-09-01')[0]!.explanation).toContain('it ended for non engagement');
  });

  it('counts only alerts open at the plan end: a history imported years later is not made risky by an alert raised on the day it arrives', () => {
    const b = family();
    plan(b, '2023-09-01', {}, { known: '2026-12-03' });
    const today = [openAlert('low-attendance', 'csc:amy', '2026-12-03')];
    expect(findingsOn(closureRisk, b, '2026-12-03', { openAlerts: today })).toEqual([]);
    const then = [openAlert('low-attendance', 'csc:amy', '2023-08-01')];
    expect(findingsOn(closureRisk, b, '2026-12-03', { openAlerts: then })).toHaveLength(1);
  });

  it('never fires for a step-up or a care order (they escalate)', () => {
    const b = family();
    plan(b, '2023-09-01', { reason: 'step-up', dissent: ['school'] });
    plan(b, '2023-09-02', { reason: 'care-order', dissent: ['school'] });
    expect(findingsOn(closureRisk, b, '2023-09-01')).toEqual([]);
    expect(findingsOn(closureRisk, b, '2023-09-02')).toEqual([]);
  });

  it('fires when a pregnancy is current in the household on the plan end date, not after the birth', () => {
    const b = family();
    const preg = b.event('pregnancy', '2023-06-01', ['csc:mum'], { expectedDate: '2023-12-20' }, { source: 'mw' });
    plan(b, '2023-09-01');
    const [f] = findingsOn(closureRisk, b, '2023-09-01');
    expect(f!.evidence).toContain(preg);
    expect(f!.explanation).toContain('a pregnancy was current in the household');

    const c = family();
    c.event('pregnancy', '2023-03-01', ['csc:mum'], { expectedDate: '2023-08-01' }, { source: 'mw' });
    c.person('csc:baby', { dob: '2023-07-30' });
    c.link('csc:mum', 'mother', 'csc:baby');
    c.event('birth', '2023-07-30', ['csc:mum'], { child: 'csc:baby' }, { source: 'mw' });
    plan(c, '2023-09-01');
    expect(findingsOn(closureRisk, c, '2023-09-01')).toEqual([]);
  });

  it('does not count a pregnancy of a parent living elsewhere, nor the unborn child’s own pregnancy', () => {
    const b = family();
    b.person('csc:step', { dob: '1992-01-01', sex: 'female' });
    b.link('csc:dad', 'partner', 'csc:step');
    b.event('pregnancy', '2023-06-01', ['csc:step'], { expectedDate: '2023-12-20' }, { source: 'mw' });
    plan(b, '2023-09-01');
    expect(findingsOn(closureRisk, b, '2023-09-01')).toEqual([]);

    const c = family();
    c.unborn('csc:unborn', { expected: '2023-12-20' });
    c.link('csc:unborn', 'unborn-child-of', 'csc:mum');
    c.event('pregnancy', '2023-06-01', ['csc:mum'], { expectedDate: '2023-12-20', unborn: 'csc:unborn' }, { source: 'mw' });
    plan(c, '2023-09-01', {}, { child: 'csc:unborn' });
    expect(findingsOn(closureRisk, c, '2023-09-01')).toEqual([]);
    // With dissent it fires, raised on the mother and naming the baby.
    plan(c, '2023-09-02', { dissent: ['school'] }, { child: 'csc:unborn' });
    expect(findingsOn(closureRisk, c, '2023-09-02')).toMatchObject([{ subject: 'csc:mum', unborn: 'csc:unborn' }]);
  });

  it('fires on an open alert for the child of the listed rules, with their evidence', () => {
    const b = family();
    plan(b, '2023-09-01');
    const wnb = openAlert('was-not-brought', 'csc:amy', '2023-05-01', { evidence: ['hosp:e1', 'hosp:e2'] });
    const [f] = findingsOn(closureRisk, b, '2023-09-01', { openAlerts: [wnb] });
    expect(f!.evidence).toEqual(expect.arrayContaining(['hosp:e1', 'hosp:e2']));
    expect(f!.explanation).toContain('“not brought to appointments” (raised 1 May 2023)');
    // Another rule's alert, or another child's, does not count.
    expect(findingsOn(closureRisk, b, '2023-09-01', { openAlerts: [openAlert('hidden-adult', 'csc:amy', '2023-05-01'), openAlert('was-not-brought', 'csc:mum', '2023-05-01')] })).toEqual([]);
  });

  it('fires on an open unborn-baby alert on a parent in the household, not on one living elsewhere', () => {
    const b = family();
    plan(b, '2023-09-01');
    expect(findingsOn(closureRisk, b, '2023-09-01', { openAlerts: [openAlert('unborn-baby', 'csc:mum', '2023-05-01', { episode: 'mw:e1' })] })).toHaveLength(1);
    expect(findingsOn(closureRisk, b, '2023-09-01', { openAlerts: [openAlert('unborn-baby', 'csc:dad', '2023-05-01', { episode: 'mw:e1' })] })).toEqual([]);
  });

  it('decides each plan end on the day it becomes known only, against the alerts open then', () => {
    const b = family();
    plan(b, '2023-09-01');
    // An alert raised later does not make the old closure risky.
    expect(findingsOn(closureRisk, b, '2023-09-02', { openAlerts: [openAlert('was-not-brought', 'csc:amy', '2023-09-02')] })).toEqual([]);
    // A late-recorded plan end is decided on the day it is recorded.
    const c = family();
    plan(c, '2023-09-01', {}, { known: '2023-09-20' });
    expect(findingsOn(closureRisk, c, '2023-09-01', { openAlerts: [openAlert('was-not-brought', 'csc:amy', '2023-08-01')] })).toEqual([]);
    expect(findingsOn(closureRisk, c, '2023-09-20', { openAlerts: [openAlert('was-not-brought', 'csc:amy', '2023-08-01')] })).toHaveLength(1);
  });

  it('reads the alerts the other rules raised the same day (evaluated last), and stays open: only a manager closes it', () => {
    const b = family();
    b.event('attendance-summary', '2023-09-01', ['csc:amy'], { setting: 'school', possibleSessions: 100, attendedSessions: 80 }, { source: 'school' });
    const end = plan(b, '2023-09-01');
    const alerts = runRules(b, [closureRisk, lowAttendance], { until: '2023-12-01' });
    expect(alerts.map((a) => [a.rule, a.raised, a.status])).toEqual([
      ['low-attendance', '2023-09-01', 'open'],
      ['closure-risk', '2023-09-01', 'open'],
    ]);
    expect(alerts[1]!.episode).toBe(end);
    expect(closureRisk.managerOnly).toBe(true);
    expect(closureRisk.satisfiedBy).toBeUndefined();
  });

  it('matches open alerts on the merged person', () => {
    const b = family();
    b.person('la:amy', { dob: '2017-05-01' });
    plan(b, '2023-09-01', {}, { child: 'la:amy' });
    const wnb = openAlert('was-not-brought', 'csc:amy', '2023-05-01');
    expect(findingsOn(closureRisk, b, '2023-09-01', { openAlerts: [wnb] })).toEqual([]);
    expect(findingsOn(closureRisk, b, '2023-09-01', { openAlerts: [wnb], personOf: { 'la:amy': 'csc:amy' } })).toMatchObject([{ subject: 'csc:amy' }]);
  });

  it('does not fire for a young person who is 18 when the plan ends', () => {
    const b = new HistoryBuilder();
    b.person('csc:sam', { dob: '2005-09-01' });
    plan(b, '2023-09-01', { dissent: ['police'] }, { child: 'csc:sam' });
    plan(b, '2023-08-31', { dissent: ['police'] }, { child: 'csc:sam' });
    expect(findingsOn(closureRisk, b, '2023-09-01')).toEqual([]);
    expect(findingsOn(closureRisk, b, '2023-08-31')).toHaveLength(1);
  });
});
