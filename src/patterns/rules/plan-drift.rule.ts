// `plan-drift` (spec/rules.md): plans that go on without changing anything for the child. Case
// reviews of neglect keep finding child protection plans that ran for many months with "no real
// improvement", review meetings that recorded no progress time after time, and meetings that were
// cancelled and never rearranged.
//
// Interpretation choices (also in the report to the lead engineer):
// - "Open 9 months": the plan has not ended before the day 9 calendar months after its start (a plan
//   ending on that day was still open on it, as "on a plan" includes the end day). Likewise 15.
// - Review meetings are the child's held `cin-review`, `rcpc` and `core-group` meetings (a copy that
//   is `about` another counted meeting is counted once), in date order, across the child's plans: a
//   meeting with progress `improved`, or with no progress value, breaks the run. The run is put to
//   the plan the second meeting reviews (its `about`), else the plan the child is on that day (a
//   child protection plan first), else to the run's first meeting.
// - A cancelled review meeting raises on the 20th working day after it unless a review meeting about
//   the child was held from the cancelled day to that day (both included); no review is due when the
//   plan it reviews (or, with none named, every plan of the child) ended before that day.
import { z } from 'zod';
import { addMonths, type Day } from '../../calendar/days.js';
import { addWorkingDays } from '../../calendar/working-days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { alertSubject, childrenOn, countOnce, plansOf, type PlanPeriod } from '../definitions.js';
import { longDate } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** A child protection plan open this many calendar months raises (medium)... */
  firstMonths: z.number().int().min(1).default(9),
  /** ...and again at this many (high). */
  secondMonths: z.number().int().min(1).default(15),
  /** Review meetings that count. */
  reviewKinds: z.array(z.string()).default(['cin-review', 'rcpc', 'core-group']),
  /** This many consecutive review meetings with one of these progress values raise. */
  noProgressMeetings: z.number().int().min(1).default(2),
  noProgressValues: z.array(z.string()).default(['none', 'worse']),
  /** A cancelled review meeting with none held within this many working days raises. */
  cancelledWorkingDays: z.number().int().min(1).default(20),
});
type Settings = z.infer<typeof settings>;

const MEETING_NAMES: Readonly<Record<string, string>> = {
  'cin-review': 'child in need review',
  rcpc: 'review child protection conference',
  'core-group': 'core group meeting',
};

function meetingName(e: HistoryEvent): string {
  const kind = String(e.fields.kind);
  return MEETING_NAMES[kind] ?? `${kind.replace(/-/g, ' ')} meeting`;
}

/** The child's review meetings (held or cancelled), each counted once, in date order. */
function reviewMeetings(h: CaseHistory, child: string, s: Settings): HistoryEvent[] {
  return countOnce(h.eventsAbout(child).filter((e) => e.type === 'meeting' && e.subjects.includes(child) && s.reviewKinds.includes(String(e.fields.kind))));
}

const held = (e: HistoryEvent) => e.fields.held !== false;

/** The plan a meeting reviews: the one it is `about`, else the one the child is on that day (child protection first). */
function planReviewed(plans: readonly PlanPeriod[], meeting: HistoryEvent): PlanPeriod | null {
  const named = plans.find((p) => meeting.about.includes(p.start.id));
  if (named) return named;
  const on = plans.filter((p) => p.start.date <= meeting.date && (p.end === null || meeting.date <= p.end.date));
  const rank = (p: PlanPeriod) => (p.plan === 'child-protection' ? 0 : p.plan === 'child-in-need' ? 1 : 2);
  on.sort((a, b) => rank(a) - rank(b) || (a.start.date > b.start.date ? -1 : a.start.date < b.start.date ? 1 : 0));
  return on[0] ?? null;
}

