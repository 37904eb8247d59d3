import { describe, expect, it } from 'vitest';
import { historyAtFrontDoor } from '../../../src/patterns/rules/history-at-front-door.rule.js';
import { findingsOn, HistoryBuilder, runRules } from './history-builder.js';

function family(): HistoryBuilder {
  const b = new HistoryBuilder().source('nla', 'other-local-authority', 'Northmoor').source('eh', 'early-help', 'Southmoor').source('hv', 'health-visiting', 'Southmoor');
  b.person('csc:mum', { dob: '1990-01-01', sex: 'female' });
  b.person('csc:dad', { dob: '1988-01-01', sex: 'male' });
  b.person('csc:amy', { dob: '2019-05-01', sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  b.link('csc:dad', 'father', 'csc:amy');
  b.link('csc:dad', 'partner', 'csc:mum');
  return b;
}

const referral = (b: HistoryBuilder, date: string, subjects = ['csc:amy'], options: { to?: string; known?: string; source?: string; id?: string } = {}) =>
  b.event('referral', date, subjects, { from: '2A', to: options.to ?? 'childrens-social-care' }, { source: options.source ?? 'csc', known: options.known, id: options.id, concerns: ['neglect-physical'] });
const decision = (b: HistoryBuilder, date: string, about: string[] | null, historyConsidered: boolean, subjects = ['csc:amy']) =>
  b.event('threshold-decision', date, subjects, { level: 3, outcome: 'early-help', historyConsidered }, { about: about ?? [] });
function cpPlan(b: HistoryBuilder, child: string, from: string, to: string, source = 'csc'): string[] {
  const start = b.event('plan-start', from, [child], { plan: 'child-protection', category: 'NEG' }, { source });
  const end = b.event('plan-end', to, [child], { plan: 'child-protection', reason: 'improvement' }, { source, about: [start] });
  return [start, end];
}

describe('history-at-front-door', () => {
  it('raises nothing for a family without history', () => {
    const b = family();
    referral(b, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01')).toEqual([]);
  });

  it('fires for a previous child protection plan of the child (medium), on the day of the referral', () => {
    const b = family();
    const [start, end] = cpPlan(b, 'csc:amy', '2020-01-10', '2021-01-10');
    const r = referral(b, '2024-05-01');
    const [f] = findingsOn(historyAtFrontDoor, b, '2024-05-01');
    expect(f).toMatchObject({ subject: 'csc:amy', unborn: null, episode: r, severity: 'medium' });
    expect(f!.evidence).toEqual(expect.arrayContaining([r, start, end]));
    expect(f!.explanation).toContain('previous child protection plan');
    // Decided on the day it became known only.
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-02')).toEqual([]);
  });

  it('counts a brother’s or sister’s plan (a child of a parent, living elsewhere), and a plan while the child was unborn', () => {
    const b = family();
    b.person('csc:joe', { dob: '2008-01-01' });
    b.link('csc:mum', 'mother', 'csc:joe', { livesElsewhere: true });
    cpPlan(b, 'csc:joe', '2012-01-01', '2013-01-01');
    referral(b, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01')[0]!.explanation).toContain('for a brother or sister');

    const c = family();
    c.unborn('csc:unborn-amy', { expected: '2019-05-03' });
    c.event('pregnancy', '2018-10-01', ['csc:mum'], { expectedDate: '2019-05-03', unborn: 'csc:unborn-amy' });
    cpPlan(c, 'csc:unborn-amy', '2019-02-01', '2019-09-01');
    referral(c, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, c, '2024-05-01', { personOf: { 'csc:unborn-amy': 'csc:amy' } })).toHaveLength(1);
  });

  it('does not count a parent’s own plan from their childhood', () => {
    const b = family();
    cpPlan(b, 'csc:dad', '1990-01-01', '1991-01-01');
    referral(b, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01')).toEqual([]);
  });

  it('is high when a parent’s previous child was removed (factor or care order for another child)', () => {
    const b = family();
    b.event('factor', '2015-03-01', ['csc:mum'], { code: 'previous-child-removed', status: 'present' });
    referral(b, '2024-05-01');
    const [f] = findingsOn(historyAtFrontDoor, b, '2024-05-01');
    expect(f!.severity).toBe('high');
    expect(f!.explanation).toContain('High: a previous child was removed');

    const c = family();
    c.person('csc:old', { dob: '2009-01-01' });
    c.link('csc:dad', 'father', 'csc:old', { livesElsewhere: true });
    const order = c.event('care-proceedings', '2012-06-01', ['csc:old'], { outcome: 'care-order' });
    referral(c, '2024-05-01');
    const [g] = findingsOn(historyAtFrontDoor, c, '2024-05-01');
    expect(g).toMatchObject({ severity: 'high' });
    expect(g!.evidence).toContain(order);
  });

  it('fires on 2 other concern referrals about the child or household within 730 days, not on 1 or older ones', () => {
    const b = family();
    referral(b, '2022-04-30'); // 732 days before: outside
    referral(b, '2023-01-01', ['csc:mum']); // about a parent in the household
    referral(b, '2024-05-01', ['csc:amy'], { to: 'health-visiting' }); // not a front-door event; still a concern referral (concern codes)
    const r = b.event('contact', '2024-05-01', ['csc:amy'], { from: '9', to: 'childrens-social-care' });
    const [f] = findingsOn(historyAtFrontDoor, b, '2024-05-01');
    expect(f).toMatchObject({ episode: r });
    expect(f!.explanation).toContain('2 earlier concern referrals');

    const c = family();
    referral(c, '2022-05-01'); // exactly 730 days before: inside
    referral(c, '2023-06-01');
    expect(findingsOn(historyAtFrontDoor, c, '2023-06-01')).toEqual([]); // 1 earlier referral is not enough
    const r2 = referral(c, '2024-04-30');
    expect(findingsOn(historyAtFrontDoor, c, '2024-04-30').map((x) => x.episode)).toEqual([r2]);
  });

  it('fires for a plan in another authority, not for one in the same authority or with no authority known', () => {
    const b = family();
    b.event('plan-start', '2022-01-01', ['csc:amy'], { plan: 'early-help' }, { source: 'nla' });
    b.source('csc', 'childrens-social-care', 'Southmoor');
    referral(b, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01')[0]!.explanation).toContain('another authority than Southmoor');

    const c = family();
    c.event('plan-start', '2022-01-01', ['csc:amy'], { plan: 'early-help', authority: 'Southmoor' }, { source: 'nla' });
    referral(c, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, c, '2024-05-01')).toEqual([]);

    const d = family().source('csc', 'childrens-social-care', null);
    d.event('plan-start', '2022-01-01', ['csc:amy'], { plan: 'early-help' }, { source: 'nla' });
    referral(d, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, d, '2024-05-01')).toEqual([]);
  });

  it('looks only at contacts and referrals to children’s social care or early help (or recorded by them with no `to`)', () => {
    const b = family();
    cpPlan(b, 'csc:amy', '2020-01-10', '2021-01-10');
    b.event('contact', '2024-05-01', ['csc:amy'], { from: '3E', to: 'health-visiting' }, { source: 'hv' });
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01')).toEqual([]);
    b.event('contact', '2024-05-02', ['csc:amy'], { from: '9' }, { source: 'eh' });
    b.event('contact', '2024-05-02', ['csc:amy'], { from: '9' }, { source: 'hv' });
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-02')).toHaveLength(1);
  });

  it('is satisfied by the decision on that referral recording the history considered; not by one recording it was not', () => {
    const b = family();
    cpPlan(b, 'csc:amy', '2020-01-10', '2021-01-10');
    const r = referral(b, '2024-05-01');
    decision(b, '2024-05-02', [r], false);
    const good = decision(b, '2024-05-09', [r], true);
    const alerts = runRules(b, [historyAtFrontDoor], { until: '2024-06-01' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.closed).toMatchObject({ date: '2024-05-09', by: 'event', event: good });
  });

  it('is not raised when the decision considering the history is recorded the same day', () => {
    const b = family();
    cpPlan(b, 'csc:amy', '2020-01-10', '2021-01-10');
    const r = referral(b, '2024-05-01');
    decision(b, '2024-05-01', [r], true);
    expect(runRules(b, [historyAtFrontDoor], { until: '2024-06-01' })).toEqual([]);
  });

  it('pairs a decision without `about` with the earliest undecided referral about the child', () => {
    const b = family();
    cpPlan(b, 'csc:amy', '2020-01-10', '2021-01-10');
    const first = referral(b, '2024-05-01');
    const second = referral(b, '2024-05-03');
    decision(b, '2024-05-02', null, false); // decides the first
    decision(b, '2024-05-04', null, true); // decides the second
    const alerts = runRules(b, [historyAtFrontDoor], { until: '2024-06-01' });
    expect(alerts.map((a) => [a.episode, a.status])).toEqual([
      [first, 'open'],
      [second, 'closed'],
    ]);
  });

  it('raises on the mother for an unborn baby, naming the baby', () => {
    const b = family();
    b.unborn('csc:unborn', { expected: '2024-09-01' });
    b.link('csc:unborn', 'unborn-child-of', 'csc:mum');
    b.event('pregnancy', '2024-02-01', ['csc:mum'], { expectedDate: '2024-09-01', unborn: 'csc:unborn' });
    cpPlan(b, 'csc:amy', '2020-01-10', '2021-01-10'); // a child of a parent
    const r = referral(b, '2024-05-01', ['csc:unborn']);
    const [f] = findingsOn(historyAtFrontDoor, b, '2024-05-01');
    expect(f).toMatchObject({ subject: 'csc:mum', unborn: 'csc:unborn', episode: r });
  });

  it('decides a late-recorded referral on the day it is recorded, on the history dated by the referral', () => {
    const b = family();
    referral(b, '2024-05-01', ['csc:amy'], { known: '2024-05-20' });
    cpPlan(b, 'csc:amy', '2024-05-10', '2024-12-01'); // after the referral: not history for it
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-20')).toEqual([]);
    const c = family();
    cpPlan(c, 'csc:amy', '2020-01-10', '2021-01-10');
    const r2 = referral(c, '2024-05-01', ['csc:amy'], { known: '2024-05-20' });
    expect(runRules(c, [historyAtFrontDoor], { until: '2024-06-01' }).map((a) => [a.episode, a.raised])).toEqual([[r2, '2024-05-20']]);
  });

  it('finds the history on another record of the child only once the records are one person', () => {
    const b = family();
    b.person('nla:amy', { source: 'nla', dob: '2019-05-01' });
    cpPlan(b, 'nla:amy', '2020-01-10', '2021-01-10', 'nla');
    referral(b, '2024-05-01');
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01')).toEqual([]);
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01', { personOf: { 'nla:amy': 'csc:amy' } })).toHaveLength(1);
  });

  it('raises one alert per child named on the referral, and none for an adult subject', () => {
    const b = family();
    b.person('csc:ben', { dob: '2021-01-01' });
    b.link('csc:mum', 'mother', 'csc:ben');
    b.event('factor', '2015-03-01', ['csc:mum'], { code: 'previous-child-removed', status: 'present' });
    referral(b, '2024-05-01', ['csc:amy', 'csc:ben', 'csc:mum']);
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01').map((f) => f.subject).sort()).toEqual(['csc:amy', 'csc:ben']);
  });

  it('does not raise for a young person who has turned 18', () => {
    const b = family();
    b.person('csc:sam', { dob: '2006-05-01' });
    b.link('csc:mum', 'mother', 'csc:sam');
    b.event('factor', '2015-03-01', ['csc:mum'], { code: 'previous-child-removed', status: 'present' });
    referral(b, '2024-04-30', ['csc:sam']);
    referral(b, '2024-05-01', ['csc:sam']);
    expect(findingsOn(historyAtFrontDoor, b, '2024-04-30')).toHaveLength(1);
    expect(findingsOn(historyAtFrontDoor, b, '2024-05-01')).toEqual([]);
  });
});
