// `no-neglect-assessment` (spec/rules.md): neglect indicated and no neglect tool used. Case
// reviews of neglect keep finding that a structured tool such as the Graded Care Profile 2 was
// never used, so nobody measured the care the child was getting and the neglect went on.
//
// Interpretation choices (also in the report to the lead engineer):
// - Indications are: a `factor` event 16A (status present) about the child; an `assessment` about
//   the child whose factors include 16A; a `plan-start` with category NEG; and, of the events about the
//   child with a neglect concern code (`concerns`, or an observation's `domain`), each counted once,
//   the second within 180 days of an earlier one (the indication is on the second one's date).
// - Episodes (Details: "after a neglect tool, a new episode starts at the next indication"): the
//   first episode starts at the first indication; every completed neglect tool ends the episode it
//   falls in, and the next one starts at the first indication dated after the tool. An episode is met
//   by a completed neglect tool from 90 days before its first indication to 42 days after it; only
//   the current episode can raise, on the 42nd day after its first indication.
// - The alert is closed by a completed neglect tool for the child dated no earlier than 90 days
//   before the episode's first indication (so a late tool closes it).
import { z } from 'zod';
import { addDays, daysBetween, type Day } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { NEGLECT_CONCERNS, alertSubject, assessmentsOf, childrenOn, countOnce } from '../definitions.js';
import { listOf, longDate } from '../explain.js';
import type { Finding, OpenAlert, PatternRule } from '../rule.js';

const settings = z.object({
  /** Events with a neglect concern code: this many within this many days are an indication. */
  concernEvents: z.number().int().min(2).default(2),
  concernWindowDays: z.number().int().min(1).default(180),
  /** A neglect tool completed from this many days before the first indication... */
  daysBefore: z.number().int().min(0).default(90),
  /** ...to this many days after it meets the episode; the alert is raised on this day after it. */
  daysAfter: z.number().int().min(0).default(42),
});
type Settings = z.infer<typeof settings>;

/** One indication of neglect: its day, the events behind it and what to say. */
interface Indication {
  day: Day;
  evidence: HistoryEvent[];
  /** What to say, worked out only for the indications an explanation uses. */
  what: () => string;
}

function hasNeglectConcern(e: HistoryEvent): boolean {
  if (e.concerns.some((c) => NEGLECT_CONCERNS.has(c))) return true;
  return e.type === 'observation' && typeof e.fields.domain === 'string' && NEGLECT_CONCERNS.has(e.fields.domain);
}

/** The child's indications in date order, worked out once per history (evaluate, satisfiedBy and wakeups all ask). */
function indications(h: CaseHistory, child: string, s: Settings): Indication[] {
  return h.memo(`no-neglect-assessment:indications:${child}:${s.concernEvents}:${s.concernWindowDays}`, () => findIndications(h, child, s));
}

