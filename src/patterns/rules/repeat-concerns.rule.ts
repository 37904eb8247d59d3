// `repeat-concerns` (spec/rules.md): concerns about a child, or about the children they live with,
// building up across agencies — contacts, concern referrals, recorded concerns, police incidents and
// emergency attendances for injury or ingestion. Case reviews keep finding concerns that were each
// handled on their own, so that nobody saw how many there had been.
//
// Interpretation choices (also in the report to the lead engineer):
// - An event counts for child C when it is about C (its subjects, and a police incident's children
//   present) or about another child living with C on the event's own date (spec, Details). Events
//   about adults only (a police incident about the father with no child present, a worry recorded
//   about the mother) do not count: the catalogue counts events about children.
// - C must exist on the event's date (born, or an unborn baby by then): before that C had no
//   household. Events while C was unborn count for C after the birth (one person).
// - Copies are counted once: of the events counted for C, one whose `about` names another of them
//   (a health visitor's record of the hospital's notice, the council's record of a police
//   notification) is dropped, before the windows are applied.
// - A copy of a notification the rule does not count is not counted either: a contact or referral
//   whose `about` names an emergency attendance for another reason (a health visitor's record of the
//   hospital's notice of a fever) or a referral that is not a concern referral. Otherwise every
//   ordinary illness attendance would become a "concern" through its copy.
// - "From different agencies" means at least two distinct source agencies among the events within
//   the 90 days.
// - No wakeups: events leaving a window can only make the condition false.
import { z } from 'zod';
import { addDays } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { alertSubject, childrenOn, countOnce, exists, householdOf, isChild, isConcernReferral, withinDays } from '../definitions.js';
import { count, listOf, longDate } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** This many counted events within `windowDays`... */
  concerns: z.number().int().min(1).default(3),
  windowDays: z.number().int().min(1).default(365),
  /** ...or this many from different agencies within `agencyWindowDays`. */
  agencyConcerns: z.number().int().min(2).default(2),
  agencyWindowDays: z.number().int().min(1).default(90),
  /** High with this many within `windowDays`. */
  highConcerns: z.number().int().min(1).default(5),
  /** Emergency attendances for these reasons count. */
  edReasons: z.array(z.string()).default(['injury', 'ingestion']),
});
type Settings = z.infer<typeof settings>;

function isCounted(e: HistoryEvent, s: Settings): boolean {
  switch (e.type) {
    case 'contact':
    case 'concern':
    case 'police-incident':
      return true;
    case 'referral':
      return isConcernReferral(e);
    case 'ed-attendance':
      return s.edReasons.includes(String(e.fields.reason));
    default:
      return false;
  }
}

/** Event types the rule counts only in part: a copy of one of these that is not counted is not counted either. */
const PARTLY_COUNTED = new Set(['ed-attendance', 'referral']);

/** Counted, and not a copy of a notification that is not counted. */
function counts(h: CaseHistory, e: HistoryEvent, s: Settings): boolean {
  if (!isCounted(e, s)) return false;
  return !e.about.some((id) => {
    const original = h.event(id);
    return original !== undefined && PARTLY_COUNTED.has(original.type) && !isCounted(original, s);
  });
}

/** The children an event is about on its own date (subjects, and a police incident's children present). */
function childrenAbout(h: CaseHistory, e: HistoryEvent): string[] {
  const about = new Set(e.subjects);
  for (const c of e.named.childrenPresent ?? []) about.add(c);
  return [...about].filter((p) => isChild(h, p, e.date));
}

/** Every counted event for the child (about the child, or a child living with them that day), copies dropped. */
function countedFor(h: CaseHistory, child: string, candidates: readonly { e: HistoryEvent; children: string[] }[]): HistoryEvent[] {
  const mine: HistoryEvent[] = [];
  for (const { e, children } of candidates) {
    if (children.length === 0 || !exists(h, child, e.date)) continue;
    if (children.includes(child)) {
      mine.push(e);
      continue;
    }
    const household = householdOf(h, child, e.date);
    if (children.some((c) => household.has(c))) mine.push(e);
  }
  return countOnce(mine);
}

