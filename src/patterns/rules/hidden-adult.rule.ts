// `hidden-adult` (spec/rules.md): fathers and other men in a child's life who are unknown to the
// professionals, left out of assessments and plans, or move in without anyone checking who they
// are. Case reviews keep finding "hidden men": a father never invited, a mother's new partner
// nobody knew about, while the plan was built around the mother alone.
//
// Interpretation choices (also in the report to the lead engineer):
// - The rule applies while the child is "involved": on a plan (any kind, early help included) or
//   under an assessment of kind child-and-family, early-help, pre-birth or neglect-tool (start to
//   completion, both days included). Overlapping or touching plans and assessments make one
//   involvement; (b) and (c) look at what happened during the current one. A (b) or (c) finding is
//   not raised after the involvement has ended (except (c) on its own deadline day): by then the
//   assessment or plan it was about can no longer be put right.
// - (a) "No father or male carer recorded": no `father` link into the child (at any time), no male
//   `step-parent` or `carer`, no male partner of a parent living in the household on the day, and no
//   explicit "father unknown" link.
// - (b) The participants of an assessment are those of its start and of its completion together. The
//   father and the male household adults are taken on the day of the assessment's completion or the
//   plan's start, as known on the evaluation day. With two records of the father not yet found to be
//   one person, either taking part is enough ("the child's father"); likewise one male household
//   adult taking part meets "a male adult who lives in the household".
// - (c) A join is a `household` joined event about the child (for an unborn baby, also about its
//   mother) whose person is an adult that day, or a partner link of a parent starting (not
//   `livesElsewhere`) with the partner living with the child that day; the check is a
//   `lateral-check` about the person dated from the join to 14 days after it (both included).
import { z } from 'zod';
import { addDays, type Day } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import {
  alertSubject,
  assessmentsOf,
  childrenOn,
  fatherRecordedUnknown,
  fathersOf,
  householdAdults,
  householdOf,
  isAdult,
  isUnborn,
  linkOpen,
  motherOfUnborn,
  parentLinks,
  parentsOf,
  plansOf,
} from '../definitions.js';
import { listOf, longDate } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** Assessments during which the rule applies (and whose completion must involve the men). */
  assessmentKinds: z.array(z.string()).default(['child-and-family', 'early-help', 'pre-birth', 'neglect-tool']),
  /** An adult joining the household must be checked with another agency within this many days. */
  lateralCheckDays: z.number().int().min(0).default(14),
});
type Settings = z.infer<typeof settings>;

/** A span of days the child is on a plan or under assessment, with the events that began its parts. */
interface Involvement {
  from: Day;
  /** Null: still open. */
  to: Day | null;
  starts: HistoryEvent[];
  /** Each plan and assessment in it. */
  parts: { from: Day; to: Day | null; start: HistoryEvent }[];
  /** Plan starts and assessment completions in it (with the assessment's start, for its participants). */
  milestones: { event: HistoryEvent; start: HistoryEvent | null; what: string }[];
}

function involvements(h: CaseHistory, child: string, s: Settings): Involvement[] {
  return h.memo(`hidden-adult:involvement:${child}:${s.assessmentKinds.join(',')}`, () => {
    const parts: { from: Day; to: Day | null; start: HistoryEvent; milestone: Involvement['milestones'][number] | null }[] = [];
    for (const plan of plansOf(h, child)) {
      parts.push({ from: plan.start.date, to: plan.end?.date ?? null, start: plan.start, milestone: { event: plan.start, start: null, what: `${kindName(plan.plan)} plan started` } });
    }
    for (const a of assessmentsOf(h, child)) {
      if (!s.assessmentKinds.includes(a.kind)) continue;
      const milestone = a.end ? { event: a.end, start: a.start === a.end ? null : a.start, what: `${kindName(a.kind)} assessment was completed` } : null;
      parts.push({ from: a.start.date, to: a.end?.date ?? null, start: a.start, milestone });
    }
    parts.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const result: Involvement[] = [];
    for (const p of parts) {
      const last = result.at(-1);
      if (last && (last.to === null || p.from <= last.to)) {
        if (last.to !== null) last.to = p.to === null || p.to > last.to ? p.to : last.to;
        last.starts.push(p.start);
        last.parts.push(p);
        if (p.milestone) last.milestones.push(p.milestone);
      } else {
        result.push({ from: p.from, to: p.to, starts: [p.start], parts: [p], milestones: p.milestone ? [p.milestone] : [] });
      }
    }
    return result;
  });
}

