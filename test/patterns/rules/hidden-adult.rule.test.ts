import { describe, expect, it } from 'vitest';
import { hiddenAdult } from '../../../src/patterns/rules/hidden-adult.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

/** Mother and child; the father lives elsewhere unless told otherwise. */
function family(options: { father?: 'elsewhere' | 'home' | 'none' } = {}): HistoryBuilder {
  const b = new HistoryBuilder().source('police', 'police').source('hv', 'health-visiting');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  const father = options.father ?? 'elsewhere';
  if (father !== 'none') {
    b.person('csc:dad', { dob: '1988-01-01', sex: 'male' });
    b.link('csc:dad', 'father', 'csc:amy', { livesElsewhere: father === 'elsewhere' });
  }
  return b;
}

const planStart = (b: HistoryBuilder, date: string, participants: string[], child = 'csc:amy', plan = 'child-in-need') =>
  b.event('plan-start', date, [child], { plan }, { participants });
function assessment(b: HistoryBuilder, from: string, to: string | null, participants: string[], options: { kind?: string; child?: string; startParticipants?: string[] } = {}): string[] {
  const kind = options.kind ?? 'child-and-family';
  const child = options.child ?? 'csc:amy';
  const start = b.event('assessment', from, [child], { kind, status: 'started' }, { participants: options.startParticipants ?? [] });
  if (to === null) return [start];
  return [start, b.event('assessment', to, [child], { kind, status: 'completed' }, { participants, about: [start] })];
}

