// `repeat-plans` (spec/rules.md): a child coming back — a second child protection plan, a new plan
// or referral after two plans ended within two years, or a referral within a year of a plan ending.
// Re-referral soon after closure is a recurring finding of case reviews of neglect: the plan was
// closed before the change was sustained.
//
// Interpretation choices (also in the report to the lead engineer):
// - Triggering events: the child's own `plan-start` events and concern referrals (the child among
//   the subjects); a copy (whose `about` names another trigger) is not a trigger of its own. One
//   alert per trigger and child.
// - "Had one before": another child-protection plan of the child starting on an earlier date.
//   "Plans end within the previous 730 (365) days": plan ends dated from the trigger's date − 730
//   (365) days to the trigger's date, both included. Plans while the child was unborn are the
//   child's (one person after the birth). A plan ending by step-down or step-up counts as ended.
// - The transfer exception applies to the referral clause only: a plan end with reason `step-down`
//   or `step-up` dated 0–7 days before the referral does not make the referral a re-referral (it
//   still counts towards "2 or more plans ended").
// - The condition is about the trigger and what came before it, so it holds from the day the
//   trigger is known (and a plan end recorded late can still make it hold); the child must be a
//   child on the evaluation day. Closed only by a practitioner's response.
import { z } from 'zod';
import { daysBetween } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { alertSubject, countOnce, isChild, isConcernReferral, plansOf, type PlanPeriod } from '../definitions.js';
import { count, longDate } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** A plan-start or concern referral after this many plans ended within `plansEndedWindowDays`... */
  plansEnded: z.number().int().min(1).default(2),
  plansEndedWindowDays: z.number().int().min(1).default(730),
  /** ...or a concern referral within this many days of a plan ending... */
  reReferralWindowDays: z.number().int().min(1).default(365),
  /** ...unless the plan ended by one of these reasons this few days before (a transfer between services). */
  transferReasons: z.array(z.string()).default(['step-down', 'step-up']),
  transferDays: z.number().int().min(0).default(7),
});
type Settings = z.infer<typeof settings>;

function planName(p: PlanPeriod): string {
  return `${p.plan.replace(/-/g, ' ')} plan`;
}

function endText(p: PlanPeriod): string {
  const reason = typeof p.end!.fields.reason === 'string' ? ` (${String(p.end!.fields.reason).replace(/-/g, ' ')})` : '';
  return `${planName(p)} from ${longDate(p.start.date)} ended ${longDate(p.end!.date)}${reason}`;
}

/** The child's triggers: plan starts and concern referrals with the child among the subjects, copies dropped. */
function triggersOf(h: CaseHistory, child: string): HistoryEvent[] {
  return countOnce(h.eventsAbout(child).filter((e) => e.subjects.includes(child) && (e.type === 'plan-start' || isConcernReferral(e))));
}

/** `repeat-plans`: version 1. */
export const repeatPlans: PatternRule<Settings> = {
  id: 'repeat-plans',
  version: 1,
  title: 'Repeat plans and re-referrals',
  subject: 'child',
  episodes: 'per-episode',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of h.persons.keys()) {
      if (!isChild(h, child, day)) continue;
      const plans = plansOf(h, child);
      if (plans.length === 0) continue;
      for (const t of triggersOf(h, child)) {
        const isPlanStart = t.type === 'plan-start';
        const ended = plans.filter((p) => p.end !== null && p.start.id !== t.id && p.end.date <= t.date && daysBetween(p.end.date, t.date) <= s.plansEndedWindowDays);
        const earlierCp = isPlanStart && t.fields.plan === 'child-protection' ? plans.filter((p) => p.plan === 'child-protection' && p.start.id !== t.id && p.start.date < t.date) : [];
        const reReferral = isPlanStart
          ? []
          : ended.filter((p) => {
              const days = daysBetween(p.end!.date, t.date);
              return days <= s.reReferralWindowDays && !(s.transferReasons.includes(String(p.end!.fields.reason)) && days <= s.transferDays);
            });
        const what = isPlanStart ? `The ${String(t.fields.plan).replace(/-/g, ' ')} plan starting ${longDate(t.date)}` : `The referral of ${longDate(t.date)}`;
        const reasons: string[] = [];
        const evidence = new Set<string>([t.id]);
        if (earlierCp.length > 0) {
          reasons.push(`${what} is a second or later child protection plan (before: ${earlierCp.map((p) => `from ${longDate(p.start.date)}${p.end ? ` to ${longDate(p.end.date)}` : ''}`).join('; ')}).`);
          for (const p of earlierCp) {
            evidence.add(p.start.id);
            if (p.end) evidence.add(p.end.id);
          }
        }
        if (ended.length >= s.plansEnded) {
          reasons.push(`${what} follows ${count(ended.length, 'plan')} ended in the ${s.plansEndedWindowDays} days before (the threshold is ${s.plansEnded}): ${ended.map(endText).join('; ')}.`);
          for (const p of ended) evidence.add(p.end!.id);
        } else if (reReferral.length > 0) {
          reasons.push(`${what} came within ${s.reReferralWindowDays} days of a plan ending: ${reReferral.map(endText).join('; ')}.`);
          for (const p of reReferral) evidence.add(p.end!.id);
        }
        if (reasons.length === 0) continue;
        const high = earlierCp.length > 0;
        const { subject, unborn } = alertSubject(h, child, day);
        findings.push({ subject, unborn, episode: t.id, severity: high ? 'high' : 'medium', evidence: [...evidence], explanation: `${reasons.join(' ')}${high ? ' High: a second or later child protection plan.' : ''}` });
      }
    }
    return findings;
  },
  expected: 'Look at why the earlier plans ended and whether the change then was sustained; make sure this decision is informed by the earlier plans and what has happened since, and record it.',
  purpose: 'Shows when a child returns to services soon after a plan closed, or starts a second child protection plan, so that the earlier work and why it ended are considered rather than starting afresh.',
  research:
    'Lucy’s first child in need plan was closed in November 2018 with housing, the relationship with her grandmother and contact with her father unresolved; seven months later a family member’s referral about home conditions led to another assessment and again no further action (South Tees CSPR “Kingfisher”, 26–27, 34). Child B’s family came back to the front door less than a year after the first period of early help closed, and the new referral was again stepped to early help (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 4.1.4–4.1.5, 4.1.11).',
};
