// `cumulative-risk` (spec/rules.md): risks that exist together in a child's household. Case
// reviews keep finding that domestic abuse, parental mental ill health and substance misuse (the
// "toxic trio"), and the other vulnerabilities that come with them, were each known to someone but
// never weighed together, so nobody saw how much risk had built up around the child.
//
// Interpretation choices (also in the report to the lead engineer):
// - The three "trio" groups and parental learning disability are read on the adults who live in the
//   child's household on the day (the catalogue: "the household's adults show"; a `C` code is about
//   another household member), and on a parent living with the child who is under 18 (a young
//   mother's own drug use is still parental substance misuse). The groups that say "parent" (care leaver, under 20 at the birth, a
//   previous child removed, a previous child-protection plan) are read on the child's parents as the
//   shared definitions give them, so a father who lives elsewhere still counts.
// - "Parent under 20 at the child's birth" uses the birth parents only (mother and father links; for
//   an unborn baby its mother and its father link), at the date of birth or, for an unborn baby, the
//   pregnancy's expected date (the latest any source gave).
// - "A new adult joined the household": a `household` joined event about the child (for an unborn
//   baby also about its mother) whose person is an adult that day, or a partner link of a parent that
//   starts within the window and is not `livesElsewhere`, with the partner living with the child
//   (on the start day or today). A partner who does not live with the child did not join anything.
// - "2 moves within 365 days": `move` events about the child or an adult now in the household, on at
//   least two different days (two sources recording one move on one day are one move).
// - "`debt`, `housing-instability` or `homeless` or 2 moves within 365 days" is read as one group
//   (debt or no settled home). The catalogue's list can also be read with `debt` as a group of its
//   own (an eleventh); that reading is open with the lead engineer and changes no shared scenario.
// - Factors count with the 730-day lookback for resolved factors (spec, "Factor present").
import { z } from 'zod';
import { addDays, addYears, ageInYears, type Day } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import {
  alertSubject,
  childrenOf,
  childrenOn,
  factorEvidence,
  fathersOf,
  householdAdults,
  householdOf,
  isAdult,
  isChild,
  isUnborn,
  motherOf,
  motherOfUnborn,
  parentLinks,
  parentsOf,
  plansOf,
  pregnancyOf,
  withinDays,
} from '../definitions.js';
import { count, listOf, longDate } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** Raised with this many of the three groups domestic abuse, mental ill health and substance misuse... */
  trioGroups: z.number().int().min(1).default(2),
  /** ...or with this many groups in all (the trio and the others). */
  allGroups: z.number().int().min(1).default(3),
  /** High with this many groups in all. */
  highGroups: z.number().int().min(1).default(4),
  /** A police domestic-abuse incident counts for this many days. */
  policeIncidentDays: z.number().int().min(1).default(730),
  /** This many moves, on different days, within this many days count as housing instability. */
  moves: z.number().int().min(2).default(2),
  movesWindowDays: z.number().int().min(1).default(365),
  /** A new adult in the household counts for this many days after joining. */
  newAdultDays: z.number().int().min(1).default(365),
  /** A birth parent younger than this at the child's birth (or the expected date) counts. */
  youngParentAge: z.number().int().min(1).default(20),
});
type Settings = z.infer<typeof settings>;

type GroupId =
  | 'domestic-abuse'
  | 'mental-health'
  | 'substance'
  | 'learning-disability'
  | 'care-leaver'
  | 'young-parent'
  | 'previous-child-removed'
  | 'previous-plan'
  | 'housing'
  | 'new-adult';

const TRIO: ReadonlySet<GroupId> = new Set(['domestic-abuse', 'mental-health', 'substance']);

const GROUP_NAMES: Readonly<Record<GroupId, string>> = {
  'domestic-abuse': 'domestic abuse',
  'mental-health': 'parental mental ill health',
  substance: 'substance misuse',
  'learning-disability': 'parental learning disability',
  'care-leaver': 'a parent who is a care leaver',
  'young-parent': 'a parent under {age} at the birth',
  'previous-child-removed': 'a parent’s previous child removed',
  'previous-plan': 'a previous child protection plan for a child of a parent',
  housing: 'debt or no settled home',
  'new-adult': 'a new adult in the household',
};

/** One group found, with the events behind it and what to say about it. */
interface Group {
  id: GroupId;
  evidence: HistoryEvent[];
  details: string[];
}

