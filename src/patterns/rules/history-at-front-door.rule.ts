// `history-at-front-door` (spec/rules.md): a contact or concern referral reaches children's social
// care or early help about a child whose family has significant history — a previous child
// protection plan, a parent's previous child removed, repeated referrals, a plan in another
// authority. The front door's threshold decision should record that the history was considered.
// Both source reviews found decisions made on the presenting issue alone.
//
// Interpretation choices (also in the report to the lead engineer):
// - Front-door events: a `contact` or `referral` whose `to` is `childrens-social-care` or
//   `early-help`; with no `to` recorded, one recorded by a children's social care or early help
//   source (information received by that service).
// - Each is decided once, on the day it becomes known (the later of its date and its recording):
//   the catalogue raises it "on the day of" the contact. History recorded later does not raise it
//   afterwards.
// - History is what is dated on or before the contact's date (the contact itself, its copies and
//   what it is a copy of excluded), as known on that day:
//   - a child-protection plan (started by then) for the child or any child of a parent
//     (the parents' children by mother/father links, and the child's siblings);
//   - a parent's previous child removed: the factor `previous-child-removed` present for a parent,
//     or a `care-order`/`placement-order` for another child of that parent;
//   - 2 or more other concern referrals (copies counted once) within the previous 730 days about the
//     child or anyone in the child's household on the contact's date;
//   - a plan of any kind (started by then) for the child or any child of a parent whose authority
//     (its `authority`, else its source's) differs from the contact source's authority (both known).
//   Parents are the catalogue's parents (living with the child or not) on the contact's date. A
//   parent's own plan as a child is not "a plan for a child of a parent" and is not counted.
// - One alert per contact and child: a contact about three children raises three alerts. An unborn
//   baby's alert is raised on the mother.
// - Satisfied by a `threshold-decision` on that contact (its `about` names it; with no `about`, the
//   earliest undecided front-door event sharing a subject, dated on or before the decision) with
//   `historyConsidered: true`. A decision recording `historyConsidered: false` does not satisfy.
import { z } from 'zod';
import { addDays, maxDay, type Day } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { alertSubject, childrenOf, countOnce, factorEvidence, householdOf, isChild, isConcernReferral, parentsOf, plansOf, siblingsOf, type PlanPeriod } from '../definitions.js';
import { count, listOf, longDate } from '../explain.js';
import type { Finding, PatternRule, Satisfaction } from '../rule.js';

const FRONT_DOOR_AGENCIES = ['childrens-social-care', 'early-help'];

const settings = z.object({
  /** This many other concern referrals within `referralWindowDays` are significant history. */
  referrals: z.number().int().min(1).default(2),
  referralWindowDays: z.number().int().min(1).default(730),
});
type Settings = z.infer<typeof settings>;

/** A contact or referral to children's social care or early help. */
function isFrontDoor(e: HistoryEvent): boolean {
  if (e.type !== 'contact' && e.type !== 'referral') return false;
  const to = typeof e.fields.to === 'string' ? e.fields.to : null;
  return to !== null ? FRONT_DOOR_AGENCIES.includes(to) : FRONT_DOOR_AGENCIES.includes(e.agency);
}

/**
 * Threshold decisions per front-door event: by `about`, else paired with the earliest undecided
 * front-door event sharing a subject, dated on or before the decision.
 */
function decisionsByContact(h: CaseHistory): ReadonlyMap<string, readonly HistoryEvent[]> {
  return h.memo('history-at-front-door:decisions', () => {
    const map = new Map<string, HistoryEvent[]>();
    const add = (contact: string, decision: HistoryEvent) => {
      const list = map.get(contact) ?? [];
      list.push(decision);
      map.set(contact, list);
    };
    const decisions = h.events.filter((e) => e.type === 'threshold-decision');
    for (const d of decisions) for (const id of d.about) add(id, d);
    const frontDoor = h.events.filter(isFrontDoor);
    for (const d of decisions) {
      if (d.about.length > 0) continue;
      const open = frontDoor.find((c) => !map.has(c.id) && c.date <= d.date && c.subjects.some((s) => d.subjects.includes(s)));
      if (open) add(open.id, d);
    }
    return map;
  });
}

interface History {
  plans: PlanPeriod[];
  removed: HistoryEvent[];
  referrals: HistoryEvent[];
  elsewhere: PlanPeriod[];
}

/** The significant history of the child's family as at the front-door event. */
function historyFor(h: CaseHistory, child: string, contact: HistoryEvent, s: Settings): History {
  const day = contact.date;
  const parents = [...parentsOf(h, child, day)];
  const family = new Set<string>([child, ...siblingsOf(h, child, day)]);
  for (const p of parents) for (const c of childrenOf(h, p)) if (c !== p) family.add(c);
  const excluded = new Set<string>([contact.id, ...contact.about]);
  for (const e of h.events) if (e.about.includes(contact.id)) excluded.add(e.id);

  const familyPlans = [...family].flatMap((c) => plansOf(h, c)).filter((p) => p.start.date <= day && !excluded.has(p.start.id));
  const plans = familyPlans.filter((p) => p.plan === 'child-protection');
  const elsewhere = contact.authority === null ? [] : familyPlans.filter((p) => p.authority !== null && p.authority !== contact.authority);

  const removed: HistoryEvent[] = [];
  for (const p of parents) {
    removed.push(...factorEvidence(h, p, 'previous-child-removed', day).filter((e) => !excluded.has(e.id)));
    for (const c of childrenOf(h, p)) {
      if (c === child || c === p) continue;
      for (const e of h.eventsAbout(c)) {
        if (e.type === 'care-proceedings' && e.date <= day && e.subjects.includes(c) && (e.fields.outcome === 'care-order' || e.fields.outcome === 'placement-order')) removed.push(e);
      }
    }
  }

  const people = new Set<string>([child, ...householdOf(h, child, day)]);
  const from = addDays(day, -s.referralWindowDays);
  const candidates = h.events.filter((e) => isConcernReferral(e) && e.date >= from && e.date <= day && e.subjects.some((p) => people.has(p)));
  // Copies are counted once, and this contact (and whatever it is a copy of) is not counted.
  const referrals = countOnce(candidates).filter((e) => !excluded.has(e.id));

  return { plans: uniquePlans(plans), removed: [...new Map(removed.map((e) => [e.id, e])).values()], referrals, elsewhere: uniquePlans(elsewhere) };
}

