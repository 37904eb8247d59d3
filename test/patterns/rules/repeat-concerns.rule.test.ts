import { describe, expect, it } from 'vitest';
import { repeatConcerns } from '../../../src/patterns/rules/repeat-concerns.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('school', 'school').source('police', 'police').source('hosp', 'hospital').source('hv', 'health-visiting');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:dad', { dob: '1988-01-01', sex: 'male' });
  b.person('csc:amy', { dob: '2016-05-01', sex: 'female' });
  b.person('csc:ben', { dob: '2019-02-01', sex: 'male' });
  b.link('csc:mum', 'mother', 'csc:amy');
  b.link('csc:mum', 'mother', 'csc:ben');
  b.link('csc:dad', 'father', 'csc:amy');
  b.link('csc:dad', 'father', 'csc:ben');
  b.link('csc:dad', 'partner', 'csc:mum');
  return b;
}

const concern = (b: HistoryBuilder, date: string, subjects: string[], source = 'school', options: { known?: string; about?: string[] } = {}) => b.event('concern', date, subjects, {}, { source, ...options });

describe('repeat-concerns', () => {
  it('fires on 3 concerns within 365 days (the window includes its first day), not on 2', () => {
    const b = family();
    const a = concern(b, '2023-01-10', ['csc:amy']);
    const c = concern(b, '2023-06-01', ['csc:amy']);
    expect(findingsOn(repeatConcerns, b, '2023-12-01').filter((f) => f.subject === 'csc:amy')).toEqual([]);
    const d = concern(b, '2024-01-10', ['csc:amy']);
    const [f] = findingsOn(repeatConcerns, b, '2024-01-10').filter((x) => x.subject === 'csc:amy');
    expect(f).toMatchObject({ severity: 'medium', episode: '', evidence: [a, c, d] });
    expect(f!.explanation).toContain('the threshold is 3');
    // The next day the first has left the window: 2 from one agency is not enough.
    expect(findingsOn(repeatConcerns, b, '2024-01-11').filter((x) => x.subject === 'csc:amy')).toEqual([]);
  });

  it('fires on 2 from different agencies within 90 days, not on 2 from one agency or 91 days apart', () => {
    const b = family();
    concern(b, '2023-11-01', ['csc:amy'], 'school');
    b.event('contact', '2024-01-30', ['csc:amy'], { from: '9', to: 'childrens-social-care' }, { source: 'csc' });
    expect(findingsOn(repeatConcerns, b, '2024-01-30').find((f) => f.subject === 'csc:amy')?.explanation).toContain('from 2 agencies');

    const same = family();
    concern(same, '2023-11-01', ['csc:amy'], 'school');
    concern(same, '2023-12-01', ['csc:amy'], 'school');
    expect(findingsOn(repeatConcerns, same, '2023-12-01').filter((f) => f.subject === 'csc:amy')).toEqual([]);

    const apart = family();
    concern(apart, '2023-11-01', ['csc:amy'], 'school');
    apart.event('contact', '2024-01-31', ['csc:amy'], { from: '9', to: 'childrens-social-care' }, { source: 'csc' });
    expect(findingsOn(repeatConcerns, apart, '2024-01-31').filter((f) => f.subject === 'csc:amy')).toEqual([]);
  });

  it('counts events about a brother or sister living with the child on the event’s date', () => {
    const b = family();
    concern(b, '2023-03-01', ['csc:ben']);
    concern(b, '2023-04-01', ['csc:ben']);
    concern(b, '2023-05-01', ['csc:amy']);
    expect(findingsOn(repeatConcerns, b, '2023-05-01').map((f) => f.subject).sort()).toEqual(['csc:amy', 'csc:ben']);
  });

  it('does not count a sibling’s events from a time they did not live together', () => {
    const b = family();
    b.person('csc:cal', { dob: '2010-01-01' });
    b.link('csc:mum', 'mother', 'csc:cal');
    b.event('household', '2022-12-01', ['csc:amy', 'csc:ben'], { change: 'left', person: 'csc:cal' });
    concern(b, '2023-03-01', ['csc:cal']);
    concern(b, '2023-04-01', ['csc:cal']);
    concern(b, '2023-05-01', ['csc:amy']);
    expect(findingsOn(repeatConcerns, b, '2023-05-01').map((f) => f.subject)).toEqual(['csc:cal']);
  });

  it('counts a police incident for the children present (and their household), not for an adult-only incident', () => {
    const b = family();
    b.event('police-incident', '2023-03-01', ['csc:dad'], { kind: 'domestic-abuse', childrenPresent: ['csc:amy'] }, { source: 'police' });
    b.event('police-incident', '2023-03-15', ['csc:dad'], { kind: 'other' }, { source: 'police' });
    concern(b, '2023-04-01', ['csc:amy'], 'police');
    const id = concern(b, '2023-05-01', ['csc:ben'], 'police');
    const ben = findingsOn(repeatConcerns, b, '2023-05-01').find((f) => f.subject === 'csc:ben');
    expect(ben?.evidence).toHaveLength(3);
    expect(ben?.evidence).toContain(id);
  });

  it('counts the listed types only: injury and ingestion attendances, concern referrals', () => {
    const b = family();
    b.event('ed-attendance', '2023-03-01', ['csc:amy'], { reason: 'illness' }, { source: 'hosp' });
    b.event('referral', '2023-03-02', ['csc:amy'], { from: '3B', to: 'community-health' }, { source: 'hv' });
    b.event('observation', '2023-03-03', ['csc:amy'], { domain: 'hygiene' }, { source: 'school' });
    b.event('ed-attendance', '2023-03-04', ['csc:amy'], { reason: 'injury' }, { source: 'hosp' });
    expect(findingsOn(repeatConcerns, b, '2023-03-04').filter((f) => f.subject === 'csc:amy')).toEqual([]);
    b.event('referral', '2023-03-05', ['csc:amy'], { from: '3B', to: 'community-health' }, { source: 'hv', concerns: ['neglect-medical'] });
    b.event('ed-attendance', '2023-03-06', ['csc:amy'], { reason: 'ingestion' }, { source: 'hosp' });
    expect(findingsOn(repeatConcerns, b, '2023-03-06').find((f) => f.subject === 'csc:amy')?.evidence).toHaveLength(3);
  });

  it('counts a copy of another agency’s notification once', () => {
    const b = family();
    const ed = b.event('ed-attendance', '2023-03-01', ['csc:amy'], { reason: 'injury' }, { source: 'hosp' });
    b.event('contact', '2023-03-02', ['csc:amy'], { from: '3E', to: 'health-visiting' }, { source: 'hv', about: [ed] });
    concern(b, '2023-03-10', ['csc:amy'], 'hosp');
    const f = findingsOn(repeatConcerns, b, '2023-03-10').filter((x) => x.subject === 'csc:amy');
    expect(f).toEqual([]); // 2 events, both the hospital's
  });

  it('does not count a copy of an illness attendance (the health visitor’s record of the hospital’s notice)', () => {
    const b = family();
    for (const d of ['2023-01-10', '2023-03-10', '2023-05-10']) {
      const ill = b.event('ed-attendance', d, ['csc:ben'], { reason: 'illness' }, { source: 'hosp' });
      b.event('contact', d, ['csc:ben'], { from: '3E', to: 'health-visiting' }, { source: 'hv', about: [ill] });
    }
    expect(findingsOn(repeatConcerns, b, '2023-06-01')).toEqual([]);
  });

  it('is high at 5 within 365 days', () => {
    const b = family();
    for (const d of ['2023-01-01', '2023-02-01', '2023-03-01', '2023-04-01']) concern(b, d, ['csc:amy']);
    expect(findingsOn(repeatConcerns, b, '2023-04-01').find((f) => f.subject === 'csc:amy')?.severity).toBe('medium');
    concern(b, '2023-05-01', ['csc:amy']);
    const f = findingsOn(repeatConcerns, b, '2023-05-01').find((x) => x.subject === 'csc:amy');
    expect(f?.severity).toBe('high');
    expect(f?.explanation).toContain('High: 5 or more');
  });

  it('raises on the mother for an unborn baby, counting the siblings’ concerns', () => {
    const b = family();
    b.unborn('csc:unborn', { expected: '2023-09-01' });
    b.link('csc:unborn', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2023-02-01', ['csc:mum'], { expectedDate: '2023-09-01', unborn: 'csc:unborn' }, { source: 'csc' });
    concern(b, '2023-03-01', ['csc:amy']);
    concern(b, '2023-04-01', ['csc:ben']);
    concern(b, '2023-05-01', ['csc:amy']);
    const unborn = findingsOn(repeatConcerns, b, '2023-05-01').find((f) => f.unborn === 'csc:unborn');
    expect(unborn).toMatchObject({ subject: 'csc:mum', unborn: 'csc:unborn' });
  });

  it('does not count events from before the child existed', () => {
    const b = family();
    b.person('csc:cat', { dob: '2023-06-01' });
    b.link('csc:mum', 'mother', 'csc:cat');
    concern(b, '2023-03-01', ['csc:amy']);
    concern(b, '2023-04-01', ['csc:amy']);
    concern(b, '2023-07-01', ['csc:amy']);
    expect(findingsOn(repeatConcerns, b, '2023-07-01').map((f) => f.subject).sort()).toEqual(['csc:amy', 'csc:ben']);
  });

  it('cannot fire before a late entry is recorded', () => {
    const b = family();
    concern(b, '2023-03-01', ['csc:amy']);
    concern(b, '2023-04-01', ['csc:amy']);
    concern(b, '2023-05-01', ['csc:amy'], 'school', { known: '2023-06-15' });
    const alerts = runRules(b, [repeatConcerns], { until: '2023-07-01' }).filter((a) => a.subject === 'csc:amy');
    expect(alerts.map((a) => a.raised)).toEqual(['2023-06-15']);
  });

  it('puts together events on two records of one child', () => {
    const b = family();
    b.person('school:amy', { source: 'school', dob: '2016-05-01' });
    concern(b, '2023-03-01', ['csc:amy']);
    concern(b, '2023-04-01', ['school:amy']);
    concern(b, '2023-05-01', ['school:amy']);
    expect(findingsOn(repeatConcerns, b, '2023-05-01').filter((f) => f.subject === 'csc:amy')).toEqual([]);
    const merged = findingsOn(repeatConcerns, b, '2023-05-01', { personOf: { 'school:amy': 'csc:amy' } });
    expect(merged.find((f) => f.subject === 'csc:amy')?.evidence).toHaveLength(3);
  });

  it('stops once the young person is 18', () => {
    const b = new HistoryBuilder();
    b.person('csc:sam', { dob: '2005-06-01' });
    for (const d of ['2023-01-01', '2023-02-01', '2023-03-01']) concern(b, d, ['csc:sam'], 'csc');
    expect(findingsOn(repeatConcerns, b, '2023-05-31')).toHaveLength(1);
    expect(findingsOn(repeatConcerns, b, '2023-06-01')).toEqual([]);
  });

  it('raises again after a response only on a new concern', () => {
    const b = family();
    for (const d of ['2023-01-01', '2023-02-01', '2023-03-01']) concern(b, d, ['csc:amy']);
    concern(b, '2023-06-01', ['csc:amy']);
    const alerts = runRules(b, [repeatConcerns], { until: '2023-07-01', responses: [{ day: '2023-04-01' }], days: ['2023-05-01'] }).filter((a) => a.subject === 'csc:amy');
    expect(alerts.map((a) => a.raised)).toEqual(['2023-03-01', '2023-06-01']);
  });
});
