// `child-not-seen` (spec/rules.md): a child on a plan who is not seen, or whose home is not seen.
// Case reviews keep finding children "seen" only through a window, on a doorstep or on a phone
// call, for weeks, while the plan depended on knowing what life at home was like.
//
// Interpretation choices (also in the report to the lead engineer):
// - "Seen" means a `home-visit` about the child with `childSeen: true`; a `virtual` visit never
//   counts as seeing the child (the exchange format: a child on a video call is not seen).
// - (1) On a child-protection plan the limit is 28 days, else on a child-in-need plan 56 days,
//   counted from the latest of that plan's start, the birth and the last visit with the child seen
//   (a `seen-outside-home` visit with the child seen restarts it). Never while unborn.
// - (2) Two consecutive home visits about the child (born), by any agency, each counted once, with
//   outcome no-access, declined, seen-outside-home or virtual (seen-outside-home counts even when
//   the child was seen). A completed visit, with or without the child seen, breaks the run.
// - Satisfied by a visit with the child seen, not among the alert's evidence and dated after it.
//   For the two-visit clause the visit must also see the home (outcome `completed`): another visit
//   on the doorstep would continue the run it is about, not end it.
import { z } from 'zod';
import { addDays, maxDay, type Day } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { alertSubject, childrenOn, countOnce, isUnborn, plansOn, type PlanPeriod } from '../definitions.js';
import { longDate } from '../explain.js';
import type { Finding, OpenAlert, PatternRule } from '../rule.js';

const settings = z.object({
  /** On a child protection plan, the child must be seen at least every this many days... */
  childProtectionDays: z.number().int().min(1).default(28),
  /** ...and on a child in need plan every this many days. */
  childInNeedDays: z.number().int().min(1).default(56),
  /** This many home visits in a row with one of these outcomes raise, on or off a plan. */
  visitsInARow: z.number().int().min(2).default(2),
  homeNotSeenOutcomes: z.array(z.string()).default(['no-access', 'declined', 'seen-outside-home', 'virtual']),
});
type Settings = z.infer<typeof settings>;

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  'no-access': 'no access',
  declined: 'declined',
  'seen-outside-home': 'seen outside the home',
  virtual: 'virtual',
  completed: 'completed',
};

function childSeen(e: HistoryEvent): boolean {
  return e.type === 'home-visit' && e.fields.childSeen === true && e.fields.outcome !== 'virtual';
}

/** The child's own home visits since the birth, each counted once, in date order. */
function visitsOf(h: CaseHistory, child: string, dob: Day): HistoryEvent[] {
  return countOnce(h.eventsAbout(child).filter((e) => e.type === 'home-visit' && e.subjects.includes(child) && e.date >= dob));
}

/** The latest run of visits in a row that did not see the home, if long enough and not yet ended by a visit seeing the child at home. */
function latestRun(visits: readonly HistoryEvent[], s: Settings): HistoryEvent[] | null {
  let run: HistoryEvent[] = [];
  let latest: HistoryEvent[] | null = null;
  for (const v of visits) {
    if (s.homeNotSeenOutcomes.includes(String(v.fields.outcome))) {
      run.push(v);
      if (run.length >= s.visitsInARow) latest = run;
    } else run = [];
  }
  if (!latest) return null;
  const last = latest.at(-1)!;
  const ended = visits.some((v) => !latest!.includes(v) && v.date >= last.date && childSeen(v) && !s.homeNotSeenOutcomes.includes(String(v.fields.outcome)));
  return ended ? null : latest;
}

/** The plan the seeing clock runs on: a child protection plan first, else a child in need plan. */
function clockPlan(h: CaseHistory, child: string, day: Day): PlanPeriod | null {
  const latestStart = (plans: PlanPeriod[]) => plans.sort((a, b) => (a.start.date < b.start.date ? 1 : a.start.date > b.start.date ? -1 : 0))[0] ?? null;
  return latestStart(plansOn(h, child, day, ['child-protection'])) ?? latestStart(plansOn(h, child, day, ['child-in-need']));
}

function describeVisit(e: HistoryEvent): string {
  const outcome = OUTCOME_WORDS[String(e.fields.outcome)] ?? String(e.fields.outcome);
  const seen = e.fields.outcome === 'seen-outside-home' ? (e.fields.childSeen === true ? ', child seen' : ', child not seen') : '';
  return `${longDate(e.date)} (${outcome}${seen})`;
}

