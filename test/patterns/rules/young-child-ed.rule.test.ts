import { describe, expect, it } from 'vitest';
import { youngChildEd } from '../../../src/patterns/rules/young-child-ed.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(dob = '2021-06-15'): HistoryBuilder {
  const b = new HistoryBuilder().source('hosp', 'hospital').source('hv', 'health-visiting');
  b.person('hosp:kit', { dob });
  return b;
}

const ed = (b: HistoryBuilder, date: string, reason = 'injury', options: { known?: string; about?: string[]; id?: string; subject?: string } = {}) =>
  b.event('ed-attendance', date, [options.subject ?? 'hosp:kit'], { reason, admitted: false }, { source: 'hosp', known: options.known, about: options.about, id: options.id });

describe('young-child-ed', () => {
  it('fires for an injury or ingestion of a child under 5, one alert per attendance (medium)', () => {
    const b = family();
    const id = ed(b, '2023-11-19');
    const [f] = findingsOn(youngChildEd, b, '2023-11-19');
    expect(f).toMatchObject({ subject: 'hosp:kit', unborn: null, episode: id, severity: 'medium', evidence: [id] });
    expect(f!.explanation).toContain('aged 2 (under 5)');
  });

  it('does not fire for illness, breathing or other reasons', () => {
    const b = family();
    for (const reason of ['illness', 'breathing', 'other']) ed(b, '2023-11-19', reason);
    expect(findingsOn(youngChildEd, b, '2023-12-01')).toEqual([]);
  });

  it('takes the age on the attendance date: not for a child of 5', () => {
    const b = family('2018-11-19');
    ed(b, '2023-11-18'); // the day before the fifth birthday
    ed(b, '2023-11-19', 'ingestion'); // the birthday
    const found = findingsOn(youngChildEd, b, '2023-12-01');
    expect(found.map((f) => f.evidence[0])).toHaveLength(1);
    expect(found[0]!.explanation).toContain('aged 4');
  });

  it('is high for a child under 1', () => {
    const b = family('2023-03-01');
    ed(b, '2024-02-29');
    expect(findingsOn(youngChildEd, b, '2024-03-01')[0]!.severity).toBe('high');
    const c = family('2023-03-01');
    ed(c, '2024-03-01');
    expect(findingsOn(youngChildEd, c, '2024-03-01')[0]!.severity).toBe('medium');
  });

  it('is high for the second attendance within 365 days; the first stays as raised', () => {
    const b = family();
    const first = ed(b, '2023-01-10');
    const second = ed(b, '2024-01-10', 'ingestion'); // exactly 365 days later
    const alerts = runRules(b, [youngChildEd], { until: '2024-02-01' });
    expect(alerts.map((a) => [a.episode, a.raisedSeverity, a.severity])).toEqual([
      [first, 'medium', 'medium'],
      [second, 'high', 'high'],
    ]);
    expect(alerts[1]!.evidence).toEqual([second, first]);
    const c = family();
    ed(c, '2023-01-10');
    ed(c, '2024-01-11');
    expect(findingsOn(youngChildEd, c, '2024-01-11').map((f) => f.severity)).toEqual(['medium', 'medium']);
  });

  it('counts a copy of one attendance once', () => {
    const b = family();
    const original = ed(b, '2023-05-01', 'injury', { id: 'hosp:e1' });
    ed(b, '2023-05-01', 'injury', { id: 'uc:e1', about: [original] });
    const found = findingsOn(youngChildEd, b, '2023-05-02');
    expect(found.map((f) => [f.episode, f.severity])).toEqual([[original, 'medium']]);
  });

  it('cannot fire before a late entry is recorded, and reads a vague date as its first day', () => {
    const b = family('2019-01-15');
    ed(b, '2023-12-01', 'injury', { known: '2024-02-01' }); // "December 2023", recorded in February
    expect(findingsOn(youngChildEd, b, '2024-01-31')).toEqual([]);
    const alerts = runRules(b, [youngChildEd], { until: '2024-03-01' });
    expect(alerts.map((a) => a.raised)).toEqual(['2024-02-01']);
    expect(alerts[0]!.explanation).toContain('aged 4');
  });

  it('does not fire for a child with no date of birth (not known to be under 5)', () => {
    const b = new HistoryBuilder().source('hosp', 'hospital');
    b.person('hosp:anon');
    ed(b, '2023-05-01', 'injury', { subject: 'hosp:anon' });
    expect(findingsOn(youngChildEd, b, '2023-05-02')).toEqual([]);
  });

  it('uses the merged person: attendances on two records are one child’s', () => {
    const b = family();
    b.person('uc:kit', { source: 'csc', dob: '2021-06-15' });
    ed(b, '2023-01-10');
    ed(b, '2023-06-10', 'ingestion', { subject: 'uc:kit' });
    const separate = findingsOn(youngChildEd, b, '2023-06-10');
    expect(separate.map((f) => f.severity)).toEqual(['medium', 'medium']);
    const merged = findingsOn(youngChildEd, b, '2023-06-10', { personOf: { 'uc:kit': 'hosp:kit' } });
    expect(merged.map((f) => [f.subject, f.severity])).toEqual([
      ['hosp:kit', 'medium'],
      ['hosp:kit', 'high'],
    ]);
  });

  it('is closed only by a response (no satisfying event)', () => {
    expect(youngChildEd.satisfiedBy).toBeUndefined();
    const b = family();
    ed(b, '2023-01-10');
    b.event('contact', '2023-01-11', ['hosp:kit'], { from: '3E', to: 'health-visiting' }, { source: 'hv' });
    expect(runRules(b, [youngChildEd], { until: '2023-02-01' }).map((a) => a.status)).toEqual(['open']);
  });
});
