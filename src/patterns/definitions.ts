// The rule catalogue's shared definitions (spec/rules.md, "Shared definitions"), worked out on a
// case history: who is a child, an unborn baby, a parent, a sibling, who lives in a child's
// household on a day, which factors are present, plans and assessments, pregnancies, and which
// events count once. Every rule reads the family through these, so the definitions live in one
// place and are tested on their own. Pure; results are memoised on the (immutable) history.
import { addDays, ageInYears, daysBetween, type Day } from '../calendar/days.js';
import type { CaseHistory, HistoryEvent, HistoryLink, HistoryPerson } from './case-history.js';

export const PARENT_LINK_TYPES: ReadonlySet<string> = new Set(['mother', 'father', 'step-parent', 'carer']);
const SIBLING_LINK_TYPES: ReadonlySet<string> = new Set(['sibling', 'half-sibling']);

/** The six kinds of neglect, and home conditions and hygiene (spec: "neglect concern codes"). */
export const NEGLECT_CONCERNS: ReadonlySet<string> = new Set([
  'neglect-medical',
  'neglect-nutritional',
  'neglect-emotional',
  'neglect-educational',
  'neglect-physical',
  'neglect-supervision',
  'home-conditions',
  'hygiene',
]);

/** Days after the expected date that an unborn baby stays a child for the rules when no birth is recorded. */
export const UNBORN_GRACE_DAYS = 42;
/** Pregnancies of one mother with expected dates this close are one pregnancy. */
export const SAME_PREGNANCY_DAYS = 28;
/** How long a resolved factor (or closed service) still counts for `unborn-baby` and `cumulative-risk`. */
export const RESOLVED_FACTOR_LOOKBACK_DAYS = 730;

/** True when a link holds on `day`: start and end days both included. */
export function linkOpen(link: HistoryLink, day: Day): boolean {
  return (link.start === null || link.start <= day) && (link.end === null || day <= link.end);
}

function other(link: HistoryLink, person: string): string | null {
  return link.from === person ? link.to : link.from;
}

// ---------------------------------------------------------------------------------------------
// Pregnancies and unborn babies.

/** One pregnancy, however many sources recorded it (spec, `pregnancy` event). */
export interface Pregnancy {
  /** The id of its first pregnancy event. */
  key: string;
  mother: string;
  events: readonly HistoryEvent[];
  /** The day it became known: its first recording. */
  firstKnown: Day;
  /** The latest expected date any source gave. */
  expectedDate: Day;
  /** Persons who are its unborn babies (named by its events, or unborn records linked to the mother). */
  unborn: readonly string[];
  births: readonly HistoryEvent[];
  /** The first day it is no longer current: its last birth, or 6 weeks after the expected date. */
  end: Day;
}

function expectedDateOf(e: HistoryEvent): Day {
  const expected = e.fields.expectedDate;
  if (typeof expected === 'string') return expected;
  const weeks = e.fields.gestationWeeks;
  // No expected date: from the gestation when recorded (40 weeks in all); else a booking at about
  // 12 weeks is assumed (documented in docs/pattern-rules.md).
  if (typeof weeks === 'number') return addDays(e.date, Math.round((40 - weeks) * 7));
  return addDays(e.date, 28 * 7);
}

