import { describe, expect, it } from 'vitest';
import { unbornBaby } from '../../../src/patterns/rules/unborn-baby.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

const BOOKED = '2024-02-01';
const DUE = '2024-09-01';

/** A mother, her partner (the baby's father) and an unborn baby, with the pregnancy recorded on BOOKED. */
function family(options: { motherDob?: string; known?: string; unbornRecord?: boolean } = {}): HistoryBuilder {
  const b = new HistoryBuilder().source('mw', 'midwifery').source('gp', 'gp').source('amh', 'adult-mental-health');
  b.person('mw:mum', { dob: options.motherDob ?? '1995-01-01', sex: 'female' });
  b.person('mw:dad', { dob: '1993-01-01', sex: 'male' });
  b.link('mw:dad', 'partner', 'mw:mum');
  if (options.unbornRecord !== false) {
    b.unborn('mw:baby', { expected: DUE });
    b.link('mw:baby', 'unborn-child-of', 'mw:mum');
    b.link('mw:dad', 'father', 'mw:baby');
  }
  b.event('pregnancy', BOOKED, ['mw:mum'], { expectedDate: DUE, ...(options.unbornRecord !== false ? { unborn: 'mw:baby' } : {}) }, { source: 'mw', id: 'mw:preg', known: options.known });
  return b;
}