/** `child-not-seen`: version 1. */
export const childNotSeen: PatternRule<Settings> = {
  id: 'child-not-seen',
  version: 1,
  title: 'Children not seen',
  subject: 'child',
  episodes: 'per-person',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const dob = h.persons.get(child)!.dateOfBirth;
      if (!dob || dob > day || isUnborn(h, child, day)) continue;
      const visits = visitsOf(h, child, dob).filter((v) => v.date <= day);
      const plan = clockPlan(h, child, day);
      const onCp = plan?.plan === 'child-protection';

      // (1) On a plan and not seen for 28 (56) days.
      let clock: { evidence: HistoryEvent[]; text: string } | null = null;
      if (plan) {
        const limit = onCp ? s.childProtectionDays : s.childInNeedDays;
        const lastSeen = visits.filter(childSeen).at(-1) ?? null;
        const from = maxDay(plan.start.date, dob, ...(lastSeen ? [lastSeen.date] : []));
        const due = addDays(from, limit);
        if (day >= due) {
          const birth = h.events.find((e) => e.type === 'birth' && (e.named.child ?? []).includes(child));
          const evidence = [plan.start, ...(lastSeen ? [lastSeen] : []), ...(birth && from === dob ? [birth] : [])];
          const since = lastSeen && from === lastSeen.date ? `the last visit that saw the child, on ${longDate(from)}` : from === dob && dob > plan.start.date ? `the birth on ${longDate(from)}` : `the start of the plan on ${longDate(from)}`;
          clock = { evidence, text: `on a ${plan.plan.replace(/-/g, ' ')} plan and not seen on a home visit for ${limit} days since ${since} (due by ${longDate(due)})` };
        }
      }
      // (2) Visits in a row that did not see the child at home.
      const run = latestRun(visits, s);
      if (!clock && !run) continue;
      const { subject, unborn } = alertSubject(h, child, day);
      const parts: string[] = [];
      if (run) parts.push(`${run.length} home visits in a row did not see the child at home: ${run.map(describeVisit).join(', ')}`);
      if (clock) parts.push(clock.text);
      const text = parts.join('; also ');
      findings.push({
        subject,
        unborn,
        episode: '',
        severity: onCp ? 'high' : 'medium',
        // A run is the finding when there is one (its evidence is the visits), else the clock.
        evidence: (run ?? clock!.evidence).map((e) => e.id),
        explanation: `${text.charAt(0).toUpperCase()}${text.slice(1)}.${onCp ? ' High: the child is on a child protection plan.' : ''}`,
      });
    }
    return findings;
  },
  satisfiedBy(alert: OpenAlert, { history: h, settings: s }) {
    const evidence = alert.evidence.map((id) => h.event(id)).filter((e): e is HistoryEvent => e !== undefined);
    if (evidence.length === 0) return null;
    const latest = evidence.reduce((a, e) => (e.date > a ? e.date : a), evidence[0]!.date);
    const clockAlert = evidence.some((e) => e.type === 'plan-start');
    const ids = new Set(alert.evidence);
    const visit = h
      .eventsAbout(alert.subject)
      .find(
        (v) =>
          childSeen(v) &&
          v.subjects.includes(alert.subject) &&
          !ids.has(v.id) &&
          (clockAlert ? v.date > latest : v.date >= latest && !s.homeNotSeenOutcomes.includes(String(v.fields.outcome))),
      );
    return visit ? { event: visit, note: `The child was seen on a home visit on ${longDate(visit.date)}.` } : null;
  },
  wakeups({ history: h, day, settings: s }) {
    const days: Day[] = [];
    for (const child of childrenOn(h, day)) {
      const dob = h.persons.get(child)!.dateOfBirth;
      // An unborn baby's clock starts at the birth, and the birth's recording is evaluated anyway.
      if (!dob || dob > day || isUnborn(h, child, day)) continue;
      const plan = clockPlan(h, child, day);
      if (!plan) continue;
      const lastSeen = visitsOf(h, child, dob).filter((v) => v.date <= day && childSeen(v)).at(-1);
      const from = maxDay(plan.start.date, dob, ...(lastSeen ? [lastSeen.date] : []));
      days.push(addDays(from, plan.plan === 'child-protection' ? s.childProtectionDays : s.childInNeedDays));
    }
    return days;
  },
  expected:
    'See the child, in person and at home, as the plan requires; if the family is not letting professionals in, agree with the team around the child how the child will be seen and whether the plan needs to change, and record it.',
  purpose:
    'Shows when a child on a child protection or child in need plan has not been seen on a home visit for longer than the plan allows, or when visits keep failing to see the child at home (no access, declined, on the doorstep, through a window or on a video call).',
  research:
    'Kingfisher (South Tees), 44, 49, 51 and 54–58: during lockdown Lucy was not seen inside her home and the social worker saw her once in two months, outside; Mia’s siblings were seen only through a downstairs window. A child glimpsed through a window or on a video call is not seen.',
};