/** Every pregnancy in the history, grouped per mother by expected dates within 28 days of each other. */
export function pregnancies(h: CaseHistory): readonly Pregnancy[] {
  return h.memo('pregnancies', () => {
    const byMother = new Map<string, { e: HistoryEvent; expected: Day }[]>();
    for (const e of h.events) {
      if (e.type !== 'pregnancy') continue;
      for (const mother of e.subjects) {
        if ((h.persons.get(mother)?.unbornRecords.length ?? 0) > 0 && !h.persons.get(mother)?.dateOfBirth) continue;
        const list = byMother.get(mother) ?? [];
        list.push({ e, expected: expectedDateOf(e) });
        byMother.set(mother, list);
      }
    }
    const result: Pregnancy[] = [];
    for (const [mother, list] of byMother) {
      list.sort((a, b) => (a.expected < b.expected ? -1 : a.expected > b.expected ? 1 : 0));
      const groups: (typeof list)[] = [];
      for (const item of list) {
        const last = groups.at(-1);
        if (last && daysBetween(last.at(-1)!.expected, item.expected) <= SAME_PREGNANCY_DAYS) last.push(item);
        else groups.push([item]);
      }
      for (const group of groups) {
        const events = group.map((g) => g.e).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
        const expectedDate = group.map((g) => g.expected).reduce((a, b) => (b > a ? b : a));
        const unborn = new Set<string>();
        for (const e of events) for (const u of e.named.unborn ?? []) unborn.add(u);
        // Unborn records the mother's sources linked to her, expecting within 28 days of this one.
        for (const link of h.linksOf(mother)) {
          if (link.type !== 'unborn-child-of' || link.to !== mother || link.from === null) continue;
          const baby = h.persons.get(link.from);
          const due = baby?.expectedDate;
          if (baby && baby.unbornRecords.length > 0 && (!due || Math.abs(daysBetween(due, expectedDate)) <= SAME_PREGNANCY_DAYS)) unborn.add(baby.key);
        }
        const firstDate = events[0]!.date;
        const births = h.events.filter(
          (b) =>
            b.type === 'birth' &&
            b.subjects.includes(mother) &&
            ((b.named.unborn ?? []).some((u) => unborn.has(u)) || (b.named.child ?? []).some((c) => unborn.has(c)) || (b.date >= firstDate && b.date <= addDays(expectedDate, UNBORN_GRACE_DAYS))),
        );
        for (const b of births) for (const c of b.named.child ?? []) unborn.add(c);
        const expectedBabies = Math.max(1, ...events.map((e) => (e.named.unborn ?? []).length));
        const end = births.length >= expectedBabies ? births.map((b) => b.date).reduce((a, b) => (b > a ? b : a)) : addDays(expectedDate, UNBORN_GRACE_DAYS);
        result.push({ key: events[0]!.id, mother, events, firstKnown: events.map((e) => e.known).reduce((a, b) => (b < a ? b : a)), expectedDate, unborn: [...unborn].sort(), births, end });
      }
    }
    return result.sort((a, b) => (a.firstKnown < b.firstKnown ? -1 : a.firstKnown > b.firstKnown ? 1 : a.key < b.key ? -1 : 1));
  });
}

/** True when the pregnancy is current on `day` (known, and not yet ended). */
export function pregnancyCurrent(p: Pregnancy, day: Day): boolean {
  return p.firstKnown <= day && day < p.end;
}

/** The pregnancy a person was (or is) the unborn baby of, if one was recorded. */
export function pregnancyOf(h: CaseHistory, person: string): Pregnancy | undefined {
  return pregnancies(h).find((p) => p.unborn.includes(person));
}

/**
 * The days a person with an unborn record is an unborn baby for the rules: from the first
 * recording of its pregnancy (or, with no pregnancy recorded, from its unborn record's own
 * recording) until the
 * day before its birth, or 6 weeks after the expected date. Null for anyone never recorded unborn.
 */
export function unbornPeriod(h: CaseHistory, person: string): { from: Day; until: Day } | null {
  return h.memo(`unborn:${person}`, () => {
    const p = h.persons.get(person);
    if (!p || p.unbornRecords.length === 0) return null;
    const pregnancy = pregnancyOf(h, person);
    // From the first recording of its pregnancy; an unborn record with no pregnancy recorded (yet)
    // counts from its own recording, when it has one. An unborn record "known from the start" with
    // no pregnancy is not yet a child: nothing is raised about a pregnancy before it is recorded.
    const from = pregnancy?.firstKnown ?? p.unbornRecorded;
    if (from === null) return null;
    // Exclusive end: the day of birth, else the pregnancy's own end.
    const end = p.dateOfBirth ?? pregnancy?.end ?? (p.expectedDate ? addDays(p.expectedDate, UNBORN_GRACE_DAYS) : from);
    return { from, until: addDays(end, -1) };
  });
}

/** True when the person is an unborn baby on `day`. */
export function isUnborn(h: CaseHistory, person: string, day: Day): boolean {
  const period = unbornPeriod(h, person);
  return period !== null && period.from <= day && day <= period.until;
}

/** Age in whole years on `day`; null with no date of birth or before it. */
export function ageOn(h: CaseHistory, person: string, day: Day): number | null {
  const dob = h.persons.get(person)?.dateOfBirth;
  if (!dob || dob > day) return null;
  return ageInYears(dob, day);
}