/** Plans once each (a plan of a child found both as a sibling and as a parent's child). */
function uniquePlans(plans: readonly PlanPeriod[]): PlanPeriod[] {
  return [...new Map(plans.map((p) => [p.start.id, p])).values()];
}

function planText(p: PlanPeriod, child: string, asOf: Day): string {
  const whose = p.child === child ? 'the child' : 'a brother or sister';
  const ended = p.end && p.end.date <= asOf ? `, ended ${longDate(p.end.date)}` : ', open then';
  const where = p.authority ? ` in ${p.authority}` : '';
  return `${p.plan.replace(/-/g, ' ')} plan for ${whose}${where} from ${longDate(p.start.date)}${ended}`;
}

/** `history-at-front-door`: version 1. */
export const historyAtFrontDoor: PatternRule<Settings> = {
  id: 'history-at-front-door',
  version: 1,
  title: 'Family history at the front door',
  subject: 'child',
  episodes: 'per-episode',
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const contact of h.events) {
      if (!isFrontDoor(contact) || maxDay(contact.known, contact.date) !== day) continue;
      for (const child of contact.subjects) {
        if (!isChild(h, child, contact.date) || !isChild(h, child, day)) continue;
        const found = historyFor(h, child, contact, s);
        const parts: string[] = [];
        if (found.removed.length > 0) parts.push(`a parent’s previous child was removed (${found.removed.map((e) => `${e.type === 'factor' ? 'recorded' : String(e.fields.outcome).replace(/-/g, ' ')} ${longDate(e.date)}`).join('; ')})`);
        if (found.plans.length > 0) parts.push(`a previous child protection plan: ${found.plans.map((p) => planText(p, child, contact.date)).join('; ')}`);
        if (found.referrals.length >= s.referrals) parts.push(`${count(found.referrals.length, 'earlier concern referral')} in the ${s.referralWindowDays} days before (${found.referrals.map((e) => longDate(e.date)).join(', ')})`);
        if (found.elsewhere.length > 0) parts.push(`a plan in another authority than ${contact.authority}: ${found.elsewhere.map((p) => planText(p, child, contact.date)).join('; ')}`);
        if (parts.length === 0) continue;
        const evidence = new Set<string>([contact.id]);
        for (const e of found.removed) evidence.add(e.id);
        for (const p of [...found.plans, ...found.elsewhere]) {
          evidence.add(p.start.id);
          if (p.end && p.end.date <= contact.date) evidence.add(p.end.id);
        }
        if (found.referrals.length >= s.referrals) for (const e of found.referrals) evidence.add(e.id);
        const high = found.removed.length > 0;
        const { subject, unborn } = alertSubject(h, child, day);
        const what = contact.type === 'contact' ? 'Contact' : 'Referral';
        const to = typeof contact.fields.to === 'string' ? contact.fields.to : contact.agency;
        findings.push({
          subject,
          unborn,
          episode: contact.id,
          severity: high ? 'high' : 'medium',
          evidence: [...evidence],
          explanation: `${what} to ${to.replace(/-/g, ' ')} on ${longDate(contact.date)} about a family with significant history: ${listOf(parts)}. The threshold decision should record that this history was considered.${high ? ' High: a previous child was removed.' : ''}`,
        });
      }
    }
    return findings;
  },
  satisfiedBy(alert, { history: h }): Satisfaction | null {
    const decision = (decisionsByContact(h).get(alert.episode) ?? []).find((d) => d.fields.historyConsidered === true && !alert.evidence.includes(d.id));
    return decision ? { event: decision, note: `Threshold decision of ${longDate(decision.date)} records that the family history was considered.` } : null;
  },
  expected: 'Before the threshold decision, read the family’s history (earlier plans and referrals, here and in other authorities, and any children removed) with the new information, and record in the decision that it was considered and how it affected the level of need.',
  purpose: 'Puts the family’s known history in front of the front door when a new contact or referral arrives, so that threshold decisions are not made on the presenting issue alone.',
  research:
    'Child B: a charity’s referral (Child B very hungry) was accepted for early help without linking it to the previous cross-boundary child in need referral, his child protection plan for neglect as an unborn baby in a neighbouring authority, or the removal of his mother’s five elder children; after the twins’ birth a hospital referral was again decided without the known history (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 4.1.4, 4.1.11; learning points 1–2). Kingfisher: the January 2020 incident was treated in isolation and not considered within the context of what else was known (South Tees CSPR “Kingfisher”, 35; learning point 1).',
};
