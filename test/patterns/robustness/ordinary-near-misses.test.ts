// Ordinary families that sit just inside a threshold, in ways the two shared ordinary files do not.
// Every rule runs through the engine, day by day, as a replay would: nothing may be raised at all.
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../../src/calendar/days.js';
import { addWorkingDays } from '../../../src/calendar/working-days.js';
import { agencies, couple, runAll, summary } from './family.js';

const appointment = (b: ReturnType<typeof agencies>, date: string, status: string, child = 'csc:amy') => b.event('appointment', date, [child], { service: 'paediatric clinic', status }, { source: 'hosp' });
const visit = (b: ReturnType<typeof agencies>, date: string, outcome: string, childSeen: boolean, options: { child?: string; source?: string } = {}) =>
  b.event('home-visit', date, [options.child ?? 'csc:amy'], { outcome, childSeen }, { source: options.source ?? 'hv' });

describe('ordinary families just inside the thresholds: no alert from any rule', () => {
  it('a child brought to exactly 75% of 8 appointments, the 2 missed ones 187 days apart', () => {
    const b = couple('2020-06-01');
    for (const d of ['2023-09-01', '2023-10-02', '2023-11-01']) appointment(b, d, 'attended');
    appointment(b, '2024-01-10', 'was-not-brought'); // 3 of 4 attended: 75%, not fewer
    appointment(b, '2024-02-01', 'cancelled-by-service'); // the hospital's cancellation is not counted
    for (const d of ['2024-03-01', '2024-04-02', '2024-06-03']) appointment(b, d, 'attended');
    appointment(b, '2024-07-15', 'cancelled-by-family'); // 6 of 8: 75%; 187 days after the first miss
    appointment(b, '2024-07-22', 'rearranged');
    // Until just before the first attended appointment leaves the 365-day window.
    expect(summary(runAll(b, '2024-08-31'))).toEqual([]);
  });

  it('two concerns from different agencies 91 days apart', () => {
    const b = couple('2016-02-01');
    b.event('concern', '2024-02-01', ['csc:amy'], {}, { source: 'school', concerns: ['behaviour'] });
    // 91 days later (2024 is a leap year): outside the 90-day window.
    b.event('police-incident', addDays('2024-02-01', 91), ['csc:mum'], { kind: 'welfare', childrenPresent: ['csc:amy'] }, { source: 'police' });
    expect(addDays('2024-02-01', 91)).toBe('2024-05-02');
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('a baby with single no-access visits, each followed by a visit that saw him at home, the two 185 days apart', () => {
    const b = couple('2024-01-10');
    visit(b, '2024-01-20', 'completed', true);
    visit(b, '2024-03-01', 'no-access', false);
    visit(b, '2024-03-08', 'completed', true);
    b.event('appointment', '2024-03-12', ['csc:amy'], { service: 'immunisations', status: 'rearranged' }, { source: 'gp' }); // a temperature
    b.event('appointment', '2024-03-19', ['csc:amy'], { service: 'immunisations', status: 'attended' }, { source: 'gp' });
    visit(b, '2024-09-02', 'no-access', false); // 185 days after the first: outside the 180-day window
    visit(b, '2024-09-10', 'completed', true);
    expect(summary(runAll(b, '2025-03-01'))).toEqual([]);
  });

  it('an early help plan, with the father at home taking part, closing by improvement with no alert open', () => {
    const b = couple('2017-04-01');
    const contact = b.event('contact', '2024-01-08', ['csc:amy'], { from: '2A', to: 'early-help' }, { source: 'eh' });
    b.event('threshold-decision', '2024-01-09', ['csc:amy'], { level: 2, outcome: 'early-help', historyConsidered: false }, { source: 'eh', about: [contact] });
    const start = b.event('assessment', '2024-01-15', ['csc:amy'], { kind: 'early-help', status: 'started' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
    b.event('assessment', '2024-02-05', ['csc:amy'], { kind: 'early-help', status: 'completed' }, { source: 'eh', participants: ['csc:mum', 'csc:dad', 'csc:amy'], about: [start] });
    const plan = b.event('plan-start', '2024-02-12', ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum', 'csc:dad'] });
    b.event('meeting', '2024-04-15', ['csc:amy'], { kind: 'team-around-family', progress: 'improved' }, { source: 'eh', about: [plan] });
    b.event('plan-end', '2024-08-12', ['csc:amy'], { plan: 'early-help', reason: 'improvement', dissent: [] }, { source: 'eh', about: [plan] });
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('a mother who turns 18 on the day her pregnancy is booked, with no factors; a partner of 7 months; one move', () => {
    const b = agencies();
    b.person('mw:jade', { dob: '2005-10-17', sex: 'female' });
    b.person('mw:kieran', { dob: '2003-05-01', sex: 'male' });
    b.unborn('mw:baby', { expected: '2024-05-01' });
    b.person('gp:baby', { dob: '2024-04-28', sex: 'female', known: '2024-04-28' });
    b.link('mw:baby', 'unborn-child-of', 'mw:jade');
    b.link('mw:kieran', 'father', 'mw:baby');
    b.link('mw:kieran', 'partner', 'mw:jade', { start: '2023-03-01' });
    b.link('mw:jade', 'mother', 'gp:baby', { known: '2024-04-28' });
    b.link('mw:kieran', 'father', 'gp:baby', { known: '2024-04-28' });
    b.event('pregnancy', '2023-10-17', ['mw:jade'], { expectedDate: '2024-05-01', unborn: 'mw:baby' }, { source: 'mw', participants: ['mw:jade', 'mw:kieran'] });
    b.event('appointment', '2023-12-12', ['mw:jade'], { service: 'antenatal', status: 'attended' }, { source: 'mw' });
    b.event('birth', '2024-04-28', ['mw:jade'], { child: 'gp:baby', unborn: 'mw:baby' }, { source: 'mw' });
    visit(b, '2024-05-08', 'completed', true, { child: 'gp:baby' });
    b.event('move', '2024-09-01', ['mw:jade', 'mw:kieran', 'gp:baby'], {}, { source: 'housing' });
    b.event('ed-attendance', '2025-03-03', ['gp:baby'], { reason: 'illness', admitted: true }, { source: 'hosp' }); // bronchiolitis
    const alerts = runAll(b, '2025-06-01', { personOf: { 'mw:baby': 'mw:baby', 'gp:baby': 'mw:baby' } });
    expect(summary(alerts)).toEqual([]);
  });

  it('a father living elsewhere who takes part in a child and family assessment completed on its 45th working day; his own childhood plan is not family history', () => {
    const b = couple('2016-09-01', { fatherElsewhere: true });
    // The father's own child protection plan as a small child, in his GP notes.
    const old = b.event('plan-start', '1990-01-10', ['csc:dad'], { plan: 'child-protection', category: 'NEG' }, { source: 'gp', known: '2024-01-01' });
    b.event('plan-end', '1991-01-10', ['csc:dad'], { plan: 'child-protection', reason: 'improvement' }, { source: 'gp', known: '2024-01-01', about: [old] });
    const referral = b.event('referral', '2024-03-04', ['csc:amy'], { from: '2A', to: 'childrens-social-care' });
    b.event('threshold-decision', '2024-03-05', ['csc:amy'], { level: 3, outcome: 'assessment', historyConsidered: false }, { about: [referral] });
    const start = b.event('assessment', '2024-03-06', ['csc:amy'], { kind: 'child-and-family', status: 'started' }, { participants: ['csc:mum'] });
    const due = addWorkingDays('2024-03-06', 45);
    b.event('assessment', due, ['csc:amy'], { kind: 'child-and-family', status: 'completed', outcome: 'no further action' }, { participants: ['csc:mum', 'csc:dad', 'csc:amy'], about: [start] });
    expect(summary(runAll(b, '2025-01-01'))).toEqual([]);
  });

  it('a mother’s new partner moving in and one move recorded by two agencies: only one factor group', () => {
    const b = agencies();
    b.person('csc:mum', { dob: '1992-03-01', sex: 'female' });
    b.person('csc:dad', { dob: '1990-01-01', sex: 'male' });
    b.person('csc:sam', { dob: '1985-11-11', sex: 'male' });
    b.person('csc:amy', { dob: '2015-06-01', sex: 'female' });
    b.link('csc:mum', 'mother', 'csc:amy');
    b.link('csc:dad', 'father', 'csc:amy', { livesElsewhere: true });
    b.link('csc:sam', 'partner', 'csc:mum', { start: '2024-04-01' });
    b.event('household', '2024-04-01', ['csc:amy'], { change: 'joined', person: 'csc:sam' }, { source: 'school' });
    b.event('move', '2024-05-10', ['csc:mum', 'csc:amy', 'csc:sam'], {}, { source: 'housing' });
    b.event('move', '2024-05-10', ['csc:amy'], {}, { source: 'gp' });
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('a one-year-old’s emergency attendances for illness and breathing, and a health visitor’s note of them', () => {
    const b = couple('2023-05-01');
    const ed = b.event('ed-attendance', '2024-05-10', ['csc:amy'], { reason: 'illness', admitted: true }, { source: 'hosp' });
    b.event('contact', '2024-05-11', ['csc:amy'], { from: '3E', to: 'health-visiting' }, { source: 'hv', about: [ed] });
    b.event('ed-attendance', '2024-06-15', ['csc:amy'], { reason: 'breathing' }, { source: 'hosp' });
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('a contact to early help about a child whose half-brother was on a child in need plan that ended 6 years before', () => {
    const b = agencies();
    b.person('csc:mum', { dob: '1988-03-01', sex: 'female' });
    b.person('csc:amy', { dob: '2018-02-01', sex: 'female' });
    b.person('csc:ben', { dob: '2008-05-01', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:amy');
    b.link('csc:mum', 'mother', 'csc:ben');
    b.link('csc:ben', 'half-sibling', 'csc:amy');
    b.link(null, 'father', 'csc:amy', { fatherUnknown: true });
    // The council's old case file, brought into the system in December 2022.
    const plan = b.event('plan-start', '2017-01-10', ['csc:ben'], { plan: 'child-in-need' }, { known: '2022-12-01' });
    b.event('plan-end', '2018-01-10', ['csc:ben'], { plan: 'child-in-need', reason: 'improvement' }, { known: '2022-12-01', about: [plan] });
    // A pregnancy recorded 5 years and a day after that plan ended: outside the unborn baby procedure's 5 years.
    b.event('pregnancy', '2023-01-11', ['csc:mum'], { expectedDate: '2023-07-20' }, { source: 'mw' });
    const contact = b.event('contact', '2024-01-15', ['csc:amy'], { from: '2A', to: 'early-help' }, { source: 'eh' });
    b.event('threshold-decision', '2024-01-16', ['csc:amy'], { level: 2, outcome: 'early-help', historyConsidered: false }, { source: 'eh', about: [contact] });
    expect(summary(runAll(b, '2025-01-01'))).toEqual([]);
  });

  it('school attendance of 90.5% over 200 sessions, and 47% at nursery over only 19 possible sessions', () => {
    const b = couple('2015-09-01');
    b.person('csc:ben', { dob: '2021-01-15', sex: 'male' });
    b.link('csc:mum', 'mother', 'csc:ben');
    b.link('csc:dad', 'father', 'csc:ben');
    b.event('attendance-summary', '2024-07-19', ['csc:amy'], { setting: 'school', from: '2023-09-04', to: '2024-07-19', possibleSessions: 200, attendedSessions: 181, unauthorisedSessions: 2 }, { source: 'school' });
    b.event('attendance-summary', '2024-10-25', ['csc:ben'], { setting: 'early-years', from: '2024-10-14', to: '2024-10-25', possibleSessions: 19, attendedSessions: 9 }, { source: 'nursery' });
    expect(summary(runAll(b, '2025-01-01'))).toEqual([]);
  });

  it('a contact with only one earlier referral in the 730 days before it (another 731 days before)', () => {
    const b = couple('2014-04-01');
    const r1 = b.event('referral', '2022-02-27', ['csc:amy'], { from: '1D', to: 'childrens-social-care' });
    b.event('threshold-decision', '2022-02-28', ['csc:amy'], { level: 1, outcome: 'no-further-action' }, { about: [r1] }); // Sunday's referral decided on Monday
    const r2 = b.event('referral', '2022-03-01', ['csc:amy'], { from: '1D', to: 'childrens-social-care' });
    b.event('threshold-decision', '2022-03-02', ['csc:amy'], { level: 1, outcome: 'no-further-action' }, { about: [r2] });
    const contact = b.event('contact', '2024-02-28', ['csc:amy'], { from: '9', to: 'childrens-social-care', anonymous: true });
    b.event('threshold-decision', '2024-02-29', ['csc:amy'], { level: 1, outcome: 'no-further-action', historyConsidered: false }, { about: [contact] });
    expect(summary(runAll(b, '2025-01-01'))).toEqual([]);
  });

  it('two neglect concerns 181 days apart', () => {
    const b = couple('2019-03-01');
    b.event('observation', '2024-01-10', ['csc:amy'], { domain: 'hygiene' }, { source: 'hv' });
    b.event('concern', '2024-07-09', ['csc:amy'], {}, { source: 'school', concerns: ['neglect-physical'] });
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('a child in need plan run on time: assessment on its 45th working day across Easter, seen every 56 days, reviews never 2 in a row without progress, an adult checked on the 14th day', () => {
    const b = couple('2014-02-01');
    b.person('csc:uncle', { dob: '1995-01-01', sex: 'male' });
    const referral = b.event('referral', '2024-02-29', ['csc:amy'], { from: '2A', to: 'childrens-social-care' }, { concerns: ['neglect-educational'] });
    b.event('threshold-decision', '2024-03-01', ['csc:amy'], { level: 3, outcome: 'assessment', historyConsidered: true }, { about: [referral] });
    const start = b.event('assessment', '2024-03-01', ['csc:amy'], { kind: 'child-and-family', status: 'started' }, { participants: ['csc:mum', 'csc:dad'] });
    const due = addWorkingDays('2024-03-01', 45);
    expect(due).toBe('2024-05-08'); // Good Friday, Easter Monday and the May bank holiday skipped
    b.event('assessment', due, ['csc:amy'], { kind: 'child-and-family', status: 'completed' }, { participants: ['csc:mum', 'csc:dad'], about: [start] });
    const plan = b.event('plan-start', '2024-05-15', ['csc:amy'], { plan: 'child-in-need' }, { participants: ['csc:mum', 'csc:dad'] });
    // Seen on the 56th day each time: in time.
    for (let d = addDays('2024-05-15', 56); d < '2024-11-20'; d = addDays(d, 56)) visit(b, d, 'completed', true, { source: 'csc' });
    // The mother's brother moves in and is checked with the police 14 days later.
    b.event('household', '2024-06-01', ['csc:amy'], { change: 'joined', person: 'csc:uncle' });
    b.event('lateral-check', '2024-06-15', ['csc:uncle'], { with: 'police', outcome: 'nothing known' });
    const review = (date: string, fields: Record<string, unknown>) => b.event('meeting', date, ['csc:amy'], { kind: 'cin-review', ...fields }, { about: [plan], participants: ['csc:mum', 'csc:dad'] });
    review('2024-07-01', { progress: 'none' });
    review('2024-08-15', {}); // no progress value: breaks the run
    review('2024-09-02', { held: false });
    review(addWorkingDays('2024-09-02', 20), { progress: 'none' }); // held on the 20th working day
    review('2024-10-28', { progress: 'improved' });
    b.event('plan-end', '2024-11-20', ['csc:amy'], { plan: 'child-in-need', reason: 'improvement', dissent: [] }, { about: [plan] });
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('a child protection plan run on time and ended at 8 months; a referral 366 days later, decided with the history considered the same day', () => {
    const b = couple('2012-05-01');
    const r = b.event('referral', '2024-01-08', ['csc:amy'], { from: '6', to: 'childrens-social-care' });
    b.event('threshold-decision', '2024-01-09', ['csc:amy'], { level: 4, outcome: 'strategy-discussion' }, { about: [r] });
    const sd = b.event('strategy-discussion', '2024-01-10', ['csc:amy'], { outcome: 'section-47' });
    b.event('section-47', '2024-01-12', ['csc:amy'], { outcome: 'icpc' }, { about: [sd] });
    const icpcDay = addWorkingDays('2024-01-10', 15); // held on the 15th working day: in time
    b.event('meeting', icpcDay, ['csc:amy'], { kind: 'icpc', decision: 'child protection plan' }, { about: [sd], participants: ['csc:mum', 'csc:dad'] });
    const plan = b.event('plan-start', icpcDay, ['csc:amy'], { plan: 'child-protection', category: 'EMO' }, { participants: ['csc:mum', 'csc:dad'] });
    b.event('meeting', addWorkingDays(icpcDay, 10), ['csc:amy'], { kind: 'core-group', progress: 'improved' }, { about: [plan] });
    b.event('meeting', addMonths(icpcDay, 3), ['csc:amy'], { kind: 'rcpc', progress: 'improved' }, { about: [plan] });
    const end = addMonths(icpcDay, 8);
    for (let d = addDays(icpcDay, 28); d <= end; d = addDays(d, 28)) visit(b, d, 'completed', true, { source: 'csc' });
    b.event('plan-end', end, ['csc:amy'], { plan: 'child-protection', reason: 'improvement', dissent: [] }, { about: [plan] });
    const again = b.event('referral', addDays(end, 366), ['csc:amy'], { from: '2A', to: 'childrens-social-care' });
    b.event('threshold-decision', addDays(end, 366), ['csc:amy'], { level: 2, outcome: 'universal', historyConsidered: true }, { about: [again] });
    expect(summary(runAll(b, '2026-06-01'))).toEqual([]);
  });

  it('a single mother with the father recorded as not known, on an early help plan, with no man at home', () => {
    const b = agencies();
    b.person('csc:mum', { dob: '1995-03-01', sex: 'female' });
    b.person('csc:amy', { dob: '2020-02-01', sex: 'female' });
    b.link('csc:mum', 'mother', 'csc:amy');
    b.link(null, 'father', 'csc:amy', { fatherUnknown: true });
    const r = b.event('referral', '2024-04-08', ['csc:amy'], { from: '3B', to: 'early-help' }, { source: 'eh' });
    b.event('threshold-decision', '2024-04-09', ['csc:amy'], { level: 2, outcome: 'early-help' }, { source: 'eh', about: [r] });
    const start = b.event('assessment', '2024-04-10', ['csc:amy'], { kind: 'early-help', status: 'started' }, { source: 'eh', participants: ['csc:mum'] });
    b.event('assessment', '2024-05-01', ['csc:amy'], { kind: 'early-help', status: 'completed' }, { source: 'eh', participants: ['csc:mum'], about: [start] });
    const plan = b.event('plan-start', '2024-05-08', ['csc:amy'], { plan: 'early-help' }, { source: 'eh', participants: ['csc:mum'] });
    b.event('home-visit', '2024-06-05', ['csc:amy'], { outcome: 'virtual', childSeen: false }, { source: 'eh' }); // one video call, then a visit at home
    b.event('home-visit', '2024-06-19', ['csc:amy'], { outcome: 'completed', childSeen: true }, { source: 'eh' });
    b.event('plan-end', '2024-10-08', ['csc:amy'], { plan: 'early-help', reason: 'improvement' }, { source: 'eh', about: [plan] });
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });

  it('two pregnancy recordings 27 days apart in their expected dates are one pregnancy; a sister of 22 at home with no factors', () => {
    const b = agencies();
    b.person('mw:jade', { dob: '2001-01-10', sex: 'female' });
    b.person('mw:kirsty', { dob: '2002-02-01', sex: 'female' });
    b.person('csc:amy', { dob: '2021-06-01', sex: 'female' });
    b.link('mw:jade', 'mother', 'csc:amy');
    b.link('mw:kirsty', 'sibling', 'mw:jade');
    b.event('pregnancy', '2024-02-01', ['mw:jade'], { expectedDate: '2024-09-01' }, { source: 'gp' });
    b.event('pregnancy', '2024-02-20', ['mw:jade'], { expectedDate: '2024-09-28', gestationWeeks: 12 }, { source: 'mw' });
    b.event('birth', '2024-09-20', ['mw:jade'], { child: 'csc:baby' }, { source: 'mw' });
    b.person('csc:baby', { dob: '2024-09-20', sex: 'male', known: '2024-09-20' });
    b.link('mw:jade', 'mother', 'csc:baby', { known: '2024-09-20' });
    b.event('home-visit', '2024-09-30', ['csc:baby', 'csc:amy'], { outcome: 'completed', childSeen: true }, { source: 'hv' });
    expect(summary(runAll(b, '2025-06-01'))).toEqual([]);
  });
});