/** True when the person exists on `day`: born by then, an unborn baby then, or an adult with no date of birth. */
export function exists(h: CaseHistory, person: string, day: Day): boolean {
  const p = h.persons.get(person);
  if (!p) return false;
  if (p.dateOfBirth) return p.dateOfBirth <= day || isUnborn(h, person, day);
  if (p.unbornRecords.length > 0) return isUnborn(h, person, day);
  return true;
}

/** Spec: a child is a person under 18 on the day, or an unborn baby. */
export function isChild(h: CaseHistory, person: string, day: Day): boolean {
  const p = h.persons.get(person);
  if (!p) return false;
  if (p.dateOfBirth && p.dateOfBirth <= day) return ageInYears(p.dateOfBirth, day) < 18;
  return isUnborn(h, person, day);
}

/** Spec: an adult is anyone else (a person with no date of birth and no unborn record is an adult). */
export function isAdult(h: CaseHistory, person: string, day: Day): boolean {
  return exists(h, person, day) && !isChild(h, person, day);
}

/** Every person who is a child on `day`. */
export function childrenOn(h: CaseHistory, day: Day): string[] {
  return [...h.persons.keys()].filter((p) => isChild(h, p, day)).sort();
}

/** The mother of an unborn baby: its `unborn-child-of` link, or its pregnancy's mother. */
export function motherOfUnborn(h: CaseHistory, person: string): string | null {
  for (const link of h.linksOf(person)) if (link.type === 'unborn-child-of' && link.from === person) return link.to;
  return pregnancyOf(h, person)?.mother ?? motherOf(h, person);
}

/** The child's mother by a `mother` link, if any. */
export function motherOf(h: CaseHistory, person: string): string | null {
  for (const link of h.linksOf(person)) if (link.type === 'mother' && link.to === person && link.from !== null) return link.from;
  return null;
}

/**
 * Whom an alert about `child` is raised on (spec: an alert about an unborn baby is raised on the
 * mother, and names the unborn baby).
 */
export function alertSubject(h: CaseHistory, child: string, day: Day): { subject: string; unborn: string | null } {
  if (isUnborn(h, child, day)) {
    const mother = motherOfUnborn(h, child);
    if (mother) return { subject: mother, unborn: child };
  }
  return { subject: child, unborn: null };
}

// ---------------------------------------------------------------------------------------------
// Parents, siblings and the household.

/** Parent links into a child (mother, father, step-parent, carer) that hold on `day`. */
export function parentLinks(h: CaseHistory, child: string, day: Day): HistoryLink[] {
  return h.linksOf(child).filter((l) => l.to === child && l.from !== null && PARENT_LINK_TYPES.has(l.type) && linkOpen(l, day) && exists(h, l.from, day));
}

/** The child's fathers by a `father` link (living with the child or not). */
export function fathersOf(h: CaseHistory, child: string, day: Day): string[] {
  return parentLinks(h, child, day)
    .filter((l) => l.type === 'father')
    .map((l) => l.from!);
}

/** True when a source recorded that the child's father is not known. */
export function fatherRecordedUnknown(h: CaseHistory, child: string): boolean {
  return h.linksOf(child).some((l) => l.type === 'father' && l.to === child && l.fatherUnknown);
}

/** Partners (by a `partner` link holding on `day`) of a person, with the links. */
export function partnersOf(h: CaseHistory, person: string, day: Day): { partner: string; link: HistoryLink }[] {
  const result: { partner: string; link: HistoryLink }[] = [];
  for (const l of h.linksOf(person)) {
    if (l.type !== 'partner' || !linkOpen(l, day)) continue;
    const p = other(l, person);
    if (p !== null && exists(h, p, day)) result.push({ partner: p, link: l });
  }
  return result;
}

/**
 * Who lives with the child on `day` (spec, "Household"): the parents and siblings, household
 * members and partners (links holding that day, not `livesElsewhere`), less anyone a `household`
 * event says has left, plus anyone it says has joined. Nobody joins only through someone the child
 * does not live with. An unborn baby's household is its mother's (with her). The child is not in it.
 */