function findIndications(h: CaseHistory, child: string, s: Settings): Indication[] {
  const result: Indication[] = [];
  const own = h.eventsAbout(child);
  for (const e of own) {
    if (!e.subjects.includes(child)) continue;
    if (e.type === 'factor' && e.fields.code === '16A' && e.fields.status === 'present') result.push({ day: e.date, evidence: [e], what: () => `neglect (factor 16A) recorded on ${longDate(e.date)}` });
    else if (e.type === 'assessment' && Array.isArray(e.fields.factors) && e.fields.factors.includes('16A')) result.push({ day: e.date, evidence: [e], what: () => `an assessment on ${longDate(e.date)} found neglect (factor 16A)` });
    else if (e.type === 'plan-start' && e.fields.category === 'NEG') result.push({ day: e.date, evidence: [e], what: () => `a plan for neglect started on ${longDate(e.date)}` });
  }
  const concerns = countOnce(own.filter(hasNeglectConcern));
  // In date order, the earlier events within the window are the run just before this one: a
  // sliding start keeps this linear in a long history.
  let first = 0;
  for (let i = 0; i < concerns.length; i += 1) {
    const e = concerns[i]!;
    while (daysBetween(concerns[first]!.date, e.date) > s.concernWindowDays) first += 1;
    if (i - first + 1 < s.concernEvents) continue;
    const group = [...concerns.slice(Math.max(first, i - (s.concernEvents - 1)), i), e];
    result.push({ day: e.date, evidence: group, what: () => `${group.length} events with neglect concerns within ${s.concernWindowDays} days (${listOf(group.map((g) => longDate(g.date)))})` });
  }
  return result.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

function neglectTools(h: CaseHistory, child: string): HistoryEvent[] {
  return h.memo(`no-neglect-assessment:tools:${child}`, () => findNeglectTools(h, child));
}

function findNeglectTools(h: CaseHistory, child: string): HistoryEvent[] {
  return assessmentsOf(h, child)
    .filter((a) => a.kind === 'neglect-tool' && a.end !== null)
    .map((a) => a.end!)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The current episode: its indications (first one first), or null with no indication yet. */
function currentEpisode(h: CaseHistory, child: string, s: Settings): Indication[] | null {
  const all = indications(h, child, s);
  if (all.length === 0) return null;
  const tools = neglectTools(h, child);
  // The last tool before the latest episode start: episodes start at the first indication, and at
  // the first indication after each tool.
  let start = 0;
  for (const tool of tools) {
    const next = all.findIndex((i) => i.day > tool.date);
    if (next > start) start = next;
  }
  return all.slice(start);
}

/** Later indications in a few words: each factor or plan, and the further neglect concerns by date. */
function describeLater(later: readonly Indication[]): string {
  const parts = later.filter((i) => i.evidence.length === 1 && !hasNeglectConcern(i.evidence[0]!)).map((i) => i.what());
  const concernDays = [...new Set(later.filter((i) => i.evidence.length > 1 || hasNeglectConcern(i.evidence[0]!)).map((i) => i.day))];
  if (concernDays.length > 0) parts.push(`further neglect concerns on ${listOf(concernDays.map(longDate))}`);
  return parts.join('; ');
}

/** `no-neglect-assessment`: version 1. */
export const noNeglectAssessment: PatternRule<Settings> = {
  id: 'no-neglect-assessment',
  version: 1,
  title: 'Neglect indicated, no neglect assessment',
  subject: 'child',
  episodes: 'per-person',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const episode = currentEpisode(h, child, s);
      if (!episode) continue;
      const first = episode[0]!;
      const deadline = addDays(first.day, s.daysAfter);
      if (day < deadline) continue;
      const from = addDays(first.day, -s.daysBefore);
      if (neglectTools(h, child).some((t) => t.date >= from)) continue;
      const { subject, unborn } = alertSubject(h, child, day);
      const later = episode.slice(1).filter((i) => i.day <= day);
      findings.push({
        subject,
        unborn,
        episode: '',
        severity: 'medium',
        evidence: [...new Set(episode.flatMap((i) => i.evidence.map((e) => e.id)))],
        explanation:
          `Neglect was indicated${unborn ? ' for the unborn baby' : ''}: ${first.what()}. No neglect tool assessment (such as the Graded Care Profile 2) was completed from ${s.daysBefore} days before it to ${s.daysAfter} days after it (${longDate(from)} to ${longDate(deadline)}).` +
          (later.length > 0 ? ` Since then: ${describeLater(later)}.` : ''),
      });
    }
    return findings;
  },
  satisfiedBy(alert: OpenAlert, { history: h, settings: s }) {
    const child = alert.unborn ?? alert.subject;
    const episode = currentEpisode(h, child, s);
    const evidence = new Set(alert.evidence);
    // The episode the alert was raised for: the first indication that shares its evidence.
    const first = indications(h, child, s).find((i) => i.evidence.some((e) => evidence.has(e.id))) ?? episode?.[0];
    if (!first) return null;
    const from = addDays(first.day, -s.daysBefore);
    const tool = neglectTools(h, child).find((t) => t.date >= from && !evidence.has(t.id));
    return tool ? { event: tool, note: `Neglect tool assessment completed on ${longDate(tool.date)}.` } : null;
  },
  wakeups({ history: h, day, settings: s }) {
    const days: Day[] = [];
    for (const child of childrenOn(h, day)) {
      const episode = currentEpisode(h, child, s);
      if (episode) days.push(addDays(episode[0]!.day, s.daysAfter));
    }
    return days;
  },
  expected:
    'Use a neglect assessment tool (such as the Graded Care Profile 2) with the family and the professionals who know the child, to measure the care the child is receiving over time and understand the root causes, and record the outcome.',
  purpose:
    'Shows when neglect has been indicated — a neglect factor, a plan for neglect, or repeated neglect concerns — and no structured neglect assessment followed, so that the quality of care is measured rather than judged case by case.',
  research:
    'Kingfisher (South Tees), learning point 5 (34–36, 53) and recommendation 2: no neglect tool such as the Graded Care Profile was used for Lucy, or for Mia and her siblings on plans for neglect. Stoke-on-Trent “Child B and siblings” (2023, 4.2.4–4.2.6): hunger, no nappies and missed medical appointments for a child previously on a plan for neglect, and the Graded Care Profile 2 not used. NSPCC: the Graded Care Profile helps identify whether a child is at risk of neglect.',
};