/** How the person stands to the child, for the explanation (the history holds no names). */
function roleOf(h: CaseHistory, child: string, person: string, day: Day): string {
  if (person === child) return 'the child';
  const mother = isUnborn(h, child, day) ? motherOfUnborn(h, child) : motherOf(h, child);
  if (person === mother) return 'the mother';
  if (fathersOf(h, child, day).includes(person)) return 'the father';
  if (parentsOf(h, child, day).has(person)) return 'a parent or carer';
  return 'a household member';
}

function describeFactor(e: HistoryEvent, role: string): string {
  if (e.type === 'service') return `${String(e.fields.service).replace(/-/g, ' ')} service ${e.fields.status === 'open' ? 'open' : 'closed'} for ${role} (${longDate(e.date)})`;
  const status = e.fields.status === 'resolved' ? 'recorded as resolved' : 'recorded';
  return `factor ${String(e.fields.code)} ${status} for ${role} (${longDate(e.date)})`;
}

/** Factor groups read on a set of people: each person's factor events and services for the group. */
function factorGroup(h: CaseHistory, child: string, people: readonly string[], id: GroupId, codes: readonly string[], day: Day): Group | null {
  const evidence: HistoryEvent[] = [];
  const details: string[] = [];
  for (const person of people) {
    for (const code of codes) {
      for (const e of factorEvidence(h, person, code, day, { lookback: true })) {
        evidence.push(e);
        details.push(describeFactor(e, roleOf(h, child, person, day)));
      }
    }
  }
  return evidence.length > 0 ? { id, evidence, details } : null;
}

/** The birth parents (mother and father links) of the child, or of an unborn baby. */
function birthParents(h: CaseHistory, child: string, day: Day): string[] {
  const parents = new Set<string>(fathersOf(h, child, day));
  const mother = isUnborn(h, child, day) ? motherOfUnborn(h, child) : motherOf(h, child);
  if (mother) parents.add(mother);
  return [...parents].sort();
}