export function householdOf(h: CaseHistory, child: string, day: Day): ReadonlySet<string> {
  return h.memo(`household:${child}:${day}`, () => {
    const members = new Set<string>();
    const lives = (l: HistoryLink) => !l.livesElsewhere && l.from !== null && linkOpen(l, day);
    let anchor = child;
    if (isUnborn(h, child, day)) {
      const mother = motherOfUnborn(h, child);
      if (mother) {
        members.add(mother);
        anchor = mother;
      }
    }
    const parents: string[] = [];
    const addFrom = (person: string, level: 'child' | 'parent') => {
      for (const l of h.linksOf(person)) {
        if (!lives(l)) continue;
        const o = other(l, person);
        if (o === null || o === child || !exists(h, o, day)) continue;
        const intoPerson = l.to === person;
        if (PARENT_LINK_TYPES.has(l.type)) {
          if (intoPerson) {
            // A parent of `person`.
            if (level === 'child') {
              members.add(o);
              parents.push(o);
            }
          } else if (level === 'parent') {
            members.add(o); // the parent's other child: a sibling (or half-sibling) at home
          }
        } else if (SIBLING_LINK_TYPES.has(l.type) || l.type === 'household-member' || l.type === 'partner') {
          members.add(o);
          if (level === 'child' && l.type === 'partner') parents.push(o);
        } else if (l.type === 'unborn-child-of' && level === 'parent' && l.to === person && isUnborn(h, o, day)) {
          members.add(o); // an unborn brother or sister
        } else if (l.type === 'unborn-child-of' && level === 'child' && l.from === person) {
          members.add(o);
          parents.push(o);
        }
      }
    };
    addFrom(anchor, 'child');
    if (anchor !== child) parents.push(anchor);
    for (const p of [...new Set(parents)]) addFrom(p, 'parent');
    // Household events about the child, in date order: who left, who joined.
    for (const e of h.eventsAbout(anchor === child ? child : anchor)) {
      if (e.type !== 'household' || e.date > day) continue;
      for (const person of e.named.person ?? []) {
        if (person === child) continue;
        if (e.fields.change === 'left') members.delete(person);
        else if (e.fields.change === 'joined') members.add(person);
      }
    }
    if (anchor !== child) {
      for (const e of h.eventsAbout(child)) {
        if (e.type !== 'household' || e.date > day) continue;
        for (const person of e.named.person ?? []) {
          if (e.fields.change === 'left') members.delete(person);
          else if (e.fields.change === 'joined') members.add(person);
        }
      }
    }
    members.delete(child);
    return members;
  });
}

/**
 * The child's parents on `day` (spec, "Parent"): mother, father, step-parent and carer links
 * (living with the child or not), and a partner of one of them who lives in the household.
 */
export function parentsOf(h: CaseHistory, child: string, day: Day): ReadonlySet<string> {
  return h.memo(`parents:${child}:${day}`, () => {
    const parents = new Set<string>(parentLinks(h, child, day).map((l) => l.from!));
    if (isUnborn(h, child, day)) {
      const mother = motherOfUnborn(h, child);
      if (mother) parents.add(mother);
    }
    const household = householdOf(h, child, day);
    for (const p of [...parents]) for (const { partner } of partnersOf(h, p, day)) if (partner !== child && household.has(partner)) parents.add(partner);
    return parents;
  });
}

/** The children of a parent (mother and father links, and unborn babies linked to a mother), ever recorded. */
export function childrenOf(h: CaseHistory, parent: string): string[] {
  const children = new Set<string>();
  for (const l of h.linksOf(parent)) {
    if ((l.type === 'mother' || l.type === 'father') && l.from === parent) children.add(l.to);
    if (l.type === 'unborn-child-of' && l.to === parent && l.from !== null) children.add(l.from);
  }
  return [...children].sort();
}

/** Spec, "Siblings": sibling and half-sibling links, and children who share a mother or a father. */
export function siblingsOf(h: CaseHistory, child: string, day: Day): ReadonlySet<string> {
  const result = new Set<string>();
  for (const l of h.linksOf(child)) {
    if (!SIBLING_LINK_TYPES.has(l.type)) continue;
    const o = other(l, child);
    if (o !== null && exists(h, o, day)) result.add(o);
  }
  for (const l of h.linksOf(child)) {
    if (!(l.type === 'mother' || l.type === 'father') || l.to !== child || l.from === null) continue;
    for (const c of childrenOf(h, l.from)) if (c !== child && exists(h, c, day)) result.add(c);
  }
  return result;
}

/** Adults in the child's household on `day`. */
export function householdAdults(h: CaseHistory, child: string, day: Day): string[] {
  return [...householdOf(h, child, day)].filter((p) => isAdult(h, p, day)).sort();
}

/** Children in the child's household on `day` (the child not included). */
export function householdChildren(h: CaseHistory, child: string, day: Day): string[] {
  return [...householdOf(h, child, day)].filter((p) => isChild(h, p, day)).sort();
}

