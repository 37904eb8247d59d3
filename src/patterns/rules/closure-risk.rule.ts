// `closure-risk` (spec/rules.md): a plan closed while risks were still open — an agency disagreed,
// the family had stopped engaging, a baby was on the way, or another alert about the child (or an
// unborn-baby alert on a parent at home) was still unanswered. Both source reviews describe plans
// closed on reported progress while the underlying concerns were unresolved. Only a manager's
// sign-off closes the alert.
//
// Interpretation choices (also in the report to the lead engineer):
// - Each plan end is decided on the day it becomes known (the later of its date and its
//   recording), against the alerts open that day after the day's other rules: alerts raised later
//   must not make an old closure look risky. A plan end whose reason is `step-up` or `care-order`
//   escalates rather than closes and is never a closure risk.
// - What was true at the plan end but recorded only afterwards still makes the closure risky on the
//   day it is recorded (spec, Evaluation: raised on the earliest day the condition held on what was
//   recorded by then): a pregnancy dated on or before the plan end, current then in the household,
//   that becomes known later raises the plan end's alert then (once per plan end, as always).
// - "Dissent recorded": a non-empty `dissent` list on the plan end.
// - "A pregnancy current in the household": a pregnancy (recorded on or before the plan end's date
//   and not yet ended by then) of the child or of anyone living with the child on that date; the
//   pregnancy with the child itself (a pre-birth plan ending) does not count.
// - Open alerts for the child: raised on the child, or on the mother naming the child as the
//   unborn baby, on or before the plan end's date and still open when it becomes known. An open `unborn-baby` alert counts when it is raised on a parent of the child who
//   lives with the child on the plan end's date.
// - Evidence: the plan end, the pregnancy's events, and the open alerts' evidence.
import { z } from 'zod';
import { maxDay, type Day } from '../../calendar/days.js';
import type { CaseHistory } from '../case-history.js';
import { alertSubject, householdOf, isChild, parentsOf, pregnancies, type Pregnancy } from '../definitions.js';
import { listOf, longDate } from '../explain.js';
import type { Finding, OpenAlert, PatternRule, RuleId } from '../rule.js';

const settings = z.object({
  /** Plan ends with these reasons escalate rather than close. */
  escalationReasons: z.array(z.string()).default(['step-up', 'care-order']),
  /** A plan end with this reason is a closure risk. */
  riskReasons: z.array(z.string()).default(['non-engagement']),
  /** An open alert of these rules for the child... */
  openRules: z.array(z.string()).default(['was-not-brought', 'low-attendance', 'cumulative-risk', 'no-neglect-assessment']),
  /** ...or an open `unborn-baby` alert on a parent in the household. */
  parentRules: z.array(z.string()).default(['unborn-baby']),
});
type Settings = z.infer<typeof settings>;

const TITLES: Readonly<Partial<Record<RuleId, string>>> = {
  'was-not-brought': 'not brought to appointments',
  'low-attendance': 'low attendance',
  'cumulative-risk': 'risks existing together',
  'no-neglect-assessment': 'no neglect assessment',
  'unborn-baby': 'unborn baby',
};

/** Pregnancies current in the child's household on `day` (the child's own pregnancy included, the one with the child not). */
function householdPregnancies(h: CaseHistory, child: string, day: Day): Pregnancy[] {
  const people = new Set<string>([child, ...householdOf(h, child, day)]);
  return pregnancies(h).filter((p) => people.has(p.mother) && !p.unborn.includes(child) && p.events.some((e) => e.date <= day) && day < p.end);
}

/** The open alerts by rule: “not brought to appointments” (raised 1 May 2023 and 2 June 2023). */
function alertsText(alerts: readonly OpenAlert[]): string {
  const byRule = new Map<string, OpenAlert[]>();
  for (const a of alerts) byRule.set(a.rule, [...(byRule.get(a.rule) ?? []), a]);
  return listOf([...byRule].map(([rule, list]) => `“${TITLES[rule as RuleId] ?? rule}” (raised ${listOf([...new Set(list.map((a) => a.raised))].sort().map(longDate))})`));
}