describe('unborn-baby', () => {
  it('raises nothing for a pregnancy without any of the listed risks', () => {
    const b = family();
    b.event('factor', '2023-01-01', ['mw:mum'], { code: '6B', status: 'present' }); // physical illness: not listed
    expect(findingsOn(unbornBaby, b, BOOKED)).toEqual([]);
  });

  it('fires on the mother, naming the unborn baby, for a parental factor (medium at first)', () => {
    const b = family();
    const f1 = b.event('factor', '2023-05-01', ['mw:dad'], { code: '2B', status: 'present' });
    const [f] = findingsOn(unbornBaby, b, BOOKED);
    expect(f).toMatchObject({ subject: 'mw:mum', unborn: 'mw:baby', episode: 'mw:preg', severity: 'medium' });
    expect(f!.evidence).toEqual(expect.arrayContaining(['mw:preg', f1]));
    expect(f!.explanation).toContain('substance misuse');
    expect(f!.explanation).toContain('It becomes high on 15 February 2024');
  });

  it('counts factors and services of either parent, a resolved one for 730 days', () => {
    for (const code of ['1B', '3B', '4B', '5B', 'care-leaver']) {
      const b = family();
      b.event('factor', '2023-05-01', ['mw:mum'], { code, status: 'present' });
      expect(findingsOn(unbornBaby, b, BOOKED)).toHaveLength(1);
    }
    const s = family();
    s.event('service', '2023-05-01', ['mw:mum'], { service: 'leaving-care', status: 'open' }, { source: 'csc' });
    expect(findingsOn(unbornBaby, s, BOOKED)[0]!.explanation).toContain('care leaver');
    const recent = family();
    recent.event('factor', '2021-01-01', ['mw:mum'], { code: '4B', status: 'present' });
    recent.event('factor', '2022-02-02', ['mw:mum'], { code: '4B', status: 'resolved' }); // 729 days before
    expect(findingsOn(unbornBaby, recent, BOOKED)).toHaveLength(1);
    const old = family();
    old.event('factor', '2020-01-01', ['mw:mum'], { code: '4B', status: 'present' });
    old.event('factor', '2021-06-01', ['mw:mum'], { code: '4B', status: 'resolved' });
    expect(findingsOn(unbornBaby, old, BOOKED)).toEqual([]);
  });

  it('takes the mother’s resident partner as a parent when no unborn record exists', () => {
    const b = family({ unbornRecord: false });
    b.event('factor', '2023-05-01', ['mw:dad'], { code: '3B', status: 'present' });
    expect(findingsOn(unbornBaby, b, BOOKED)).toMatchObject([{ subject: 'mw:mum', unborn: null }]);
    const c = new HistoryBuilder().source('mw', 'midwifery');
    c.person('mw:mum', { dob: '1995-01-01', sex: 'female' });
    c.person('mw:ex', { dob: '1993-01-01', sex: 'male' });
    c.link('mw:ex', 'partner', 'mw:mum', { livesElsewhere: true });
    c.event('factor', '2023-05-01', ['mw:ex'], { code: '3B', status: 'present' });
    c.event('pregnancy', BOOKED, ['mw:mum'], { expectedDate: DUE }, { source: 'mw' });
    expect(findingsOn(unbornBaby, c, BOOKED)).toEqual([]);
  });

  it('fires for a previous child removed or in care proceedings', () => {
    const b = family();
    b.event('factor', '2016-01-01', ['mw:mum'], { code: 'previous-child-removed', status: 'present' });
    expect(findingsOn(unbornBaby, b, BOOKED)[0]!.explanation).toContain('has had a child removed');

    const c = family();
    c.person('csc:older', { dob: '2015-01-01' });
    c.link('mw:dad', 'father', 'csc:older', { livesElsewhere: true });
    c.event('care-proceedings', '2016-01-01', ['csc:older'], { outcome: 'placement-order' });
    expect(findingsOn(unbornBaby, c, BOOKED)[0]!.explanation).toContain('placement order');

    const d = family();
    d.person('csc:older', { dob: '2015-01-01' });
    d.link('mw:mum', 'mother', 'csc:older');
    d.event('care-proceedings', '2023-12-01', ['csc:older'], { outcome: 'started' });
    expect(findingsOn(unbornBaby, d, BOOKED)[0]!.explanation).toContain('in care proceedings');
    const e = family();
    e.person('csc:older', { dob: '2015-01-01' });
    e.link('mw:mum', 'mother', 'csc:older');
    e.event('care-proceedings', '2023-01-01', ['csc:older'], { outcome: 'started' });
    e.event('care-proceedings', '2023-06-01', ['csc:older'], { outcome: 'withdrawn' });
    expect(findingsOn(unbornBaby, e, BOOKED)).toEqual([]);
  });

  it('fires for a child of either parent on, or within 5 years ended, a child in need or child protection plan', () => {
    const make = (end: string | null, kind = 'child-protection') => {
      const b = family();
      b.person('csc:older', { dob: '2015-01-01' });
      b.link('mw:mum', 'mother', 'csc:older');
      const s = b.event('plan-start', '2018-01-01', ['csc:older'], { plan: kind });
      if (end) b.event('plan-end', end, ['csc:older'], { plan: kind, reason: 'improvement' }, { about: [s] });
      return b;
    };
    expect(findingsOn(unbornBaby, make(null), BOOKED)).toHaveLength(1);
    expect(findingsOn(unbornBaby, make('2019-02-01'), BOOKED)).toHaveLength(1); // exactly 5 years
    expect(findingsOn(unbornBaby, make('2019-01-31'), BOOKED)).toEqual([]);
    expect(findingsOn(unbornBaby, make(null, 'early-help'), BOOKED)).toEqual([]); // early help is not children's social care
  });

  it('fires when either parent, or another child of theirs, is open to children’s social care', () => {
    const b = family();
    b.event('plan-start', '2023-01-01', ['mw:mum'], { plan: 'looked-after' });
    expect(findingsOn(unbornBaby, b, BOOKED)[0]!.explanation).toContain('the mother is open to children’s social care');
    const c = family();
    c.person('csc:older', { dob: '2015-01-01' });
    c.link('mw:dad', 'father', 'csc:older');
    c.event('assessment', '2024-01-20', ['csc:older'], { kind: 'child-and-family', status: 'started' });
    expect(findingsOn(unbornBaby, c, BOOKED)[0]!.explanation).toContain('a child of the baby’s father');
  });

  it('fires for a parent under 18 on the day, not for one of 18', () => {
    expect(findingsOn(unbornBaby, family({ motherDob: '2006-02-02' }), BOOKED)[0]!.explanation).toContain('the mother is 17, under 18');
    expect(findingsOn(unbornBaby, family({ motherDob: '2006-02-01' }), BOOKED)).toEqual([]);
  });

  it('becomes high 14 days after the first recording (a wakeup records the change)', () => {
    const b = family();
    b.event('factor', '2023-05-01', ['mw:mum'], { code: '4B', status: 'present' });
    const alerts = runRules(b, [unbornBaby], { until: '2024-03-01' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ raised: BOOKED, raisedSeverity: 'medium', severity: 'high', severityChanges: [{ date: '2024-02-15', severity: 'high' }] });
  });

  it('is closed by a pre-birth referral or pre-birth assessment about the mother or the baby', () => {
    const b = family();
    b.event('factor', '2023-05-01', ['mw:mum'], { code: '4B', status: 'present' });
    const r = b.event('referral', '2024-02-20', ['mw:baby'], { from: '3F', to: 'childrens-social-care', preBirth: true }, { source: 'mw' });
    const alerts = runRules(b, [unbornBaby], { until: '2024-03-01' });
    expect(alerts[0]!.closed).toMatchObject({ date: '2024-02-20', by: 'event', event: r });

    const c = family();
    c.event('factor', '2023-05-01', ['mw:mum'], { code: '4B', status: 'present' });
    const a = c.event('assessment', '2024-02-10', ['mw:mum'], { kind: 'pre-birth', status: 'started' });
    expect(runRules(c, [unbornBaby], { until: '2024-03-01' })[0]!.closed).toMatchObject({ date: '2024-02-10', event: a });
  });

  it('is not raised when the pre-birth referral is recorded the same day as the pregnancy', () => {
    const b = family();
    b.event('factor', '2023-05-01', ['mw:mum'], { code: '4B', status: 'present' });
    b.event('referral', BOOKED, ['mw:mum'], { from: '3F', to: 'childrens-social-care', preBirth: true }, { source: 'mw' });
    expect(runRules(b, [unbornBaby], { until: '2024-03-01' })).toEqual([]);
  });

  it('is not satisfied by a pre-birth referral from before this pregnancy was recorded, or one recorded after the birth', () => {
    const b = family();
    b.event('factor', '2023-05-01', ['mw:mum'], { code: '4B', status: 'present' });
    b.event('referral', '2022-03-01', ['mw:mum'], { to: 'childrens-social-care', preBirth: true }); // an earlier pregnancy
    b.person('mw:born', { dob: '2024-08-20' });
    b.event('birth', '2024-08-20', ['mw:mum'], { child: 'mw:born', unborn: 'mw:baby' }, { source: 'mw' });
    b.event('referral', '2024-08-21', ['mw:born'], { to: 'childrens-social-care', preBirth: true });
    const alerts = runRules(b, [unbornBaby], { until: '2024-09-30', personOf: [{ from: '2024-08-20', personOf: { 'mw:born': 'mw:baby' } }] });
    expect(alerts.map((a) => a.status)).toEqual(['open']);
    // Not current after the birth: nothing new is raised.
    expect(findingsOn(unbornBaby, b, '2024-08-22', { personOf: { 'mw:born': 'mw:baby' } })).toEqual([]);
  });

  it('raises nothing before the pregnancy is recorded (a late recording)', () => {
    const b = family({ known: '2024-03-10' });
    b.event('factor', '2023-05-01', ['mw:mum'], { code: '4B', status: 'present' });
    const alerts = runRules(b, [unbornBaby], { until: '2024-04-01' });
    expect(alerts.map((a) => [a.raised, a.raisedSeverity])).toEqual([['2024-03-10', 'medium']]);
    expect(alerts[0]!.severityChanges).toEqual([{ date: '2024-03-24', severity: 'high' }]);
  });

  it('raises one alert per pregnancy, however many sources record it and when the unborn record appears', () => {
    const b = new HistoryBuilder().source('mw', 'midwifery').source('gp', 'gp');
    b.person('gp:mum', { dob: '1995-01-01', sex: 'female' });
    b.event('factor', '2023-05-01', ['gp:mum'], { code: '4B', status: 'present' });
    b.event('pregnancy', '2024-01-20', ['gp:mum'], { expectedDate: '2024-09-10' }, { source: 'gp', id: 'gp:preg' });
    b.unborn('mw:baby', { expected: DUE, known: '2024-02-01' });
    b.link('mw:baby', 'unborn-child-of', 'gp:mum', { source: 'mw' });
    b.event('pregnancy', BOOKED, ['gp:mum'], { expectedDate: DUE, unborn: 'mw:baby' }, { source: 'mw' });
    const alerts = runRules(b, [unbornBaby], { until: '2024-03-01' });
    expect(alerts.map((a) => [a.episode, a.unborn, a.raised])).toEqual([['gp:preg', null, '2024-01-20']]);
  });

  it('raises one alert for twins', () => {
    const b = family();
    b.unborn('mw:twin', { expected: DUE });
    b.link('mw:twin', 'unborn-child-of', 'mw:mum');
    b.event('factor', '2023-05-01', ['mw:mum'], { code: '5B', status: 'present' });
    expect(findingsOn(unbornBaby, b, BOOKED)).toHaveLength(1);
  });

  it('reads the mother’s history on another record once the records are one person', () => {
    const b = family();
    b.person('gp:mum', { source: 'gp', dob: '1995-01-01', sex: 'female' });
    b.event('factor', '2023-05-01', ['gp:mum'], { code: '1B', status: 'present' }, { source: 'gp' });
    expect(findingsOn(unbornBaby, b, BOOKED)).toEqual([]);
    expect(findingsOn(unbornBaby, b, BOOKED, { personOf: { 'gp:mum': 'mw:mum' } })).toMatchObject([{ subject: 'mw:mum' }]);
  });
});