function within(inv: Involvement, day: Day): boolean {
  return inv.from <= day && (inv.to === null || day <= inv.to);
}

/** (a): a father, a male step-parent or carer, or a male partner of a parent at home, or "father unknown". */
function fatherOrMaleCarerRecorded(h: CaseHistory, child: string, day: Day): boolean {
  if (fatherRecordedUnknown(h, child)) return true;
  for (const l of h.linksOf(child)) {
    if (l.to !== child || l.from === null) continue;
    if (l.type === 'father') return true;
    if ((l.type === 'step-parent' || l.type === 'carer') && h.persons.get(l.from)?.sex === 'male') return true;
  }
  for (const p of parentsOf(h, child, day)) if (h.persons.get(p)?.sex === 'male') return true;
  return false;
}

/** An adult who joined the child's household: the day, who, and the event that says so (if any). */
interface Join {
  day: Day;
  person: string;
  event: HistoryEvent | null;
}

function joinsOf(h: CaseHistory, child: string, inv: Involvement): Join[] {
  const joins: Join[] = [];
  const seen = new Set<string>();
  const add = (j: Join) => {
    const key = `${j.person}@${j.day}`;
    if (seen.has(key)) return;
    seen.add(key);
    joins.push(j);
  };
  const mother = motherOfUnborn(h, child);
  const people = [child];
  if (mother && h.persons.get(child)!.unbornRecords.length > 0) people.push(mother);
  for (const p of people) {
    for (const e of h.eventsAbout(p)) {
      if (e.type !== 'household' || e.fields.change !== 'joined' || !within(inv, e.date)) continue;
      // The mother's household events count for her unborn baby only while it is unborn.
      if (p !== child && !isUnborn(h, child, e.date)) continue;
      for (const person of e.named.person ?? []) if (person !== child && isAdult(h, person, e.date)) add({ day: e.date, person, event: e });
    }
  }
  for (const link of h.links) {
    if (link.type !== 'partner' || link.livesElsewhere || link.start === null || link.from === null || !within(inv, link.start)) continue;
    // The child's own parents (not a partner who is a parent only through this very link).
    const parents = new Set(parentLinks(h, child, link.start).map((l) => l.from!));
    const unbornMother = isUnborn(h, child, link.start) ? motherOfUnborn(h, child) : null;
    if (unbornMother) parents.add(unbornMother);
    const household = householdOf(h, child, link.start);
    for (const [parent, partner] of [
      [link.from, link.to],
      [link.to, link.from],
    ] as const) {
      if (parents.has(parent) && partner !== child && household.has(partner) && isAdult(h, partner, link.start)) add({ day: link.start, person: partner, event: null });
    }
  }
  return joins.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

function checkedWithin(h: CaseHistory, person: string, from: Day, to: Day): HistoryEvent | undefined {
  return h.eventsAbout(person).find((e) => e.type === 'lateral-check' && e.subjects.includes(person) && e.date >= from && e.date <= to);
}

/** (b): who the milestone left out — the father, or every man living in the household. */
function missing(h: CaseHistory, child: string, m: Involvement['milestones'][number]): string[] {
  const day = m.event.date;
  const participants = new Set([...m.event.participants, ...(m.start?.participants ?? [])]);
  const fathers = fathersOf(h, child, day);
  const menAtHome = householdAdults(h, child, day).filter((p) => h.persons.get(p)?.sex === 'male');
  const fatherLeftOut = fathers.length > 0 && !fathers.some((f) => participants.has(f));
  const menLeftOut = menAtHome.length > 0 && !menAtHome.some((p) => participants.has(p));
  const gaps: string[] = [];
  if (fatherLeftOut) gaps.push('the child’s father');
  // When the only men at home are the father, saying so twice adds nothing.
  if (menLeftOut && !(fatherLeftOut && menAtHome.every((p) => fathers.includes(p)))) gaps.push('a man living in the household');
  return gaps;
}

/** `hidden-adult`: version 1. */
export const hiddenAdult: PatternRule<Settings> = {
  id: 'hidden-adult',
  version: 1,
  title: 'Fathers and other adults not known or not involved',
  subject: 'child',
  episodes: 'per-person',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const all = involvements(h, child, s);
      if (all.length === 0) continue;
      const current = all.find((inv) => within(inv, day)) ?? null;
      const reasons: string[] = [];
      const evidence: HistoryEvent[] = [];
      if (current) {
        const open = current.parts.filter((p) => p.from <= day && (p.to === null || day <= p.to)).map((p) => p.start);
        if (!fatherOrMaleCarerRecorded(h, child, day)) {
          reasons.push(`no father or male carer is recorded, and no record says the father is not known, while the child is ${describeInvolvement(open)}`);
          evidence.push(...open);
        }
        for (const m of current.milestones) {
          if (m.event.date > day) continue;
          const gaps = missing(h, child, m);
          if (gaps.length === 0) continue;
          reasons.push(`the ${m.what} on ${longDate(m.event.date)} without ${listOf(gaps)} taking part`);
          evidence.push(m.event);
        }
      }
      // (c): an adult joined during an involvement and was not checked within the days allowed.
      for (const inv of all) {
        for (const join of joinsOf(h, child, inv)) {
          const deadline = addDays(join.day, s.lateralCheckDays);
          if (day < deadline || (day > deadline && inv.to !== null && day > inv.to)) continue;
          if (checkedWithin(h, join.person, join.day, deadline)) continue;
          reasons.push(`an adult joined the household on ${longDate(join.day)} and no lateral check about them was recorded by ${longDate(deadline)} (${s.lateralCheckDays} days)`);
          if (join.event) evidence.push(join.event);
          evidence.push(...inv.starts.filter((e) => e.date <= join.day));
        }
      }
      if (reasons.length === 0) continue;
      const { subject, unborn } = alertSubject(h, child, day);
      findings.push({
        subject,
        unborn,
        episode: '',
        severity: 'medium',
        evidence: [...new Set(evidence.map((e) => e.id))],
        explanation: unborn ? `For the unborn baby, ${reasons.join('; ')}.` : `${capitalise(reasons.join('; '))}.`,
      });
    }
    return findings;
  },
  wakeups({ history: h, day, settings: s }) {
    const days: Day[] = [];
    for (const child of childrenOn(h, day)) {
      for (const inv of involvements(h, child, s)) for (const join of joinsOf(h, child, inv)) days.push(addDays(join.day, s.lateralCheckDays));
    }
    // A partner moving in on a future day, or a man leaving (so no male carer is recorded any more).
    for (const link of h.links) {
      if (link.start !== null && link.start > day) days.push(link.start);
      if (link.end !== null && linkOpen(link, day)) days.push(addDays(link.end, 1));
    }
    return days;
  },
  expected:
    'Find out who the child’s father is and which men live in or visit the household; involve the father (whether or not he lives with the child) and any man at home in the assessment and the plan, and check any new adult with the police and other agencies. Record what you found.',
  purpose:
    'Shows when the men in a child’s life — the father, a mother’s partner, a new adult at home — are unknown to the professionals, left out of assessments and plans, or not checked when they move in, so that the plan is not built around the mother alone.',
  research:
    'Kingfisher (South Tees), learning point 4 (29–33): Lucy’s father was not seen or involved in the pre-birth assessment or either child in need plan, his own child protection history was never checked, and nothing was known about the mother’s new boyfriend; Mia’s siblings’ father was barely contacted. NSPCC, “Hidden men: learning from case reviews” (2015), and the South Tees Stork review: fathers must be seen as equal parents, including those who do not live with the child.',
};

function describeInvolvement(open: readonly HistoryEvent[]): string {
  const kinds = open.map((e) => (e.type === 'plan-start' ? `on ${article(kindName(String(e.fields.plan)))} plan` : `under ${article(kindName(String(e.fields.kind)))} assessment`));
  return listOf([...new Set(kinds)]) || 'on a plan or under assessment';
}

/** A plan or assessment kind as words: "child-in-need" → "child in need" ("pre-birth" keeps its hyphen). */
function kindName(kind: string): string {
  return kind === 'pre-birth' ? kind : kind.replace(/-/g, ' ');
}

function article(words: string): string {
  return /^[aeiou]/.test(words) ? `an ${words}` : `a ${words}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