/** `plan-drift`: version 1. */
export const planDrift: PatternRule<Settings> = {
  id: 'plan-drift',
  version: 1,
  title: 'Plans that drift',
  subject: 'child',
  episodes: 'per-episode',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const { subject, unborn } = alertSubject(h, child, day);
      const add = (episode: string, severity: Finding['severity'], evidence: HistoryEvent[], explanation: string) =>
        findings.push({ subject, unborn, episode, severity, evidence: evidence.map((e) => e.id), explanation });
      const plans = plansOf(h, child);

      // A child protection plan open 9 months, and again at 15.
      for (const plan of plans) {
        if (plan.plan !== 'child-protection') continue;
        for (const [months, severity] of [
          [s.firstMonths, 'medium'],
          [s.secondMonths, 'high'],
        ] as const) {
          const milestone = addMonths(plan.start.date, months);
          if (milestone > day || (plan.end !== null && plan.end.date < milestone)) continue;
          add(
            `${plan.start.id}:${months}-months`,
            severity,
            [plan.start],
            `The child protection plan that started on ${longDate(plan.start.date)} has been open for ${months} months (on ${longDate(milestone)}).${severity === 'high' ? ` High: open ${months} months or more.` : ''}`,
          );
        }
      }

      // Consecutive review meetings with no progress (once per plan).
      const meetings = reviewMeetings(h, child, s);
      const heldMeetings = meetings.filter(held);
      const runsByPlan = new Set<string>();
      let run: HistoryEvent[] = [];
      for (const m of heldMeetings) {
        if (!s.noProgressValues.includes(String(m.fields.progress ?? ''))) {
          run = [];
          continue;
        }
        run.push(m);
        if (run.length < s.noProgressMeetings) continue;
        const plan = planReviewed(plans, m);
        const key = plan ? plan.start.id : run[0]!.id;
        if (runsByPlan.has(key)) continue;
        runsByPlan.add(key);
        const shown = run.slice(-s.noProgressMeetings);
        add(
          `${key}:no-progress`,
          'medium',
          shown,
          `${shown.length} review meetings in a row recorded no progress or things getting worse: ${shown.map((e) => `${meetingName(e)} on ${longDate(e.date)} (${String(e.fields.progress)})`).join(', ')}.`,
        );
      }

      // A review meeting cancelled and none held within 20 working days.
      for (const m of meetings) {
        if (held(m)) continue;
        const deadline = addWorkingDays(m.date, s.cancelledWorkingDays);
        if (deadline > day) continue;
        if (heldMeetings.some((x) => x.date >= m.date && x.date <= deadline)) continue;
        const named = plans.filter((p) => m.about.includes(p.start.id));
        const reviewed = named.length > 0 ? named : plans.filter((p) => p.start.date <= m.date);
        if (reviewed.length > 0 && reviewed.every((p) => p.end !== null && p.end.date < deadline)) continue;
        add(
          `cancelled:${m.id}`,
          'medium',
          [m],
          `The ${meetingName(m)} on ${longDate(m.date)} was cancelled and no review meeting was held within ${s.cancelledWorkingDays} working days (by ${longDate(deadline)}).`,
        );
      }
    }
    return findings;
  },
  wakeups({ history: h, day, settings: s }) {
    const days: Day[] = [];
    for (const child of childrenOn(h, day)) {
      for (const plan of plansOf(h, child)) {
        if (plan.plan !== 'child-protection' || plan.end !== null) continue;
        days.push(addMonths(plan.start.date, s.firstMonths), addMonths(plan.start.date, s.secondMonths));
      }
      for (const m of reviewMeetings(h, child, s)) if (!held(m)) days.push(addWorkingDays(m.date, s.cancelledWorkingDays));
    }
    return days;
  },
  expected:
    'Review the plan with the core group or the conference chair: is it making a difference for the child, is it outcome-focused, are meetings happening, and is escalation (for example a legal gateway meeting) needed? Record the decision.',
  purpose:
    'Shows child protection plans that have run for many months, review meetings that keep recording no progress, and cancelled reviews that were not rearranged, so that drift is challenged rather than accepted.',
  research:
    'Kingfisher (South Tees), 53 and 57: the first core group after the March 2020 conference was cancelled in lockdown and there is no evidence it was rearranged; a review conference found that “despite nine months on a plan there had been no real improvements”, with no outcome-focused plan. Farmer and Lutman (2012), cited at Kingfisher 46: habituation and a fixed view of a case let neglect continue.',
};