// ---------------------------------------------------------------------------------------------
// Factors.

/** The group a factor code belongs to: its number for census codes ("2B" → "2"), else the code itself. */
export function factorGroup(code: string): string {
  const m = /^(\d+)[A-C]?$/.exec(code);
  return m ? m[1]! : code;
}

/** Service kinds that count as a factor (spec: an open service of the matching kind counts as the factor). */
const SERVICE_FACTOR: Readonly<Record<string, string>> = {
  'drug-alcohol-treatment': 'substance',
  'adult-mental-health': '4',
  'learning-disability': '5',
  'leaving-care': 'care-leaver',
};

/** Which factor groups a factor-group question may ask about. "substance" is groups 1 and 2 together. */
function groupMatches(asked: string, group: string): boolean {
  // A drug and alcohol treatment service is recorded under its own group, "substance".
  if (asked === 'substance') return group === '1' || group === '2' || group === 'substance';
  return asked === group;
}

/**
 * The events that show a factor present for a person on `day`: the latest `factor` event of the
 * group with status present, not followed by one resolved (or, with `lookback`, resolved within the
 * previous 730 days); or an open service of the matching kind (or, with `lookback`, one closed
 * within 730 days). Empty when the factor is not present. `group` is a factor group (see
 * `factorGroup`), or "substance" for drugs or alcohol.
 */
export function factorEvidence(h: CaseHistory, person: string, group: string, day: Day, options: { lookback?: boolean } = {}): HistoryEvent[] {
  return h.memo(`factor:${person}:${group}:${day}:${options.lookback === true}`, () => {
    const evidence: HistoryEvent[] = [];
    const within = (e: HistoryEvent) => options.lookback === true && daysBetween(e.date, day) <= RESOLVED_FACTOR_LOOKBACK_DAYS;
    // Per group: the state after the person's events in date order. A resolution on the same day
    // as a recording is read as following it (no order within a day; the later state wins).
    const state = new Map<string, { present: HistoryEvent | null; resolved: HistoryEvent | null }>();
    for (const e of h.eventsAbout(person)) {
      if (e.date > day || !e.subjects.includes(person)) continue;
      let g: string | undefined;
      let present: boolean;
      if (e.type === 'factor' && typeof e.fields.code === 'string') {
        g = factorGroup(e.fields.code);
        present = e.fields.status === 'present';
      } else if (e.type === 'service' && typeof e.fields.service === 'string' && SERVICE_FACTOR[e.fields.service]) {
        g = `service:${e.fields.service}`;
        present = e.fields.status === 'open';
      } else continue;
      const asGroup = g.startsWith('service:') ? SERVICE_FACTOR[g.slice(8)]! : g;
      if (!groupMatches(group, asGroup)) continue;
      if (present) state.set(g, { present: e, resolved: null });
      else state.set(g, { present: null, resolved: e });
    }
    for (const s of state.values()) {
      if (s.present) evidence.push(s.present);
      else if (s.resolved && within(s.resolved)) evidence.push(s.resolved);
    }
    return evidence.sort((a, b) => (a.date < b.date ? -1 : 1));
  });
}

// ---------------------------------------------------------------------------------------------
// Plans and assessments.

/** One plan for one child: its start, its matching end (if any). */
export interface PlanPeriod {
  child: string;
  plan: string;
  category: string | null;
  authority: string | null;
  start: HistoryEvent;
  end: HistoryEvent | null;
}

/** Pairs starts with ends: an end's `about`, else the earliest open start of the same kind and subject. */
function pairEpisodes<T extends { start: HistoryEvent; end: HistoryEvent | null }>(
  starts: readonly HistoryEvent[],
  ends: readonly HistoryEvent[],
  sameKind: (start: HistoryEvent, end: HistoryEvent) => boolean,
  make: (start: HistoryEvent) => T,
): T[] {
  const episodes = starts.map(make);
  const byStart = new Map(episodes.map((e) => [e.start.id, e]));
  const unmatched: HistoryEvent[] = [];
  for (const end of ends) {
    const target = end.about.map((id) => byStart.get(id)).find((e) => e !== undefined && e.end === null);
    if (target) target.end = end;
    else unmatched.push(end);
  }
  for (const end of unmatched) {
    const open = episodes.find((e) => e.end === null && e.start.date <= end.date && sameKind(e.start, end));
    if (open) open.end = end;
  }
  return episodes;
}

