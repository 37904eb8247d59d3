import { describe, expect, it } from 'vitest';
import { timescale } from '../../../src/patterns/rules/timescale.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('mw', 'midwifery').source('police', 'police');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
  b.person('csc:ben', { dob: '2021-05-01', sex: 'male' });
  b.link('csc:mum', 'mother', 'csc:amy');
  b.link('csc:mum', 'mother', 'csc:ben');
  return b;
}

const referral = (b: HistoryBuilder, date: string, options: { to?: string; known?: string; subjects?: string[]; preBirth?: boolean } = {}) =>
  b.event('referral', date, options.subjects ?? ['csc:amy'], { from: '2A', to: options.to ?? 'childrens-social-care', preBirth: options.preBirth }, { known: options.known });
const decision = (b: HistoryBuilder, date: string, about: string[], options: { known?: string; subjects?: string[] } = {}) =>
  b.event('threshold-decision', date, options.subjects ?? ['csc:amy'], { level: 4, outcome: 'assessment' }, { about, known: options.known });
const meeting = (b: HistoryBuilder, date: string, kind: string, subjects: string[], fields: Record<string, unknown> = {}, about: string[] = []) =>
  b.event('meeting', date, subjects, { kind, ...fields }, { about });

describe('timescale', () => {
  it('raises on the working day after a referral with no threshold decision, and closes when the late decision arrives', () => {
    const b = family();
    const r = referral(b, '2024-05-03'); // a Friday
    expect(findingsOn(timescale, b, '2024-05-03')).toEqual([]);
    // Monday 6 May 2024 is a bank holiday: the decision is due on Tuesday.
    expect(findingsOn(timescale, b, '2024-05-06')).toEqual([]);
    const [f] = findingsOn(timescale, b, '2024-05-07');
    expect(f).toMatchObject({ subject: 'csc:amy', unborn: null, episode: `decision:${r}`, severity: 'medium', evidence: [r] });
    expect(f!.explanation).toBe('The referral to children’s social care on 3 May 2024 had no threshold decision within 1 working day (by 7 May 2024).');
    const late = decision(b, '2024-05-10', [r]);
    const alerts = runRules(b, [timescale], { until: '2024-06-01' });
    expect(alerts.map((a) => [a.raised, a.closed?.date ?? null, a.closed?.event ?? null])).toEqual([['2024-05-07', '2024-05-10', late]]);
    expect(alerts[0]!.closed!.note).toBe('Threshold decision recorded on 10 May 2024, after the timescale.');
  });

  it('is met by a decision on the deadline day, and does not apply to a referral to early help', () => {
    const b = family();
    const r = referral(b, '2024-05-03');
    decision(b, '2024-05-07', [r]);
    referral(b, '2024-06-03', { to: 'early-help' });
    expect(runRules(b, [timescale], { until: '2024-07-01' })).toEqual([]);
  });

  it('pairs a decision with no `about` with the earliest undecided referral sharing a subject', () => {
    const b = family();
    referral(b, '2024-06-03');
    decision(b, '2024-06-04', []);
    expect(runRules(b, [timescale], { until: '2024-07-01' })).toEqual([]);
  });

  it('raises the miss itself even when the late decision is already recorded the day the referral becomes known', () => {
    const b = family();
    const r = referral(b, '2024-06-03', { known: '2024-06-20' });
    const d = decision(b, '2024-06-10', [r], { known: '2024-06-20' });
    const alerts = runRules(b, [timescale], { until: '2024-07-01' });
    expect(alerts.map((a) => [a.raised, a.closed?.date ?? null, a.closed?.event ?? null])).toEqual([['2024-06-20', '2024-06-20', d]]);
  });

  it('raises one alert per child and per missed timescale', () => {
    const b = family();
    referral(b, '2024-06-03', { subjects: ['csc:amy', 'csc:ben'] });
    referral(b, '2024-06-10');
    const alerts = runRules(b, [timescale], { until: '2024-07-01' });
    expect(alerts.map((a) => [a.raised, a.subject])).toEqual([
      ['2024-06-04', 'csc:amy'],
      ['2024-06-04', 'csc:ben'],
      ['2024-06-11', 'csc:amy'],
    ]);
  });

  it('raises when a child and family assessment is not completed within 45 working days', () => {
    const b = family();
    const start = b.event('assessment', '2024-01-08', ['csc:amy'], { kind: 'child-and-family', status: 'started' });
    // 45 working days after Monday 8 January 2024 is Monday 11 March 2024.
    expect(findingsOn(timescale, b, '2024-03-08')).toEqual([]);
    const [f] = findingsOn(timescale, b, '2024-03-11');
    expect(f).toMatchObject({ episode: `assessment:${start}`, evidence: [start] });
    b.event('assessment', '2024-03-11', ['csc:amy'], { kind: 'child-and-family', status: 'completed' }, { about: [start] });
    expect(findingsOn(timescale, b, '2024-03-11')).toEqual([]);
    const c = family();
    c.event('assessment', '2024-01-08', ['csc:amy'], { kind: 'parenting', status: 'started' });
    expect(findingsOn(timescale, c, '2024-06-01')).toEqual([]);
  });

  it('raises on the 15th working day after a strategy discussion whose section 47 recommended a conference', () => {
    const b = family();
    const sd = b.event('strategy-discussion', '2024-02-01', ['csc:amy'], { outcome: 'section-47' });
    const s47 = b.event('section-47', '2024-02-08', ['csc:amy'], { outcome: 'icpc' }, { about: [sd] });
    // 15 working days after Thursday 1 February 2024 is Thursday 22 February 2024.
    expect(findingsOn(timescale, b, '2024-02-21')).toEqual([]);
    const [f] = findingsOn(timescale, b, '2024-02-22');
    expect(f).toMatchObject({ episode: `icpc:${sd}`, evidence: [sd, s47] });
    meeting(b, '2024-02-22', 'icpc', ['csc:amy'], {}, [sd]);
    expect(findingsOn(timescale, b, '2024-02-22')).toEqual([]);
    const c = family();
    const sd2 = c.event('strategy-discussion', '2024-02-01', ['csc:amy'], { outcome: 'section-47' });
    c.event('section-47', '2024-02-08', ['csc:amy'], { outcome: 'child-in-need' }, { about: [sd2] });
    expect(findingsOn(timescale, c, '2024-04-01')).toEqual([]);
  });

  it('raises a late pre-birth conference on the mother, naming the unborn baby', () => {
    const b = family();
    b.unborn('csc:baby', { expected: '2024-09-01' });
    b.link('csc:baby', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2024-01-05', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:baby' }, { source: 'mw' });
    const sd = b.event('strategy-discussion', '2024-05-01', ['csc:baby'], { outcome: 'section-47' });
    b.event('section-47', '2024-05-03', ['csc:baby'], { outcome: 'icpc' }, { about: [sd] });
    const [f] = findingsOn(timescale, b, '2024-05-23'); // 6 May 2024 was a bank holiday
    expect(f).toMatchObject({ subject: 'csc:mum', unborn: 'csc:baby' });
    expect(f!.explanation).toContain('For the unborn baby, the section 47 enquiry after the strategy discussion on 1 May 2024');
  });

  it('takes a pre-birth referral about the mother to be about her current pregnancy', () => {
    const b = family();
    b.unborn('csc:baby', { expected: '2024-09-01' });
    b.link('csc:baby', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2024-01-05', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:baby' }, { source: 'mw' });
    referral(b, '2024-02-05', { subjects: ['csc:mum'], preBirth: true });
    expect(findingsOn(timescale, b, '2024-02-06')).toMatchObject([{ subject: 'csc:mum', unborn: 'csc:baby' }]);
  });

  it('expects the first held core group within 10 working days of a conference that started a plan', () => {
    const b = family();
    const icpc = meeting(b, '2020-03-12', 'icpc', ['csc:amy', 'csc:ben']);
    const start = b.event('plan-start', '2020-03-12', ['csc:amy'], { plan: 'child-protection', category: 'NEG' });
    meeting(b, '2020-03-24', 'core-group', ['csc:amy'], { held: false }, [start]);
    expect(findingsOn(timescale, b, '2020-03-25')).toEqual([]);
    const found = findingsOn(timescale, b, '2020-03-26');
    // Only Amy: the conference started no plan for Ben, so nothing was due for him.
    expect(found.map((f) => [f.subject, f.episode])).toEqual([['csc:amy', `core-group:${icpc}`]]);
    const held = meeting(b, '2020-04-20', 'core-group', ['csc:amy'], {}, [start]);
    const alerts = runRules(b, [timescale], { until: '2020-05-01' });
    expect(alerts.map((a) => [a.raised, a.closed?.event ?? null])).toEqual([['2020-03-26', held]]);
  });

  it('expects no core group or review once the plan has ended', () => {
    const b = family();
    meeting(b, '2024-01-10', 'icpc', ['csc:amy']);
    const start = b.event('plan-start', '2024-01-10', ['csc:amy'], { plan: 'child-protection', category: 'NEG' });
    b.event('plan-end', '2024-01-15', ['csc:amy'], { plan: 'child-protection', reason: 'other' }, { about: [start] });
    expect(runRules(b, [timescale], { until: '2024-12-01' })).toEqual([]);
  });

  it('expects the first review conference within 3 months of the conference, later ones within 6 months', () => {
    const b = family();
    const icpc = meeting(b, '2023-01-31', 'icpc', ['csc:amy']);
    const start = b.event('plan-start', '2023-01-31', ['csc:amy'], { plan: 'child-protection', category: 'NEG' });
    meeting(b, '2023-02-07', 'core-group', ['csc:amy'], {}, [start]);
    expect(findingsOn(timescale, b, '2023-04-29')).toEqual([]);
    expect(findingsOn(timescale, b, '2023-04-30').map((f) => f.episode)).toEqual([`review:${icpc}`]); // 31 January + 3 months
    const first = meeting(b, '2023-04-30', 'rcpc', ['csc:amy'], {}, [start]);
    expect(findingsOn(timescale, b, '2023-04-30')).toEqual([]);
    expect(findingsOn(timescale, b, '2023-10-29')).toEqual([]);
    expect(findingsOn(timescale, b, '2023-10-30').map((f) => f.episode)).toEqual([`review:${first}`]);
  });

  it('does not raise for a young person who has turned 18 by the deadline', () => {
    const b = new HistoryBuilder();
    b.person('csc:zoe', { dob: '2006-06-04', sex: 'female' });
    referral(b, '2024-06-03', { subjects: ['csc:zoe'] });
    expect(runRules(b, [timescale], { until: '2024-07-01' })).toEqual([]);
  });
});
