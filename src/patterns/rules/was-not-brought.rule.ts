// `was-not-brought` (spec/rules.md): a child's own appointments and visits, in one combined count.
// Case reviews keep finding children who were not brought to most of their appointments while
// each service saw only its own misses ("brought to 24% of outpatient appointments").
import { z } from 'zod';
import { addDays, daysBetween } from '../../calendar/days.js';
import type { HistoryEvent } from '../case-history.js';
import { ageOn, alertSubject, childrenOn, countOnce, factorEvidence, plansOn, withinDays } from '../definitions.js';
import { count, longDate, percent } from '../explain.js';
import type { Finding, PatternRule } from '../rule.js';

const settings = z.object({
  /** Missed appointments and no-access visits counted within this many days... */
  windowDays: z.number().int().min(1).default(180),
  /** ...this many of them raise the alert... */
  missed: z.number().int().min(1).default(2),
  /** ...or this many while the child is on one of these plans. */
  missedOnPlan: z.number().int().min(1).default(1),
  plans: z.array(z.string()).default(['child-in-need', 'child-protection']),
  /** Or, within this many days, at least this many appointments of which fewer than this share were attended. */
  ratioWindowDays: z.number().int().min(1).default(365),
  ratioMinimumAppointments: z.number().int().min(1).default(4),
  ratioAttended: z.number().min(0).max(1).default(0.75),
  /** High for a child under this age (years), or with additional needs. */
  highUnderAge: z.number().int().min(0).default(2),
});
type Settings = z.infer<typeof settings>;

/** A missed appointment of a child (a child's "did not attend" is read as "was not brought"), or a visit with no access. */
function isMissed(e: HistoryEvent): boolean {
  if (e.type === 'appointment') return e.fields.status === 'was-not-brought' || e.fields.status === 'did-not-attend' || e.fields.status === 'cancelled-by-family';
  return e.type === 'home-visit' && e.fields.outcome === 'no-access';
}

/** An appointment that counts towards the attendance share: attended, not brought or cancelled by the family. */
function isCountedAppointment(e: HistoryEvent): boolean {
  return e.type === 'appointment' && ['attended', 'was-not-brought', 'did-not-attend', 'cancelled-by-family'].includes(String(e.fields.status));
}

function describe(e: HistoryEvent): string {
  const service = typeof e.fields.service === 'string' ? ` (${e.fields.service})` : '';
  if (e.type === 'home-visit') return `${longDate(e.date)}: home visit, no access`;
  const status = e.fields.status === 'cancelled-by-family' ? 'cancelled by the family' : 'not brought';
  return `${longDate(e.date)}: ${status}${service}`;
}

/** `was-not-brought`: version 1. */
export const wasNotBrought: PatternRule<Settings> = {
  id: 'was-not-brought',
  version: 1,
  title: 'Children not brought to appointments',
  subject: 'child',
  episodes: 'per-person',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const child of childrenOn(h, day)) {
      const own = countOnce(h.eventsAbout(child).filter((e) => e.subjects.includes(child) && (e.type === 'appointment' || e.type === 'home-visit')));
      const missed = withinDays(own.filter(isMissed), day, s.windowDays);
      const onPlan = missed.filter((e) => plansOn(h, child, e.date, s.plans).length > 0);
      const counted = withinDays(own.filter(isCountedAppointment), day, s.ratioWindowDays);
      const attended = counted.filter((e) => e.fields.status === 'attended').length;
      let evidence: HistoryEvent[] | null = null;
      let why = '';
      if (missed.length >= s.missed) {
        evidence = missed;
        why = `${count(missed.length, 'appointment or visit', 'appointments or visits')} missed in the ${s.windowDays} days to ${longDate(day)} (the threshold is ${s.missed}): ${missed.map(describe).join('; ')}.`;
      } else if (onPlan.length >= s.missedOnPlan) {
        evidence = onPlan;
        why = `${count(onPlan.length, 'appointment or visit', 'appointments or visits')} missed while on a ${plansOn(h, child, onPlan[0]!.date, s.plans)[0]!.plan.replace(/-/g, ' ')} plan: ${onPlan.map(describe).join('; ')}.`;
      } else if (counted.length >= s.ratioMinimumAppointments && attended / counted.length < s.ratioAttended) {
        evidence = counted;
        why = `Brought to ${attended} of ${count(counted.length, 'appointment')} (${percent(attended, counted.length)}) in the ${s.ratioWindowDays} days to ${longDate(day)}; fewer than ${percent(s.ratioAttended, 1)} attended is the threshold.`;
      }
      if (!evidence) continue;
      const age = ageOn(h, child, day);
      const needs = factorEvidence(h, child, 'additional-needs', day);
      const high = needs.length > 0 || (age !== null && age < s.highUnderAge) || (age === null && h.persons.get(child)!.unbornRecords.length > 0);
      const reason = needs.length > 0 ? ' High: the child has additional needs.' : high ? ` High: the child is under ${s.highUnderAge}.` : '';
      const { subject, unborn } = alertSubject(h, child, day);
      findings.push({ subject, unborn, episode: '', severity: high ? 'high' : 'medium', evidence: evidence.map((e) => e.id), explanation: `${why}${reason}` });
    }
    return findings;
  },
  wakeups({ history: h, day, settings: s }) {
    // The attendance share can fall with nothing new recorded: an attended appointment leaves the
    // window the day after it is `ratioWindowDays` old.
    const days: string[] = [];
    for (const e of h.events) {
      if (e.type === 'appointment' && e.fields.status === 'attended' && daysBetween(e.date, day) <= s.ratioWindowDays) days.push(addDays(e.date, s.ratioWindowDays + 1));
    }
    return days;
  },
  expected: 'Find out why the child was not brought, with the family and the services involved; consider whether this is neglect of the child’s health needs, and record what you decide.',
  purpose: 'Brings together every service’s missed appointments for a child, so that a pattern of not being brought is seen as a pattern rather than as separate missed appointments in separate systems.',
  research:
    'Child B was brought to 6 of 25 hospital outpatient appointments (24%), Sibling 1 to 8 of 13 (62%) and Sibling 2 to 10 of 20 (50%), and no agency saw the whole pattern (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 4.3.3). Missed immunisations and reviews in the Kingfisher review (South Tees). RCGP guidance: record “was not brought”, never “did not attend”, for a child.',
};