/** Every group present for the child's household on `day`. */
function groupsFor(h: CaseHistory, child: string, day: Day, s: Settings): Group[] {
  const parents = [...parentsOf(h, child, day)].sort();
  // The household's adults, and a parent at home who is not yet 18 (a young mother's own factors
  // are still parental ones).
  const household = householdOf(h, child, day);
  const adults = [...new Set([...householdAdults(h, child, day), ...parents.filter((p) => household.has(p))])].sort();
  const groups: Group[] = [];
  const push = (g: Group | null) => {
    if (g) groups.push(g);
  };

  // Domestic abuse: factor group 3 on a household adult, or a police domestic-abuse incident about
  // the child or a household adult in the last 730 days.
  const da = factorGroup(h, child, adults, 'domestic-abuse', ['3'], day) ?? { id: 'domestic-abuse' as const, evidence: [], details: [] };
  const incidents = new Map<string, HistoryEvent>();
  for (const person of [child, ...adults]) {
    for (const e of withinDays(h.eventsAbout(person), day, s.policeIncidentDays)) if (e.type === 'police-incident' && e.fields.kind === 'domestic-abuse') incidents.set(e.id, e);
  }
  for (const e of incidents.values()) {
    da.evidence.push(e);
    da.details.push(`police domestic abuse incident (${longDate(e.date)})`);
  }
  if (da.evidence.length > 0) groups.push(da);
  push(factorGroup(h, child, adults, 'mental-health', ['4'], day));
  push(factorGroup(h, child, adults, 'substance', ['substance'], day));
  push(factorGroup(h, child, adults, 'learning-disability', ['5'], day));
  push(factorGroup(h, child, parents, 'care-leaver', ['care-leaver'], day));

  // A birth parent under 20 at the birth (an unborn baby: at the expected date).
  const person = h.persons.get(child)!;
  const unborn = isUnborn(h, child, day);
  const pregnancy = unborn ? pregnancyOf(h, child) : undefined;
  const birthDay = unborn ? (pregnancy?.expectedDate ?? person.expectedDate) : person.dateOfBirth;
  if (birthDay) {
    const young = birthParents(h, child, day).filter((p) => {
      const dob = h.persons.get(p)?.dateOfBirth;
      return dob !== null && dob !== undefined && dob <= birthDay && ageInYears(dob, birthDay) < s.youngParentAge;
    });
    if (young.length > 0) {
      const births = unborn ? (pregnancy?.events ?? []) : h.events.filter((e) => e.type === 'birth' && (e.named.child ?? []).includes(child));
      groups.push({
        id: 'young-parent',
        evidence: [...births],
        details: young.map((p) => `${roleOf(h, child, p, day)} was ${ageInYears(h.persons.get(p)!.dateOfBirth!, birthDay)} ${unborn ? 'at the expected date' : 'at the birth'} (${longDate(birthDay)})`),
      });
    }
  }

  // A parent's previous child removed: the factor, or a care or placement order for another child.
  const removed = factorGroup(h, child, parents, 'previous-child-removed', ['previous-child-removed'], day) ?? { id: 'previous-child-removed' as const, evidence: [], details: [] };
  const plans: Group = { id: 'previous-plan', evidence: [], details: [] };
  const seenOrders = new Set<string>();
  const seenPlans = new Set<string>();
  for (const parent of parents) {
    for (const other of childrenOf(h, parent)) {
      if (other !== child) {
        for (const e of h.eventsAbout(other)) {
          if (e.type !== 'care-proceedings' || !e.subjects.includes(other) || seenOrders.has(e.id)) continue;
          if (e.fields.outcome !== 'care-order' && e.fields.outcome !== 'placement-order') continue;
          seenOrders.add(e.id);
          removed.evidence.push(e);
          removed.details.push(`${String(e.fields.outcome).replace(/-/g, ' ')} for another child of ${roleOf(h, child, parent, day)} (${longDate(e.date)})`);
        }
      }
      // A previous plan is one that has ended (Details), for any child of the parent, this one included.
      for (const plan of plansOf(h, other)) {
        if (plan.plan !== 'child-protection' || plan.end === null || plan.end.date > day || seenPlans.has(plan.start.id)) continue;
        seenPlans.add(plan.start.id);
        plans.evidence.push(plan.start, plan.end);
        plans.details.push(`child protection plan ${longDate(plan.start.date)} to ${longDate(plan.end.date)} for ${other === child ? 'this child' : `a child of ${roleOf(h, child, parent, day)}`}`);
      }
    }
  }
  if (removed.evidence.length > 0) groups.push(removed);
  if (plans.evidence.length > 0) groups.push(plans);

  // Debt or housing: the factors for the child or a household adult, or moves on 2 different days.
  const housing = factorGroup(h, child, [child, ...adults], 'housing', ['debt', 'housing-instability', 'homeless'], day) ?? { id: 'housing' as const, evidence: [], details: [] };
  const moves = new Map<string, HistoryEvent>();
  const moveDays = new Set<Day>();
  for (const p of [child, ...adults]) {
    for (const e of withinDays(h.eventsAbout(p), day, s.movesWindowDays)) {
      if (e.type !== 'move' || !e.subjects.includes(p)) continue;
      moves.set(e.id, e);
      moveDays.add(e.date);
    }
  }
  if (moveDays.size >= s.moves) {
    housing.evidence.push(...moves.values());
    housing.details.push(`${count(moveDays.size, 'move')} in the last ${s.movesWindowDays} days (${listOf([...moveDays].sort().map(longDate))})`);
  }
  if (housing.evidence.length > 0) groups.push(housing);

  // A new adult in the household in the last 365 days.
  const newAdult: Group = { id: 'new-adult', evidence: [], details: [] };
  const from = addDays(day, -s.newAdultDays);
  const householdEventsOf = unborn ? [child, motherOfUnborn(h, child)].filter((p): p is string => p !== null) : [child];
  for (const p of householdEventsOf) {
    for (const e of h.eventsAbout(p)) {
      if (e.type !== 'household' || e.fields.change !== 'joined' || e.date < from || e.date > day) continue;
      const joined = (e.named.person ?? []).filter((j) => j !== child && isAdult(h, j, e.date));
      if (joined.length === 0 || newAdult.evidence.includes(e)) continue;
      newAdult.evidence.push(e);
      newAdult.details.push(`an adult joined the household (${longDate(e.date)})`);
    }
  }
  const partnerStarts = new Set<string>();
  // The child's own parents (not a partner who is a parent only through the new link itself).
  const ownParents = new Set(parentLinks(h, child, day).map((l) => l.from!));
  if (unborn) {
    const mother = motherOfUnborn(h, child);
    if (mother) ownParents.add(mother);
  }
  for (const parent of ownParents) {
    for (const link of h.linksOf(parent)) {
      if (link.type !== 'partner' || link.livesElsewhere || link.start === null || link.start < from || link.start > day) continue;
      const partner = link.from === parent ? link.to : link.from;
      if (partner === null || partner === child || !isAdult(h, partner, link.start)) continue;
      if (!household.has(partner) && !householdOf(h, child, link.start).has(partner)) continue;
      // Several sources often record one relationship: count it once.
      const key = `${[parent, partner].sort().join('+')}@${link.start}`;
      if (partnerStarts.has(key)) continue;
      partnerStarts.add(key);
      newAdult.details.push(`a new partner of ${roleOf(h, child, parent, day)} from ${longDate(link.start)}`);
    }
  }
  if (newAdult.details.length > 0) groups.push(newAdult);
  return groups;
}

