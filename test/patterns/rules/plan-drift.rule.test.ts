import { describe, expect, it } from 'vitest';
import { planDrift } from '../../../src/patterns/rules/plan-drift.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder();
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  return b;
}

const cpPlan = (b: HistoryBuilder, date: string, child = 'csc:amy') => b.event('plan-start', date, [child], { plan: 'child-protection', category: 'NEG' });
const meeting = (b: HistoryBuilder, date: string, kind: string, fields: Record<string, unknown>, about: string[] = [], child = 'csc:amy') => b.event('meeting', date, [child], { kind, ...fields }, { about });

describe('plan-drift', () => {
  it('raises at 9 months (medium) and again at 15 months (high), each once, on the day itself', () => {
    const b = family();
    const start = cpPlan(b, '2023-03-12');
    expect(findingsOn(planDrift, b, '2023-12-11')).toEqual([]);
    const [nine] = findingsOn(planDrift, b, '2023-12-12');
    expect(nine).toMatchObject({ subject: 'csc:amy', episode: `${start}:9-months`, severity: 'medium', evidence: [start] });
    expect(nine!.explanation).toContain('open for 9 months (on 12 December 2023)');
    const alerts = runRules(b, [planDrift], { until: '2025-01-01' });
    expect(alerts.map((a) => [a.raised, a.severity])).toEqual([
      ['2023-12-12', 'medium'],
      ['2024-06-12', 'high'],
    ]);
  });

  it('counts calendar months (31 May + 9 months is 29 February in a leap year)', () => {
    const b = family();
    cpPlan(b, '2023-05-31');
    expect(findingsOn(planDrift, b, '2024-02-28')).toEqual([]);
    expect(findingsOn(planDrift, b, '2024-02-29')).toHaveLength(1);
  });

  it('does not raise for a plan that ended before 9 months, or for a child in need plan', () => {
    const b = family();
    const start = cpPlan(b, '2023-01-10');
    b.event('plan-end', '2023-08-01', ['csc:amy'], { plan: 'child-protection', reason: 'improvement' }, { about: [start] });
    b.event('plan-start', '2023-08-01', ['csc:amy'], { plan: 'child-in-need' });
    expect(findingsOn(planDrift, b, '2024-06-01')).toEqual([]);
  });

  it('raises when the end of the plan is recorded only after the 9-month day (rules read what was known)', () => {
    const b = family();
    const start = cpPlan(b, '2023-01-10');
    b.event('plan-end', '2023-09-01', ['csc:amy'], { plan: 'child-protection', reason: 'improvement' }, { about: [start], known: '2023-11-01' });
    expect(runRules(b, [planDrift], { until: '2024-06-01' }).map((a) => a.raised)).toEqual(['2023-10-10']);
  });

  it('raises once per plan for 2 review meetings in a row with no progress or worse', () => {
    const b = family();
    const start = cpPlan(b, '2023-01-10');
    meeting(b, '2023-02-01', 'core-group', { progress: 'none' }, [start]);
    meeting(b, '2023-03-01', 'core-group', { progress: 'improved' }, [start]);
    const a = meeting(b, '2023-04-01', 'rcpc', { progress: 'none' }, [start]);
    expect(findingsOn(planDrift, b, '2023-04-01')).toEqual([]);
    const c = meeting(b, '2023-05-01', 'core-group', { progress: 'worse' }, [start]);
    const [f] = findingsOn(planDrift, b, '2023-05-01');
    expect(f).toMatchObject({ episode: `${start}:no-progress`, severity: 'medium', evidence: [a, c] });
    expect(f!.explanation).toContain('review child protection conference on 1 April 2023 (none), core group meeting on 1 May 2023 (worse)');
    meeting(b, '2023-06-01', 'core-group', { progress: 'none' }, [start]);
    expect(runRules(b, [planDrift], { until: '2023-07-01' }).map((x) => x.raised)).toEqual(['2023-05-01']);
  });

  it('breaks the run at a held meeting without a progress value, and ignores other kinds of meeting', () => {
    const b = family();
    const start = cpPlan(b, '2023-01-10');
    meeting(b, '2023-02-01', 'core-group', { progress: 'none' }, [start]);
    meeting(b, '2023-03-01', 'core-group', {}, [start]);
    meeting(b, '2023-03-15', 'team-around-family', { progress: 'none' });
    meeting(b, '2023-04-01', 'core-group', { progress: 'none' }, [start]);
    expect(findingsOn(planDrift, b, '2023-04-01')).toEqual([]);
  });

  it('raises on the 20th working day after a cancelled review with none held (bank holidays skipped)', () => {
    const b = family();
    const start = cpPlan(b, '2020-03-12');
    const cancelled = meeting(b, '2020-03-24', 'core-group', { held: false }, [start]);
    expect(findingsOn(planDrift, b, '2020-04-22')).toEqual([]);
    const [f] = findingsOn(planDrift, b, '2020-04-23'); // Good Friday and Easter Monday skipped
    expect(f).toMatchObject({ episode: `cancelled:${cancelled}`, evidence: [cancelled] });
    expect(f!.explanation).toBe('The core group meeting on 24 March 2020 was cancelled and no review meeting was held within 20 working days (by 23 April 2020).');
    expect(runRules(b, [planDrift], { until: '2020-05-01' }).map((a) => a.raised)).toEqual(['2020-04-23']);
  });

  it('does not raise for a cancelled review followed by one held on the 20th working day, or when the plan ended', () => {
    const b = family();
    const start = cpPlan(b, '2020-03-12');
    meeting(b, '2020-03-24', 'core-group', { held: false }, [start]);
    meeting(b, '2020-04-23', 'rcpc', { progress: 'improved' }, [start]);
    expect(findingsOn(planDrift, b, '2020-05-01')).toEqual([]);

    const c = family();
    const s2 = c.event('plan-start', '2020-01-10', ['csc:amy'], { plan: 'child-in-need' });
    meeting(c, '2020-03-24', 'cin-review', { held: false }, [s2]);
    c.event('plan-end', '2020-04-01', ['csc:amy'], { plan: 'child-in-need', reason: 'improvement' }, { about: [s2] });
    expect(findingsOn(planDrift, c, '2020-05-01')).toEqual([]);
  });

  it('raises an unborn baby’s plan drift on the mother', () => {
    const b = new HistoryBuilder().source('mw', 'midwifery');
    b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
    b.unborn('csc:baby', { expected: '2024-09-01' });
    b.link('csc:baby', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2024-01-05', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:baby' }, { source: 'mw' });
    const start = cpPlan(b, '2024-02-01', 'csc:baby');
    meeting(b, '2024-03-01', 'core-group', { held: false }, [start], 'csc:baby');
    const [f] = findingsOn(planDrift, b, '2024-04-02'); // Easter 2024 skipped
    expect(f).toMatchObject({ subject: 'csc:mum', unborn: 'csc:baby' });
  });

  it('counts a meeting recorded twice (a copy about the original) once', () => {
    const b = family();
    const start = cpPlan(b, '2023-01-10');
    const first = meeting(b, '2023-02-01', 'core-group', { progress: 'none' }, [start]);
    b.event('meeting', '2023-02-01', ['csc:amy'], { kind: 'core-group', progress: 'none' }, { about: [first] });
    expect(findingsOn(planDrift, b, '2023-02-01')).toEqual([]);
  });
});
