import { describe, expect, it } from 'vitest';
import { noNeglectAssessment } from '../../../src/patterns/rules/no-neglect-assessment.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('school', 'school').source('hv', 'health-visiting').source('mw', 'midwifery');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  return b;
}

const neglectFactor = (b: HistoryBuilder, date: string, options: { known?: string; child?: string } = {}) =>
  b.event('factor', date, [options.child ?? 'csc:amy'], { code: '16A', status: 'present' }, { known: options.known });
const tool = (b: HistoryBuilder, date: string, child = 'csc:amy') => b.event('assessment', date, [child], { kind: 'neglect-tool', status: 'completed' });
const concern = (b: HistoryBuilder, date: string, options: { source?: string; child?: string; about?: string[] } = {}) =>
  b.event('concern', date, [options.child ?? 'csc:amy'], {}, { concerns: ['neglect-physical'], source: options.source ?? 'school', about: options.about });

describe('no-neglect-assessment', () => {
  it('raises on the 42nd day after a neglect factor with no neglect tool (medium)', () => {
    const b = family();
    const f16 = neglectFactor(b, '2024-01-10');
    expect(findingsOn(noNeglectAssessment, b, '2024-02-20')).toEqual([]);
    const [f] = findingsOn(noNeglectAssessment, b, '2024-02-21');
    expect(f).toMatchObject({ subject: 'csc:amy', unborn: null, episode: '', severity: 'medium', evidence: [f16] });
    expect(f!.explanation).toContain('from 90 days before it to 42 days after it (12 October 2023 to 21 February 2024)');
    expect(runRules(b, [noNeglectAssessment], { until: '2024-06-01' }).map((a) => a.raised)).toEqual(['2024-02-21']);
  });

  it('is met by a neglect tool from 90 days before to 42 days after the first indication', () => {
    for (const [date, raised] of [
      ['2023-10-12', false], // 90 days before
      ['2023-10-11', true], // 91 days before
      ['2024-02-21', false], // the 42nd day, the same day the condition would first hold
    ] as const) {
      const b = family();
      neglectFactor(b, '2024-01-10');
      tool(b, date);
      expect(runRules(b, [noNeglectAssessment], { until: '2024-06-01' }).length > 0).toBe(raised);
    }
  });

  it('is closed by a late neglect tool, and a new episode starts at the next indication after it', () => {
    const b = family();
    neglectFactor(b, '2024-01-10');
    const late = tool(b, '2024-04-01');
    // 122 days after the tool, so the tool is too old to meet the new episode.
    b.event('plan-start', '2024-08-01', ['csc:amy'], { plan: 'child-protection', category: 'NEG' });
    const alerts = runRules(b, [noNeglectAssessment], { until: '2024-10-01' });
    expect(alerts.map((a) => [a.raised, a.closed?.date ?? null, a.closed?.event ?? null])).toEqual([
      ['2024-02-21', '2024-04-01', late],
      ['2024-09-12', null, null],
    ]);
  });

  it('does not start a new episode at an indication before the tool that met it', () => {
    const b = family();
    tool(b, '2024-01-01');
    neglectFactor(b, '2024-02-01');
    b.event('plan-start', '2024-03-01', ['csc:amy'], { plan: 'child-protection', category: 'NEG' });
    expect(runRules(b, [noNeglectAssessment], { until: '2024-09-01' })).toEqual([]);
  });

  it('counts 2 events with neglect concern codes within 180 days (on the second), each copy once', () => {
    const b = family();
    const first = concern(b, '2024-01-01');
    b.event('referral', '2024-01-02', ['csc:amy'], { from: '2A', to: 'childrens-social-care' }, { concerns: ['neglect-physical'], about: [first] });
    expect(runRules(b, [noNeglectAssessment], { until: '2024-12-31' })).toEqual([]);
    const obs = b.event('observation', '2024-06-29', ['csc:amy'], { domain: 'hygiene' }, { source: 'hv' }); // 180 days later
    const [f] = findingsOn(noNeglectAssessment, b, '2024-08-10');
    expect(f!.evidence.sort()).toEqual([first, obs].sort());
    expect(findingsOn(noNeglectAssessment, b, '2024-08-09')).toEqual([]);

    const c = family();
    concern(c, '2024-01-01');
    concern(c, '2024-06-30'); // 181 days later
    expect(runRules(c, [noNeglectAssessment], { until: '2024-12-31' })).toEqual([]);
  });

  it('counts an assessment’s factor 16A for its subjects, and a plan for neglect', () => {
    const b = family();
    b.person('csc:ben', { dob: '2020-01-01', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:ben');
    b.event('assessment', '2024-01-10', ['csc:amy', 'csc:ben'], { kind: 'child-and-family', status: 'completed', factors: ['16A', '4B'] });
    expect(findingsOn(noNeglectAssessment, b, '2024-02-21').map((f) => f.subject)).toEqual(['csc:amy', 'csc:ben']);
    const c = family();
    c.event('plan-start', '2024-01-10', ['csc:amy'], { plan: 'child-in-need', category: 'NEG' });
    expect(findingsOn(noNeglectAssessment, c, '2024-02-21')).toHaveLength(1);
  });

  it('raises at once when a late-recorded indication becomes known after the 42nd day', () => {
    const b = family();
    neglectFactor(b, '2024-01-10', { known: '2024-05-01' });
    expect(runRules(b, [noNeglectAssessment], { until: '2024-06-01' }).map((a) => a.raised)).toEqual(['2024-05-01']);
  });

  it('raises an unborn baby’s alert on the mother', () => {
    const b = family();
    b.unborn('csc:baby', { expected: '2024-09-01' });
    b.link('csc:baby', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2024-01-05', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:baby' }, { source: 'mw' });
    neglectFactor(b, '2024-02-01', { child: 'csc:baby' });
    const [f] = findingsOn(noNeglectAssessment, b, '2024-03-14');
    expect(f).toMatchObject({ subject: 'csc:mum', unborn: 'csc:baby' });
    expect(f!.explanation).toContain('Neglect was indicated for the unborn baby');
  });

  it('puts concerns recorded by different agencies together once their records are one child', () => {
    const b = family();
    b.person('hv:amy', { dob: '2019-05-01', sex: 'female' });
    concern(b, '2024-01-01');
    concern(b, '2024-02-01', { source: 'hv', child: 'hv:amy' });
    expect(findingsOn(noNeglectAssessment, b, '2024-03-14')).toEqual([]);
    expect(findingsOn(noNeglectAssessment, b, '2024-03-14', { personOf: { 'hv:amy': 'csc:amy' } })).toHaveLength(1);
  });

  it('stops when the child turns 18', () => {
    const b = family();
    b.person('csc:zoe', { dob: '2006-02-01', sex: 'female' });
    neglectFactor(b, '2023-12-01', { child: 'csc:zoe' });
    expect(findingsOn(noNeglectAssessment, b, '2024-01-31')).toHaveLength(1);
    expect(findingsOn(noNeglectAssessment, b, '2024-02-01')).toEqual([]);
  });
});
