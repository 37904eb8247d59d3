// `young-child-ed` (spec/rules.md): an emergency department or urgent care attendance for an injury
// or an ingestion of a child under 5. Young children's accidental injuries and ingestions can be the
// first sign of poor supervision or unsafe care, and case reviews find that the information stayed
// in the emergency department instead of reaching the health visitor.
//
// Interpretation choices (also in the report to the lead engineer):
// - One alert per attendance (the episode is the attendance's id). Copies of one attendance (an
//   `ed-attendance` whose `about` names another counted attendance) are one attendance: they raise
//   nothing of their own and do not make a "second attendance".
// - The age is taken on the attendance's date (a vague date counts as its first day); a child with
//   no date of birth is not known to be under 5 and is not counted. The subject must still be a
//   child on the evaluation day.
// - High for a child under 1 on the attendance date, or when another counted attendance of the
//   child (under 5 then, injury or ingestion) is dated within the 365 days up to this one, the same
//   day included: the second and later attendances are high, the first stays as it was raised.
// - Closed only by a practitioner's response (the expected action: tell the health visitor and any
//   lead practitioner); there is no satisfying event.
import { z } from 'zod';
import { daysBetween } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { ageOn, childrenOn, countOnce } from '../definitions.js';
import { longDate } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** Attendances for these reasons... */
  reasons: z.array(z.string()).default(['injury', 'ingestion']),
  /** ...of a child under this age (years) on the day of the attendance. */
  underAge: z.number().int().min(1).default(5),
  /** High for a child under this age (years)... */
  highUnderAge: z.number().int().min(0).default(1),
  /** ...or for a second attendance within this many days. */
  repeatWindowDays: z.number().int().min(1).default(365),
});
type Settings = z.infer<typeof settings>;

/** The child's counted attendances (injury or ingestion, under the age then), copies dropped, in date order. */
function attendancesOf(h: CaseHistory, child: string, s: Settings): HistoryEvent[] {
  const own = h.eventsAbout(child).filter((e) => e.type === 'ed-attendance' && e.subjects.includes(child) && s.reasons.includes(String(e.fields.reason)));
  return countOnce(own).filter((e) => {
    const age = ageOn(h, child, e.date);
    return age !== null && age < s.underAge;
  });
}

/** `young-child-ed`: version 1. */
export const youngChildEd: PatternRule<Settings> = {
  id: 'young-child-ed',
  version: 1,
  title: 'Emergency attendance of a young child for injury or ingestion',
  subject: 'child',
  episodes: 'per-episode',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const attendances = attendancesOf(h, child, s);
      for (const e of attendances) {
        const age = ageOn(h, child, e.date)!;
        const earlier = attendances.filter((o) => o.id !== e.id && o.date <= e.date && daysBetween(o.date, e.date) <= s.repeatWindowDays);
        const why = `Emergency attendance on ${longDate(e.date)} for ${String(e.fields.reason)}${e.fields.admitted === true ? ' (admitted)' : ''}, ${age === 0 ? 'under 1 year old' : `aged ${age}`} (under ${s.underAge}).`;
        let reason = '';
        if (age < s.highUnderAge) reason = ` High: the child was under ${s.highUnderAge}.`;
        else if (earlier.length > 0) reason = ` High: a second attendance within ${s.repeatWindowDays} days (also ${earlier.map((o) => `${longDate(o.date)}, ${String(o.fields.reason)}`).join('; ')}).`;
        findings.push({ subject: child, unborn: null, episode: e.id, severity: reason ? 'high' : 'medium', evidence: [e.id, ...earlier.map((o) => o.id)], explanation: `${why}${reason}` });
      }
    }
    return findings;
  },
  expected: 'Make sure the health visitor (or school nurse) and any lead practitioner know of the attendance; consider supervision and safety in the home with the family, and whether this and any earlier attendances need a safeguarding response; record what you decide.',
  purpose: 'Makes sure that an emergency attendance of a young child for an injury or for swallowing something reaches the practitioners who know the child, instead of staying in the emergency department’s records.',
  research:
    'Child B, aged 2, attended the emergency department after rolling downstairs and then after suspected ingestion of his mother’s medication; the ingestion was known only to the emergency department and did not inform the health visitor or the safeguarding checks after the mother’s pregnancy booking (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 2.7, 4.1.8). A further attendance after he licked an air freshener (2.9).',
};