function describeGroup(g: Group, s: Settings): string {
  return `${GROUP_NAMES[g.id].replace('{age}', String(s.youngParentAge))} (${g.details.join('; ')})`;
}

/** `cumulative-risk`: version 1. */
export const cumulativeRisk: PatternRule<Settings> = {
  id: 'cumulative-risk',
  version: 1,
  title: 'Risks existing together',
  subject: 'child',
  episodes: 'per-person',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const groups = groupsFor(h, child, day, s);
      const trio = groups.filter((g) => TRIO.has(g.id));
      if (trio.length < s.trioGroups && groups.length < s.allGroups) continue;
      const high = groups.length >= s.highGroups;
      const { subject, unborn } = alertSubject(h, child, day);
      const whose = unborn ? 'the unborn baby’s household (the mother’s)' : 'the child’s household';
      const why =
        trio.length >= s.trioGroups
          ? `${trio.length} of the three groups domestic abuse, parental mental ill health and substance misuse exist together in ${whose} (the threshold is ${s.trioGroups})`
          : `${groups.length} risk factor groups exist together in ${whose} (the threshold is ${s.allGroups})`;
      const evidence = [...new Set(groups.flatMap((g) => g.evidence.map((e) => e.id)))];
      findings.push({
        subject,
        unborn,
        episode: '',
        severity: high ? 'high' : 'medium',
        evidence,
        explanation: `${why} on ${longDate(day)}: ${groups.map((g) => describeGroup(g, s)).join('; ')}.${high ? ` High: ${s.highGroups} or more groups.` : ''}`,
      });
    }
    return findings;
  },
  wakeups({ history: h, day }) {
    // The household can change with nothing new recorded: a dated link (a partner moving in)
    // starts, or a young household member turns 18 and their factors become an adult's.
    const days: Day[] = [];
    for (const link of h.links) if (link.start !== null && link.start > day) days.push(link.start);
    for (const child of childrenOn(h, day)) {
      for (const member of householdOf(h, child, day)) {
        const dob = h.persons.get(member)?.dateOfBirth;
        if (dob && isChild(h, member, day)) days.push(addYears(dob, 18));
      }
    }
    return days;
  },
  expected:
    'Bring together what each agency knows about the adults in the household and weigh the risks together, not one at a time: consider whether an assessment (or a fresh one) is needed, involve the adult services that know the parents, and record your decision.',
  purpose:
    'Shows when several known risks to a child exist together in the household — domestic abuse, parental mental ill health and substance misuse, and other vulnerabilities such as parental learning disability, a young or care-leaver parent, previous removals, debt or unsettled housing, or a new adult — so that their combined effect is weighed rather than each being seen alone.',
  research:
    'The Triennial Review of serious case reviews (Sidebotham, Brandon et al., 2016) found that parental risk factors “interact with each other, creating cumulative levels of risk the more factors are present”; the Kingfisher review (South Tees, 13–21, learning point 1) found co-existing risks — a care-leaver mother of 18, drug use, domestic abuse, no settled home, a new relationship, the father’s drug use and the mother’s depression — not brought together. In the Stoke-on-Trent review “Child B and siblings” (2023, 4.1.9, 4.3.4–4.3.6) previous children removed, parental learning disability, mental ill health and debts co-existed and were not weighed when the family was referred. The Staffordshire and Stoke-on-Trent neglect strategy names domestic abuse, substance misuse and parental mental ill health together.',
};