/** `closure-risk`: version 1. */
export const closureRisk: PatternRule<Settings> = {
  id: 'closure-risk',
  version: 1,
  title: 'Plan closed while risks remain',
  subject: 'child',
  episodes: 'per-episode',
  managerOnly: true,
  settings,
  evaluate({ history: h, day, settings: s, openAlerts }) {
    const findings: Finding[] = [];
    for (const end of h.events) {
      // Another agency's record of the closure (`about` the plan end) is the same plan end.
      if (end.type !== 'plan-end' || end.about.some((id) => h.event(id)?.type === 'plan-end')) continue;
      // On the day the plan end becomes known every condition is read; afterwards only a pregnancy
      // recorded late can newly make it hold (dissent and the reason are on the plan end itself, and
      // the alerts that count are those open when the closure became known).
      const decisionDay = maxDay(end.known, end.date) === day;
      const reason = typeof end.fields.reason === 'string' ? end.fields.reason : null;
      if (reason !== null && s.escalationReasons.includes(reason)) continue;
      for (const child of end.subjects) {
        if (!isChild(h, child, end.date) || !isChild(h, child, day)) continue;
        const reasons: string[] = [];
        const evidence = new Set<string>([end.id]);
        const dissent = Array.isArray(end.fields.dissent) ? end.fields.dissent.filter((d): d is string => typeof d === 'string') : [];
        if (dissent.length > 0) reasons.push(`${listOf(dissent.map((d) => d.replace(/-/g, ' ')))} disagreed with the closure`);
        if (reason !== null && s.riskReasons.includes(reason)) reasons.push(`it ended for ${reason.replace(/-/g, ' ')}`);
        const pregnant = householdPregnancies(h, child, end.date);
        // (A plan end already raised is raised once: the engine keeps one alert per plan end.)
        if (!decisionDay && pregnant.length === 0) continue;
        if (pregnant.length > 0) {
          reasons.push(`a pregnancy was current in the household (expected ${listOf(pregnant.map((p) => longDate(p.expectedDate)))})`);
          for (const p of pregnant) for (const e of p.events) evidence.add(e.id);
        }
        const household = householdOf(h, child, end.date);
        const parentsAtHome = [...parentsOf(h, child, end.date)].filter((p) => household.has(p));
        const open = decisionDay
          ? openAlerts.filter(
              (a) =>
                // Open at the plan end: raised by then. (A history imported later is evaluated on
                // the day it arrives; an alert raised today was not open when a plan closed years ago.)
                a.raised <= end.date &&
                ((s.openRules.includes(a.rule) && ((a.subject === child && a.unborn === null) || a.unborn === child)) ||
                  (s.parentRules.includes(a.rule) && parentsAtHome.includes(a.subject))),
            )
          : [];
        if (open.length > 0) {
          reasons.push(`${open.length === 1 ? 'an alert was' : 'alerts were'} still open: ${alertsText(open)}`);
          for (const a of open) for (const id of a.evidence) evidence.add(id);
        }
        if (reasons.length === 0) continue;
        const { subject, unborn } = alertSubject(h, child, day);
        const plan = typeof end.fields.plan === 'string' ? end.fields.plan.replace(/-/g, ' ') : 'the';
        findings.push({
          subject,
          unborn,
          episode: end.id,
          severity: 'high',
          evidence: [...evidence],
          explanation: `The ${plan} plan ended on ${longDate(end.date)}${reason ? ` (${reason.replace(/-/g, ' ')})` : ''} while ${listOf(reasons)}. A manager should check the closure before it stands.`,
        });
      }
    }
    return findings;
  },
  expected: 'A manager reviews the decision to close: whether the open concerns, any disagreement and any expected baby have been addressed, what support continues and who will notice if things get worse; the manager records the sign-off or reopens the plan.',
  purpose: 'Stops a plan closing unnoticed while an agency disagrees, the family has disengaged, a baby is expected or other alerts about the child are still open.',
  research:
    'Lucy’s child in need plan was closed as “no safeguarding concerns” largely because the Pathways worker would stay involved with her mother, with housing, the relationship with her grandmother and contact with her father unresolved (South Tees CSPR “Kingfisher”, 26–27). Child B’s family’s early help was closed on reported positive progress while missed appointments and the combined parental and child risks were unresolved (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 2.11, 4.1.15).',
};
