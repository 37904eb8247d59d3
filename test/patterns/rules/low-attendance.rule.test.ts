import { describe, expect, it } from 'vitest';
import { lowAttendance } from '../../../src/patterns/rules/low-attendance.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('school', 'school', 'Southmoor').source('la', 'childrens-social-care', 'Southmoor');
  b.person('school:amy', { dob: '2014-03-01', sex: 'female' });
  b.person('school:mum', { dob: '1985-01-01', sex: 'female' });
  b.link('school:mum', 'mother', 'school:amy');
  return b;
}

function summary(b: HistoryBuilder, date: string, possible: number, attended: number, options: { known?: string; id?: string; about?: string[]; subject?: string } = {}): string {
  return b.event('attendance-summary', date, [options.subject ?? 'school:amy'], { setting: 'school', from: '2023-09-04', to: date, possibleSessions: possible, attendedSessions: attended }, { source: 'school', known: options.known, id: options.id, about: options.about });
}

describe('low-attendance', () => {
  it('fires on a summary with attendance of 90% or less over 20 or more sessions (medium)', () => {
    const b = family();
    const id = summary(b, '2023-12-20', 140, 126); // 90.0%: exactly at the line
    const [f] = findingsOn(lowAttendance, b, '2023-12-20');
    expect(f).toMatchObject({ subject: 'school:amy', unborn: null, episode: '', severity: 'medium', evidence: [id] });
    expect(f!.explanation).toContain('attended 126 of 140 sessions (90%)');
    expect(f!.explanation).toContain('90% or less over at least 20 possible sessions');
  });

  it('does not fire above 90%, or on fewer than 20 possible sessions', () => {
    const b = family();
    summary(b, '2023-12-20', 144, 134); // 93.1%
    summary(b, '2024-01-12', 19, 5); // too few sessions
    expect(findingsOn(lowAttendance, b, '2024-02-01')).toEqual([]);
  });

  it('is high with absence of 50% or more', () => {
    const b = family();
    summary(b, '2023-12-20', 58, 29); // exactly 50% absent
    expect(findingsOn(lowAttendance, b, '2023-12-20')[0]!.severity).toBe('high');
  });

  it('is high while the child is on a plan (any kind), medium again after it ends', () => {
    const b = family();
    summary(b, '2023-12-20', 100, 85);
    const start = b.event('plan-start', '2024-01-10', ['school:amy'], { plan: 'early-help' }, { source: 'la' });
    b.event('plan-end', '2024-03-01', ['school:amy'], { plan: 'early-help', reason: 'improvement' }, { source: 'la', about: [start] });
    expect(findingsOn(lowAttendance, b, '2023-12-20')[0]!.severity).toBe('medium');
    expect(findingsOn(lowAttendance, b, '2024-01-10')[0]!.severity).toBe('high');
    expect(findingsOn(lowAttendance, b, '2024-03-02')[0]!.severity).toBe('medium');
  });

  it('cannot fire before the summary is recorded (late entry)', () => {
    const b = family();
    summary(b, '2023-12-20', 100, 70, { known: '2024-02-05' });
    expect(findingsOn(lowAttendance, b, '2024-01-31')).toEqual([]);
    const alerts = runRules(b, [lowAttendance], { until: '2024-03-01' });
    expect(alerts.map((a) => a.raised)).toEqual(['2024-02-05']);
  });

  it('reads a vague date as the first day of its period', () => {
    const b = family();
    summary(b, '2023-12-01', 100, 70); // recorded as "2023-12"
    expect(findingsOn(lowAttendance, b, '2023-11-30')).toEqual([]);
    expect(findingsOn(lowAttendance, b, '2023-12-01')).toHaveLength(1);
  });

  it('raises once per person, and again after closure only on a new summary', () => {
    const b = family();
    summary(b, '2023-12-20', 100, 80);
    summary(b, '2024-04-01', 100, 82);
    const alerts = runRules(b, [lowAttendance], { until: '2024-05-01' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.evidence).toHaveLength(1);

  });

  it('after a response, raises again only when a new qualifying summary arrives', () => {
    const b = family();
    summary(b, '2023-12-20', 100, 80);
    summary(b, '2024-02-09', 100, 95); // good: nothing new
    const later = summary(b, '2024-04-01', 100, 82);
    const alerts = runRules(b, [lowAttendance], { until: '2024-05-01', responses: [{ day: '2024-01-05' }], days: ['2024-02-20'] });
    expect(alerts.map((a) => [a.raised, a.status])).toEqual([
      ['2023-12-20', 'closed'],
      ['2024-04-01', 'open'],
    ]);
    expect(alerts[1]!.evidence).toContain(later);
  });

  it('counts a copy of a summary once', () => {
    const b = family();
    const original = summary(b, '2023-12-20', 100, 80, { id: 'school:e1' });
    summary(b, '2023-12-21', 100, 80, { id: 'la:e1', about: [original] });
    expect(findingsOn(lowAttendance, b, '2024-01-01')[0]!.evidence).toEqual([original]);
  });

  it('uses the merged person: summaries on two records of one child', () => {
    const b = family();
    b.person('la:amy', { source: 'la', dob: '2014-03-01', sex: 'female' });
    summary(b, '2023-12-20', 100, 80, { subject: 'la:amy' });
    const merged = findingsOn(lowAttendance, b, '2024-01-01', { personOf: { 'la:amy': 'school:amy' } });
    expect(merged.map((f) => f.subject)).toEqual(['school:amy']);
  });

  it('stops once the young person is 18', () => {
    const b = family();
    b.person('school:sam', { dob: '2006-01-10' });
    summary(b, '2023-12-20', 100, 60, { subject: 'school:sam' });
    expect(findingsOn(lowAttendance, b, '2024-01-09').map((f) => f.subject)).toEqual(['school:sam']);
    expect(findingsOn(lowAttendance, b, '2024-01-10')).toEqual([]);
  });

  it('ignores a summary without session numbers', () => {
    const b = family();
    b.event('attendance-summary', '2023-12-20', ['school:amy'], { setting: 'school' }, { source: 'school' });
    expect(findingsOn(lowAttendance, b, '2024-01-01')).toEqual([]);
  });
});