/** Every plan of the child, in start order. Another agency's copy of a start or end (its `about` names it) is counted once. */
export function plansOf(h: CaseHistory, child: string): readonly PlanPeriod[] {
  return h.memo(`plans:${child}`, () => {
    const events = h.eventsAbout(child).filter((e) => e.subjects.includes(child));
    return pairEpisodes(
      countOnce(events.filter((e) => e.type === 'plan-start')),
      countOnce(events.filter((e) => e.type === 'plan-end')),
      (s, e) => s.fields.plan === e.fields.plan,
      (start): PlanPeriod => ({
        child,
        plan: String(start.fields.plan),
        category: typeof start.fields.category === 'string' ? start.fields.category : null,
        authority: typeof start.fields.authority === 'string' ? start.fields.authority : start.authority,
        start,
        end: null,
      }),
    );
  });
}

/** True when the plan holds on `day` (its start and end days included). */
export function planOn(plan: PlanPeriod, day: Day): boolean {
  return plan.start.date <= day && (plan.end === null || day <= plan.end.date);
}

/** The child's plans that hold on `day`, of the given kinds (all kinds when omitted). */
export function plansOn(h: CaseHistory, child: string, day: Day, kinds?: readonly string[]): PlanPeriod[] {
  return plansOf(h, child).filter((p) => planOn(p, day) && (kinds === undefined || kinds.includes(p.plan)));
}

/** One assessment: its start (or, with none recorded, its completion) and its completion. */
export interface AssessmentPeriod {
  child: string;
  kind: string;
  start: HistoryEvent;
  end: HistoryEvent | null;
}

/** Every assessment about the person, in start order. A copy of a start or completion (its `about` names it) is counted once. */
export function assessmentsOf(h: CaseHistory, person: string): readonly AssessmentPeriod[] {
  return h.memo(`assessments:${person}`, () => {
    const events = h.eventsAbout(person).filter((e) => e.type === 'assessment' && e.subjects.includes(person));
    const started = countOnce(events.filter((e) => e.fields.status === 'started'));
    const completed = countOnce(events.filter((e) => e.fields.status === 'completed'));
    const episodes = pairEpisodes(started, completed, (s, e) => s.fields.kind === e.fields.kind, (start): AssessmentPeriod => ({ child: person, kind: String(start.fields.kind), start, end: null }));
    // A completion with no start recorded is an assessment of its own (started and completed that day).
    const used = new Set(episodes.map((e) => e.end?.id).filter(Boolean));
    for (const c of completed) if (!used.has(c.id)) episodes.push({ child: person, kind: String(c.fields.kind), start: c, end: c });
    return episodes.sort((a, b) => (a.start.date < b.start.date ? -1 : a.start.date > b.start.date ? 1 : 0));
  });
}

/** Assessments the person is under on `day`: from the start to the completion, both days included. */
export function assessmentsOn(h: CaseHistory, person: string, day: Day, kinds: readonly string[]): AssessmentPeriod[] {
  return assessmentsOf(h, person).filter((a) => kinds.includes(a.kind) && a.start.date <= day && (a.end === null || day <= a.end.date));
}

// ---------------------------------------------------------------------------------------------
// Counting events.

/** Spec: `referral` events to children's social care or early help, or with concern codes. */
export function isConcernReferral(e: HistoryEvent): boolean {
  return e.type === 'referral' && (e.fields.to === 'childrens-social-care' || e.fields.to === 'early-help' || e.concerns.length > 0);
}

/**
 * Spec: "an event whose `about` names an event already counted is not counted again" — of the
 * candidates (each a counted event), those that are copies of another candidate are dropped.
 */
export function countOnce(candidates: readonly HistoryEvent[]): HistoryEvent[] {
  const ids = new Set(candidates.map((e) => e.id));
  return candidates.filter((e) => !e.about.some((a) => a !== e.id && ids.has(a)));
}

/** Events in the window "within N days of `day`": from day − N to day, both included. */
export function withinDays(events: readonly HistoryEvent[], day: Day, days: number): HistoryEvent[] {
  const from = addDays(day, -days);
  return events.filter((e) => e.date >= from && e.date <= day);
}

/** The person as the history holds them (throws for an unknown key: a rule bug, not data). */
export function personOf(h: CaseHistory, key: string): HistoryPerson {
  const p = h.persons.get(key);
  if (!p) throw new Error(`no person ${key} in the history`);
  return p;
}