const NAMES: Readonly<Record<string, string>> = {
  contact: 'contact',
  referral: 'referral',
  concern: 'concern recorded',
  'police-incident': 'police incident',
  'ed-attendance': 'emergency attendance',
};

function describe(e: HistoryEvent): string {
  const what = e.type === 'ed-attendance' ? `emergency attendance (${String(e.fields.reason)})` : (NAMES[e.type] ?? e.type);
  return `${longDate(e.date)}: ${what} (${e.agency.replace(/-/g, ' ')})`;
}

/** `repeat-concerns`: version 1. */
export const repeatConcerns: PatternRule<Settings> = {
  id: 'repeat-concerns',
  version: 1,
  title: 'Concerns building up',
  subject: 'child',
  episodes: 'per-person',
  settings,
  evaluate({ history: h, day, settings: s }) {
    // Only the windows matter, and the originals that events in them are copies of (to count each
    // once): older events need no household worked out for them.
    const from = addDays(day, -Math.max(s.windowDays, s.agencyWindowDays));
    const counted = h.events.filter((e) => counts(h, e, s));
    const referenced = new Set(counted.filter((e) => e.date >= from).flatMap((e) => e.about));
    const candidates = counted.filter((e) => e.date >= from || referenced.has(e.id)).map((e) => ({ e, children: childrenAbout(h, e) }));
    if (candidates.length === 0) return [];
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const all = countedFor(h, child, candidates);
      const year = withinDays(all, day, s.windowDays);
      const recent = withinDays(all, day, s.agencyWindowDays);
      const agencies = [...new Set(recent.map((e) => e.agency))].sort();
      let evidence: HistoryEvent[];
      let why: string;
      if (year.length >= s.concerns) {
        evidence = year;
        why = `${count(year.length, 'concern')} about the child or the children they live with in the ${s.windowDays} days to ${longDate(day)} (the threshold is ${s.concerns}): ${year.map(describe).join('; ')}.`;
      } else if (recent.length >= s.agencyConcerns && agencies.length >= 2) {
        evidence = recent;
        why = `${count(recent.length, 'concern')} from ${count(agencies.length, 'agency', 'agencies')} (${listOf(agencies.map((a) => a.replace(/-/g, ' ')))}) in the ${s.agencyWindowDays} days to ${longDate(day)} (the threshold is ${s.agencyConcerns} from different agencies): ${recent.map(describe).join('; ')}.`;
      } else continue;
      const high = year.length >= s.highConcerns;
      const reason = high ? ` High: ${s.highConcerns} or more within ${s.windowDays} days.` : '';
      const { subject, unborn } = alertSubject(h, child, day);
      findings.push({ subject, unborn, episode: '', severity: high ? 'high' : 'medium', evidence: evidence.map((e) => e.id), explanation: `${why}${reason}` });
    }
    return findings;
  },
  expected: 'Bring the concerns together in one chronology, share it with the agencies involved, and consider whether together they meet the threshold for a referral or a different response; record what you decide.',
  purpose: 'Counts the concerns every agency records about a child and the children they live with, so that a run of incidents, each handled on its own, is seen as a pattern.',
  research:
    'Kingfisher: children’s social care received four referrals in about three weeks from police, the drug and alcohol service, the school and the ambulance service (South Tees CSPR “Kingfisher”, 51); concerns about Lucy were never put together in a chronology, so incidents were viewed in isolation and their cumulative impact was not understood (49; Farmer and Lutman 2012, cited at 46). Child B: emergency attendances for ingestion and injury, a hospital referral and then an incident with the ambulance crew and police in 2020 were passed to early help without fresh analysis (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 2.9, 4.1.13).',
};
