// `low-attendance` (spec/rules.md): a school or early-years register summary showing persistent
// absence (attendance of 90% or less over at least 20 possible sessions, as the DfE defines it).
// Case reviews find children whose poor attendance at nursery or school was known to the setting
// but never read alongside the missed health appointments and the family's history.
//
// Interpretation choices (also in the report to the lead engineer):
// - Every qualifying summary about the child counts, however old (the catalogue gives no window);
//   the alert is raised when the first one becomes known and, being a per-person rule, raised again
//   after a response only when a new qualifying summary arrives.
// - "Absence of 10% or more" is (possible − attended) / possible, from `possibleSessions` and
//   `attendedSessions`; a summary without both numbers, or with fewer possible sessions than the
//   threshold, is not used.
// - Severity: high when any qualifying summary shows absence of 50% or more, or when the child is on
//   a plan of any kind on the evaluation day.
// - A summary whose `about` names another summary about the same child (a copy of the school's
//   return) is counted once.
import { z } from 'zod';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { alertSubject, childrenOn, countOnce, plansOn } from '../definitions.js';
import { longDate, percent } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** A summary must cover at least this many possible sessions (half days)... */
  minimumSessions: z.number().int().min(1).default(20),
  /** ...and show at least this share of them missed (persistent absence). */
  absence: z.number().min(0).max(1).default(0.1),
  /** High with at least this share missed (severe absence)... */
  severeAbsence: z.number().min(0).max(1).default(0.5),
  /** ...or when the child is on one of these plans on the day. */
  highOnPlans: z.array(z.string()).default(['early-help', 'child-in-need', 'child-protection', 'looked-after']),
});
type Settings = z.infer<typeof settings>;

interface Summary {
  event: HistoryEvent;
  possible: number;
  attended: number;
  absence: number;
}

function summaryOf(e: HistoryEvent): Summary | null {
  const possible = e.fields.possibleSessions;
  const attended = e.fields.attendedSessions;
  if (typeof possible !== 'number' || typeof attended !== 'number' || possible <= 0 || attended < 0 || attended > possible) return null;
  return { event: e, possible, attended, absence: (possible - attended) / possible };
}

/** The child's register summaries that show persistent absence, in date order. */
function lowSummaries(h: CaseHistory, child: string, s: Settings): Summary[] {
  const own = countOnce(h.eventsAbout(child).filter((e) => e.type === 'attendance-summary' && e.subjects.includes(child)));
  return own.map(summaryOf).filter((x): x is Summary => x !== null && x.possible >= s.minimumSessions && x.absence >= s.absence);
}

function describe(x: Summary): string {
  const setting = x.event.fields.setting === 'early-years' ? 'early years setting' : 'school';
  const from = typeof x.event.fields.from === 'string' ? x.event.fields.from : null;
  const to = typeof x.event.fields.to === 'string' ? x.event.fields.to : x.event.date;
  const period = from ? `${longDate(from)} to ${longDate(to)}` : `to ${longDate(to)}`;
  const unauthorised = typeof x.event.fields.unauthorisedSessions === 'number' ? `, ${x.event.fields.unauthorisedSessions} unauthorised` : '';
  return `${setting}, ${period}: attended ${x.attended} of ${x.possible} sessions (${percent(x.attended, x.possible)}${unauthorised})`;
}

/** `low-attendance`: version 1. */
export const lowAttendance: PatternRule<Settings> = {
  id: 'low-attendance',
  version: 1,
  title: 'Low school or nursery attendance',
  subject: 'child',
  episodes: 'per-person',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const low = lowSummaries(h, child, s);
      if (low.length === 0) continue;
      const severe = low.filter((x) => x.absence >= s.severeAbsence);
      const plans = plansOn(h, child, day, s.highOnPlans);
      const why = `Persistent absence: ${low.map(describe).join('; ')}. Attendance of ${percent(1 - s.absence, 1)} or less over at least ${s.minimumSessions} possible sessions is the threshold.`;
      let reason = '';
      if (severe.length > 0) reason = ` High: absence of ${percent(s.severeAbsence, 1)} or more (severe absence).`;
      else if (plans.length > 0) reason = ` High: the child is on a ${plans[0]!.plan.replace(/-/g, ' ')} plan.`;
      const { subject, unborn } = alertSubject(h, child, day);
      findings.push({ subject, unborn, episode: '', severity: reason ? 'high' : 'medium', evidence: low.map((x) => x.event.id), explanation: `${why}${reason}` });
    }
    return findings;
  },
  expected: 'Talk with the school or setting about why the child is missing sessions; read the absence alongside the child’s health appointments, development and the family’s circumstances, consider whether it is educational neglect, and record what you decide.',
  purpose: 'Puts the attendance a school or early years setting records in front of the practitioners working with the child, so that persistent absence is read as part of the child’s whole picture rather than as an education matter alone.',
  research:
    'Child B attended 29% and then 31% of his nursery sessions; because he was below compulsory school age this was not challenged, and it was not cross-referenced with his missed health appointments, which could have indicated neglect earlier (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 4.2.4 and timeline 2021–22; learning point 9). In Kingfisher, the schools saw the older children’s long-standing poor attendance as disorganisation rather than neglect (South Tees CSPR “Kingfisher”, 47, 53). DfE: persistent absence is missing 10% or more of possible sessions, severe absence 50% or more.',
};
