import { describe, expect, it } from 'vitest';
import { cumulativeRisk } from '../../../src/patterns/rules/cumulative-risk.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('gp', 'gp').source('police', 'police').source('mw', 'midwifery').source('hv', 'health-visiting');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:dad', { dob: '1988-01-01', sex: 'male' });
  b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  b.link('csc:dad', 'father', 'csc:amy');
  b.link('csc:dad', 'partner', 'csc:mum');
  return b;
}

const factor = (b: HistoryBuilder, person: string, code: string, date: string, options: { status?: string; known?: string; source?: string } = {}) =>
  b.event('factor', date, [person], { code, status: options.status ?? 'present' }, { known: options.known, source: options.source ?? 'csc' });

describe('cumulative-risk', () => {
  it('raises nothing for a family with no risk factors', () => {
    const b = family();
    b.event('contact', '2024-01-10', ['csc:amy'], { from: '2A', to: 'childrens-social-care' });
    expect(findingsOn(cumulativeRisk, b, '2024-01-10')).toEqual([]);
  });

  it('fires with 2 of the three trio groups among the household adults (medium), naming the evidence', () => {
    const b = family();
    const mh = factor(b, 'csc:mum', '4B', '2024-01-10');
    const drugs = factor(b, 'csc:dad', '2B', '2024-02-01');
    expect(findingsOn(cumulativeRisk, b, '2024-01-31')).toEqual([]);
    const [f] = findingsOn(cumulativeRisk, b, '2024-02-01');
    expect(f).toMatchObject({ subject: 'csc:amy', unborn: null, episode: '', severity: 'medium' });
    expect(f!.evidence.sort()).toEqual([mh, drugs].sort());
    expect(f!.explanation).toContain('2 of the three groups');
    expect(f!.explanation).toContain('factor 4B recorded for the mother (10 January 2024)');
    expect(f!.explanation).toContain('factor 2B recorded for the father (1 February 2024)');
  });

  it('reads open adult services as the factor (drug and alcohol treatment, adult mental health)', () => {
    const b = family();
    b.event('service', '2024-01-10', ['csc:dad'], { service: 'drug-alcohol-treatment', status: 'open' });
    b.event('service', '2024-01-12', ['csc:mum'], { service: 'adult-mental-health', status: 'open' });
    expect(findingsOn(cumulativeRisk, b, '2024-01-12')).toHaveLength(1);
  });

  it('counts a police domestic-abuse incident about the child or a household adult for 730 days', () => {
    const b = family();
    const incident = b.event('police-incident', '2022-03-01', ['csc:dad'], { kind: 'domestic-abuse', childrenPresent: ['csc:amy'] }, { source: 'police' });
    factor(b, 'csc:mum', '4B', '2023-01-01');
    expect(findingsOn(cumulativeRisk, b, '2024-02-29')[0]!.evidence).toContain(incident); // 730 days after
    expect(findingsOn(cumulativeRisk, b, '2024-03-01')).toEqual([]);
  });

  it('keeps a resolved factor for 730 days, then drops it', () => {
    const b = family();
    factor(b, 'csc:mum', '2B', '2020-01-01');
    factor(b, 'csc:mum', '2B', '2022-06-01', { status: 'resolved' });
    factor(b, 'csc:dad', '3B', '2024-01-01');
    expect(findingsOn(cumulativeRisk, b, '2024-05-31')).toHaveLength(1);
    expect(findingsOn(cumulativeRisk, b, '2024-06-01')).toEqual([]);
  });

  it('needs 3 groups in all when fewer than 2 are trio groups, and is high with 4', () => {
    const b = family();
    factor(b, 'csc:dad', '5B', '2024-01-01');
    factor(b, 'csc:mum', 'debt', '2024-01-02');
    expect(findingsOn(cumulativeRisk, b, '2024-01-02')).toEqual([]);
    factor(b, 'csc:mum', 'care-leaver', '2024-01-03');
    const [three] = findingsOn(cumulativeRisk, b, '2024-01-03');
    expect(three).toMatchObject({ severity: 'medium' });
    expect(three!.explanation).toContain('3 risk factor groups');
    factor(b, 'csc:mum', 'previous-child-removed', '2024-01-04');
    const [four] = findingsOn(cumulativeRisk, b, '2024-01-04');
    expect(four).toMatchObject({ severity: 'high' });
    expect(four!.explanation).toContain('High: 4 or more groups');
  });

  it('reads the trio on the household only, but parent groups on every parent (a father living elsewhere too)', () => {
    const b = new HistoryBuilder();
    b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
    b.person('csc:dad', { dob: '1988-01-01', sex: 'male' });
    b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
    b.link('csc:mum', 'mother', 'csc:amy');
    b.link('csc:dad', 'father', 'csc:amy', { livesElsewhere: true });
    factor(b, 'csc:mum', '4B', '2024-01-01');
    factor(b, 'csc:dad', '2B', '2024-01-02');
    expect(findingsOn(cumulativeRisk, b, '2024-01-02')).toEqual([]);
    factor(b, 'csc:dad', 'care-leaver', '2024-01-03');
    factor(b, 'csc:mum', 'homeless', '2024-01-04');
    const [f] = findingsOn(cumulativeRisk, b, '2024-01-04');
    expect(f!.explanation).toContain('a parent who is a care leaver');
    expect(f!.explanation).not.toContain('substance misuse');
  });

  it('counts a previous (ended) child protection plan of a sibling, and a care order for another child', () => {
    const b = family();
    b.person('csc:ben', { dob: '2012-01-01', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:ben');
    const start = b.event('plan-start', '2015-01-01', ['csc:ben'], { plan: 'child-protection', category: 'NEG' });
    factor(b, 'csc:dad', '5B', '2024-01-01');
    factor(b, 'csc:mum', 'debt', '2024-01-01');
    expect(findingsOn(cumulativeRisk, b, '2024-01-01')).toEqual([]); // the plan has not ended
    b.event('plan-end', '2016-01-01', ['csc:ben'], { plan: 'child-protection', reason: 'improvement' }, { about: [start], known: '2024-02-01' });
    const [f] = findingsOn(cumulativeRisk, b, '2024-02-01');
    expect(f!.explanation).toContain('child protection plan 1 January 2015 to 1 January 2016 for a child of the mother');

    const c = family();
    c.person('csc:ben', { dob: '2012-01-01', sex: 'male' });
    c.link('csc:mum', 'mother', 'csc:ben', { livesElsewhere: true });
    const order = c.event('care-proceedings', '2014-01-01', ['csc:ben'], { outcome: 'care-order' });
    factor(c, 'csc:dad', '5B', '2024-01-01');
    factor(c, 'csc:mum', 'debt', '2024-01-01');
    expect(findingsOn(cumulativeRisk, c, '2024-01-01')[0]!.evidence).toContain(order);
  });

  it('counts 2 moves on different days within 365 days, but not one move recorded twice', () => {
    const b = family();
    factor(b, 'csc:dad', '5B', '2024-01-01');
    factor(b, 'csc:mum', 'care-leaver', '2024-01-01');
    b.event('move', '2024-03-01', ['csc:mum', 'csc:amy'], {});
    b.event('move', '2024-03-01', ['csc:amy'], {}, { source: 'hv' });
    expect(findingsOn(cumulativeRisk, b, '2024-03-01')).toEqual([]);
    b.event('move', '2025-02-28', ['csc:dad'], {});
    expect(findingsOn(cumulativeRisk, b, '2025-02-28')[0]!.explanation).toContain('2 moves in the last 365 days');
    expect(findingsOn(cumulativeRisk, b, '2025-03-02')).toEqual([]); // the first move has left the window
  });

  it('counts a new adult: a household joined event or a parent’s partner link starting, not a partner living elsewhere', () => {
    const b = new HistoryBuilder();
    b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
    b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
    b.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:amy');
    factor(b, 'csc:mum', '5B', '2024-01-01');
    factor(b, 'csc:mum', 'debt', '2024-01-01');
    b.link('csc:sam', 'partner', 'csc:mum', { start: '2024-02-01', livesElsewhere: true });
    expect(findingsOn(cumulativeRisk, b, '2024-02-10')).toEqual([]);
    const joined = b.event('household', '2024-03-01', ['csc:amy'], { change: 'joined', person: 'csc:sam' });
    const [f] = findingsOn(cumulativeRisk, b, '2024-03-01');
    expect(f!.evidence).toContain(joined);
    expect(findingsOn(cumulativeRisk, b, '2025-03-02')).toEqual([]);

    const c = new HistoryBuilder();
    c.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
    c.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
    c.person('csc:sam', { dob: '1985-01-01', sex: 'male' });
    c.link('csc:mum', 'mother', 'csc:amy');
    c.link('csc:sam', 'partner', 'csc:mum', { start: '2024-02-01' }); // a vague "2024-02" start arrives as its first day
    factor(c, 'csc:mum', '5B', '2024-01-01');
    factor(c, 'csc:mum', 'debt', '2024-01-01');
    expect(findingsOn(cumulativeRisk, c, '2024-01-31')).toEqual([]);
    expect(findingsOn(cumulativeRisk, c, '2024-02-01')[0]!.explanation).toContain('a new partner of the mother from 1 February 2024');
  });

  it('raises an unborn baby’s alert on the mother, counting a mother under 20 at the expected date', () => {
    const b = new HistoryBuilder().source('mw', 'midwifery');
    b.person('csc:mum', { dob: '2005-06-01', sex: 'female' });
    b.person('csc:dad', { dob: '2003-01-01', sex: 'male' });
    b.unborn('csc:baby', { expected: '2024-09-01' });
    b.link('csc:baby', 'unborn-child-of', 'csc:mum');
    b.link('csc:dad', 'father', 'csc:baby');
    b.link('csc:dad', 'partner', 'csc:mum');
    const preg = b.event('pregnancy', '2024-02-01', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:baby' }, { source: 'mw' });
    factor(b, 'csc:mum', 'care-leaver', '2024-02-01');
    factor(b, 'csc:mum', 'housing-instability', '2024-02-01');
    const [f] = findingsOn(cumulativeRisk, b, '2024-02-01');
    expect(f).toMatchObject({ subject: 'csc:mum', unborn: 'csc:baby' });
    expect(f!.evidence).toContain(preg);
    expect(f!.explanation).toContain('the mother was 19 at the expected date (1 September 2024)');
    expect(f!.explanation).toContain('the unborn baby’s household');
  });

  it('reads a mother under 18 living with the child as a parent, not as a child of the household', () => {
    const b = new HistoryBuilder().source('mw', 'midwifery');
    b.person('csc:mum', { dob: '2008-06-01', sex: 'female' });
    b.unborn('csc:baby', { expected: '2024-09-01' });
    b.link('csc:baby', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2024-02-01', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:baby' }, { source: 'mw' });
    factor(b, 'csc:mum', '2A', '2024-02-01');
    factor(b, 'csc:mum', '4A', '2024-02-01');
    const [f] = findingsOn(cumulativeRisk, b, '2024-02-01');
    expect(f).toMatchObject({ subject: 'csc:mum', unborn: 'csc:baby' });
    expect(f!.explanation).toContain('2 of the three groups');
  });

  it('cannot fire before a late-recorded factor is known', () => {
    const b = family();
    factor(b, 'csc:mum', '4B', '2024-01-10');
    factor(b, 'csc:dad', '1B', '2024-01-20', { known: '2024-03-05' });
    const alerts = runRules(b, [cumulativeRisk], { until: '2024-06-01' });
    expect(alerts.map((a) => a.raised)).toEqual(['2024-03-05']);
  });

  it('reads two records of one person together when identity resolution merged them', () => {
    const b = family();
    b.person('gp:dad', { dob: '1988-01-01', sex: 'male' });
    factor(b, 'csc:mum', '4B', '2024-01-10');
    factor(b, 'gp:dad', '2B', '2024-01-10', { source: 'gp' });
    expect(findingsOn(cumulativeRisk, b, '2024-01-10')).toEqual([]);
    expect(findingsOn(cumulativeRisk, b, '2024-01-10', { personOf: { 'gp:dad': 'csc:dad' } })).toHaveLength(1);
  });

  it('stops when the child turns 18, and wakes up when a household member turns 18', () => {
    const b = new HistoryBuilder();
    b.person('csc:mum', { dob: '1980-01-01', sex: 'female' });
    b.person('csc:amy', { dob: '2006-05-01', sex: 'female' });
    b.person('csc:ben', { dob: '2010-03-01', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:amy');
    b.link('csc:mum', 'mother', 'csc:ben');
    factor(b, 'csc:mum', '4B', '2024-01-01');
    factor(b, 'csc:mum', '3B', '2024-01-01');
    expect(findingsOn(cumulativeRisk, b, '2024-04-30').map((f) => f.subject).sort()).toEqual(['csc:amy', 'csc:ben']);
    expect(findingsOn(cumulativeRisk, b, '2024-05-01').map((f) => f.subject)).toEqual(['csc:ben']);
    const h = b.history('2024-01-01');
    const wakeups = cumulativeRisk.wakeups!({ history: h, day: '2024-01-01', settings: cumulativeRisk.settings.parse({}), openAlerts: [] });
    expect(wakeups).toContain('2024-05-01');
  });

  it('raises again after a response only on evidence not seen before', () => {
    const b = family();
    factor(b, 'csc:mum', '4B', '2024-01-10');
    factor(b, 'csc:dad', '2B', '2024-01-10');
    b.event('contact', '2024-02-01', ['csc:amy'], { from: '2A', to: 'childrens-social-care' });
    factor(b, 'csc:dad', '3B', '2024-03-01');
    const alerts = runRules(b, [cumulativeRisk], { until: '2024-04-01', responses: [{ day: '2024-01-20' }] });
    expect(alerts.map((a) => a.raised)).toEqual(['2024-01-10', '2024-03-01']);
  });

  it('uses the partnership’s thresholds', () => {
    const b = family();
    factor(b, 'csc:mum', '4B', '2024-01-10');
    factor(b, 'csc:dad', '2B', '2024-01-10');
    expect(findingsOn(cumulativeRisk, b, '2024-01-10', { settings: { trioGroups: 3 } })).toEqual([]);
  });
});