describe('hidden-adult', () => {
  it('does not apply while the child is not on a plan or under assessment', () => {
    const b = family({ father: 'none' });
    b.event('contact', '2024-01-10', ['csc:amy'], { from: '2A', to: 'childrens-social-care' });
    expect(findingsOn(hiddenAdult, b, '2024-01-10')).toEqual([]);
  });

  it('(a) fires while on a plan with no father or male carer recorded and no "father unknown"', () => {
    const b = family({ father: 'none' });
    const start = planStart(b, '2024-01-10', ['csc:mum']);
    const [f] = findingsOn(hiddenAdult, b, '2024-01-10');
    expect(f).toMatchObject({ subject: 'csc:amy', unborn: null, episode: '', severity: 'medium', evidence: [start] });
    expect(f!.explanation).toContain('No father or male carer is recorded');

    const c = family({ father: 'none' });
    c.link(null, 'father', 'csc:amy', { fatherUnknown: true });
    planStart(c, '2024-01-10', ['csc:mum']);
    expect(findingsOn(hiddenAdult, c, '2024-01-10')).toEqual([]);

    const d = family({ father: 'none' });
    d.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    d.link('csc:sam', 'partner', 'csc:mum');
    planStart(d, '2024-01-10', ['csc:mum', 'csc:sam']);
    expect(findingsOn(hiddenAdult, d, '2024-01-10')).toEqual([]); // the mother's partner at home is a male carer
  });

  it('(b) fires when an assessment is completed without the father, even one living elsewhere', () => {
    const b = family();
    const [, done] = assessment(b, '2024-01-10', '2024-02-20', ['csc:mum']);
    expect(findingsOn(hiddenAdult, b, '2024-02-19')).toEqual([]);
    const [f] = findingsOn(hiddenAdult, b, '2024-02-20');
    expect(f!.evidence).toEqual([done]);
    expect(f!.explanation).toBe('The child and family assessment was completed on 20 February 2024 without the child’s father taking part.');
    // Not raised after the involvement has ended.
    expect(findingsOn(hiddenAdult, b, '2024-02-21')).toEqual([]);
  });

  it('(b) counts a father who took part at the start of the assessment', () => {
    const b = family();
    assessment(b, '2024-01-10', '2024-02-20', ['csc:mum'], { startParticipants: ['csc:mum', 'csc:dad'] });
    expect(findingsOn(hiddenAdult, b, '2024-02-20')).toEqual([]);
  });

  it('(b) fires when a plan starts without the man living in the household', () => {
    const b = family();
    b.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    b.link('csc:sam', 'partner', 'csc:mum');
    planStart(b, '2024-01-10', ['csc:mum', 'csc:dad']);
    const [f] = findingsOn(hiddenAdult, b, '2024-01-10');
    expect(f!.explanation).toContain('without a man living in the household taking part');
    const c = family();
    c.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    c.link('csc:sam', 'partner', 'csc:mum');
    planStart(c, '2024-01-10', ['csc:mum', 'csc:dad', 'csc:sam']);
    expect(findingsOn(hiddenAdult, c, '2024-01-10')).toEqual([]);
  });

  it('(b) reads participants through merged identities: another agency’s record of the father is the father', () => {
    const b = family({ father: 'home' });
    b.person('hv:dad', { dob: '1988-01-01', sex: 'male' });
    planStart(b, '2024-01-10', ['csc:mum', 'hv:dad']);
    expect(findingsOn(hiddenAdult, b, '2024-01-10')).toHaveLength(1);
    expect(findingsOn(hiddenAdult, b, '2024-01-10', { personOf: { 'hv:dad': 'csc:dad' } })).toEqual([]);
  });

  it('(c) raises on the 14th day after an adult joins during a plan with no lateral check, not when checked on the 14th day', () => {
    const b = family({ father: 'home' });
    b.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    planStart(b, '2024-01-10', ['csc:mum', 'csc:dad']);
    const joined = b.event('household', '2024-03-01', ['csc:amy'], { change: 'joined', person: 'csc:sam' });
    const alerts = runRules(b, [hiddenAdult], { until: '2024-06-01' });
    expect(alerts.map((a) => a.raised)).toEqual(['2024-03-15']);
    expect(alerts[0]!.evidence).toContain(joined);

    const c = family({ father: 'home' });
    c.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    planStart(c, '2024-01-10', ['csc:mum', 'csc:dad']);
    c.event('household', '2024-03-01', ['csc:amy'], { change: 'joined', person: 'csc:sam' });
    c.event('lateral-check', '2024-03-15', ['csc:sam'], { with: 'police', outcome: 'No trace.' });
    expect(runRules(c, [hiddenAdult], { until: '2024-06-01' })).toEqual([]);
  });

  it('(c) counts a partner link starting during an assessment (not one living elsewhere), and nothing before the involvement', () => {
    const b = family({ father: 'home' });
    b.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    assessment(b, '2024-01-10', null, []);
    b.link('csc:sam', 'partner', 'csc:mum', { start: '2024-02-01' });
    expect(findingsOn(hiddenAdult, b, '2024-02-14')).toEqual([]);
    expect(findingsOn(hiddenAdult, b, '2024-02-15')[0]!.explanation).toContain('An adult joined the household on 1 February 2024');

    const c = family({ father: 'home' });
    c.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    assessment(c, '2024-01-10', null, []);
    c.link('csc:sam', 'partner', 'csc:mum', { start: '2024-02-01', livesElsewhere: true });
    expect(findingsOn(hiddenAdult, c, '2024-02-15')).toEqual([]);

    const d = family({ father: 'home' });
    d.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    d.link('csc:sam', 'partner', 'csc:mum', { start: '2023-06-01' });
    assessment(d, '2024-01-10', null, []);
    expect(findingsOn(hiddenAdult, d, '2024-02-15')).toEqual([]);
  });

  it('(c) sees an adult recorded late only once the record is known', () => {
    const b = family({ father: 'home' });
    b.person('csc:ryan', { sex: 'male', known: '2024-07-20' });
    planStart(b, '2024-01-10', ['csc:mum', 'csc:dad']);
    b.link('csc:ryan', 'partner', 'csc:mum', { start: '2024-05-01', known: '2024-07-20' });
    const alerts = runRules(b, [hiddenAdult], { until: '2024-09-01' });
    expect(alerts.map((a) => a.raised)).toEqual(['2024-07-20']);
  });

  it('raises an unborn baby’s alert on the mother when the pre-birth assessment leaves out the father', () => {
    const b = new HistoryBuilder().source('mw', 'midwifery');
    b.person('csc:mum', { dob: '1999-01-01', sex: 'female' });
    b.person('csc:dad', { dob: '1998-01-01', sex: 'male' });
    b.unborn('csc:baby', { expected: '2024-09-01' });
    b.link('csc:baby', 'unborn-child-of', 'csc:mum');
    b.link('csc:dad', 'father', 'csc:baby', { livesElsewhere: true });
    b.event('pregnancy', '2024-01-05', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:baby' }, { source: 'mw' });
    assessment(b, '2024-02-01', '2024-03-20', ['csc:mum'], { kind: 'pre-birth', child: 'csc:baby' });
    const [f] = findingsOn(hiddenAdult, b, '2024-03-20');
    expect(f).toMatchObject({ subject: 'csc:mum', unborn: 'csc:baby' });
    expect(f!.explanation).toBe('For the unborn baby, the pre-birth assessment was completed on 20 March 2024 without the child’s father taking part.');
  });

  it('stops applying when the child turns 18', () => {
    const b = family({ father: 'none' });
    b.person('csc:zoe', { dob: '2006-04-01', sex: 'female' });
    b.link('csc:mum', 'mother', 'csc:zoe');
    planStart(b, '2024-01-10', ['csc:mum'], 'csc:zoe');
    expect(findingsOn(hiddenAdult, b, '2024-03-31').map((f) => f.subject)).toEqual(['csc:zoe']);
    expect(findingsOn(hiddenAdult, b, '2024-04-01')).toEqual([]);
  });

  it('wakes up on the lateral check deadline', () => {
    const b = family({ father: 'home' });
    b.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    planStart(b, '2024-01-10', ['csc:mum', 'csc:dad']);
    b.event('household', '2024-03-01', ['csc:amy'], { change: 'joined', person: 'csc:sam' });
    const wakeups = hiddenAdult.wakeups!({ history: b.history('2024-03-01'), day: '2024-03-01', settings: hiddenAdult.settings.parse({}), openAlerts: [] });
    expect(wakeups).toContain('2024-03-15');
  });
});
