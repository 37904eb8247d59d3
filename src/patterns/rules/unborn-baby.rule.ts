// `unborn-baby` (spec/rules.md): a pregnancy in a family where the unborn baby procedure expects a
// pre-birth referral and assessment — a previous child removed or on a plan, a parent who is a care
// leaver or open to children's social care, parental substance misuse, domestic abuse, mental ill
// health or learning disability, or a parent under 18. Both source reviews found the procedure not
// followed: a telephone check instead of a referral, a referral closed with no further action.
//
// Interpretation choices (also in the report to the lead engineer):
// - One alert per pregnancy (`pregnancies`: one mother's recordings with expected dates within 28
//   days are one pregnancy), raised on the mother while the pregnancy is current, naming its unborn
//   baby when one is recorded (the first, for twins). The episode is the pregnancy's first recording
//   as known (a recording dated earlier but recorded later does not change it), and an open alert
//   keeps its episode and unborn baby even if a later recording adds an unborn record, so one
//   pregnancy never raises twice.
// - "Either parent": the mother, the unborn baby's parents (a father link to the unborn baby, or the
//   mother's partner living with her), or with no unborn record, the mother and her partners by a
//   partner link that is not `livesElsewhere`.
// - "A previous child removed or in care proceedings": the factor `previous-child-removed` (resolved
//   within 730 days still counts), or for another child of either parent a `care-order` or
//   `placement-order`, or care proceedings started and not yet concluded.
// - "A child of either parent on (or within 5 years ended) a child in need or child protection
//   plan": a plan of another child of either parent (the parents' children by mother/father links
//   and unborn babies linked to the mother) holding on the day or ended within the 5 calendar
//   years before it.
// - "Open to children's social care": either parent on a child in need, child protection or
//   looked-after plan or under a child-and-family assessment on the day; or another child of either
//   parent on such a plan or under a child-and-family or pre-birth assessment. The unborn baby's own
//   plans and assessments are not triggers (its pre-birth assessment is what satisfies the alert).
// - Factors: substance misuse (1, 2), domestic abuse (3), mental health (4), learning disability (5)
//   and care leaver, from `factor` events and open services, resolved (or closed) within the
//   previous 730 days still counting. "Under 18": on the evaluation day.
// - Satisfied by a `referral` with `preBirth: true` or an `assessment` of kind `pre-birth` (started
//   or completed) about the mother or the unborn baby, recorded between the pregnancy's first
//   recording and the birth, both days included.
// - Medium until 14 days after the first recording, then high (a wakeup on that day records the
//   change).
import { z } from 'zod';
import { addDays, addYears, type Day } from '../../calendar/days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { ageOn, assessmentsOn, childrenOf, factorEvidence, fathersOf, parentsOf, partnersOf, plansOf, plansOn, pregnancies, pregnancyCurrent, type Pregnancy } from '../definitions.js';
import { listOf, longDate } from '../explain.js';
import type { Finding, OpenAlert, PatternRule, Satisfaction } from '../rule.js';

const settings = z.object({
  /** Medium until this many days after the pregnancy was first recorded, then high. */
  highAfterDays: z.number().int().min(0).default(14),
  /** A child of a parent counts while on one of these plans or this many years after it ended. */
  childPlans: z.array(z.string()).default(['child-in-need', 'child-protection']),
  childPlanYears: z.number().int().min(0).default(5),
  /** "Open to children's social care": on one of these plans or under one of these assessments. */
  openPlans: z.array(z.string()).default(['child-in-need', 'child-protection', 'looked-after']),
  openAssessments: z.array(z.string()).default(['child-and-family', 'pre-birth']),
  /** Parental factors (factor groups, see `factorGroup`), resolved ones counting for 730 days. */
  factors: z.array(z.string()).default(['substance', '3', '4', '5', 'care-leaver']),
  /** Either parent under this age. */
  parentUnderAge: z.number().int().min(0).default(18),
});
type Settings = z.infer<typeof settings>;

const FACTOR_NAMES: Readonly<Record<string, string>> = {
  substance: 'substance misuse',
  '1': 'alcohol misuse',
  '2': 'drug misuse',
  '3': 'domestic abuse',
  '4': 'mental ill health',
  '5': 'learning disability',
  'care-leaver': 'care leaver',
};

/** The pregnancy's parents on `day`: the mother, and the unborn babies' parents (or the mother's resident partners). */
function parentsOfPregnancy(h: CaseHistory, p: Pregnancy, day: Day): string[] {
  const parents = new Set<string>([p.mother]);
  const babies = p.unborn.filter((u) => h.persons.has(u));
  for (const u of babies) for (const parent of parentsOf(h, u, day)) parents.add(parent);
  if (babies.length === 0) for (const { partner, link } of partnersOf(h, p.mother, day)) if (!link.livesElsewhere) parents.add(partner);
  return [...parents].sort();
}

interface Trigger {
  text: string;
  evidence: HistoryEvent[];
}

/** How a parent is named in the explanation. */
function parentName(h: CaseHistory, p: Pregnancy, parent: string, day: Day): string {
  if (parent === p.mother) return 'the mother';
  if (p.unborn.some((u) => fathersOf(h, u, day).includes(parent))) return 'the baby’s father';
  if (partnersOf(h, p.mother, day).some((x) => x.partner === parent)) return 'the mother’s partner';
  return 'a parent';
}

/** "4B, resolved 2 May 2023" for a factor that counts only through the 730-day look-back. */
function factorText(name: string, evidence: readonly HistoryEvent[]): string {
  const current = evidence.some((e) => e.fields.status === 'present' || e.fields.status === 'open');
  if (current) return name;
  const last = evidence.at(-1)!;
  return `${name} (${last.type === 'service' ? 'service closed' : 'resolved'} ${longDate(last.date)}, within 730 days)`;
}

/** Why the pregnancy needs the unborn baby procedure, on `day` (empty: it does not). */
function triggers(h: CaseHistory, p: Pregnancy, day: Day, s: Settings): Trigger[] {
  const found: Trigger[] = [];
  const parents = parentsOfPregnancy(h, p, day);
  const babies = new Set(p.unborn);
  const names = new Map(parents.map((x) => [x, parentName(h, p, x, day)]));
  // The parents' other children, each with the parents they are a child of.
  const children = new Map<string, string[]>();
  for (const parent of parents) {
    for (const c of childrenOf(h, parent)) {
      if (babies.has(c) || parents.includes(c)) continue;
      children.set(c, [...(children.get(c) ?? []), names.get(parent)!]);
    }
  }
  const childOf = (c: string) => `a child of ${listOf([...new Set(children.get(c))])}`;

  for (const parent of parents) {
    const removed = factorEvidence(h, parent, 'previous-child-removed', day, { lookback: true });
    if (removed.length > 0) found.push({ text: `${names.get(parent)} has had a child removed`, evidence: removed });
  }
  const since = addYears(day, -s.childPlanYears);
  for (const c of [...children.keys()].sort()) {
    // A previous child removed or in care proceedings.
    const proceedings = h.eventsAbout(c).filter((e) => e.type === 'care-proceedings' && e.subjects.includes(c) && e.date <= day);
    const orders = proceedings.filter((e) => e.fields.outcome === 'care-order' || e.fields.outcome === 'placement-order');
    const latest = proceedings.at(-1);
    if (orders.length > 0) found.push({ text: `${childOf(c)} was removed (${String(orders[0]!.fields.outcome).replace(/-/g, ' ')}, ${longDate(orders[0]!.date)})`, evidence: orders });
    else if (latest && latest.fields.outcome === 'started') found.push({ text: `${childOf(c)} is in care proceedings (since ${longDate(latest.date)})`, evidence: [latest] });
    // On, or within 5 years ended, a child in need or child protection plan.
    for (const plan of plansOf(h, c)) {
      if (!s.childPlans.includes(plan.plan) || plan.start.date > day || (plan.end !== null && plan.end.date < since)) continue;
      const kind = plan.plan.replace(/-/g, ' ');
      const ended = plan.end !== null && plan.end.date <= day;
      found.push({
        text: ended ? `${childOf(c)} was on a ${kind} plan that ended ${longDate(plan.end!.date)}, within ${s.childPlanYears} years` : `${childOf(c)} is on a ${kind} plan (since ${longDate(plan.start.date)})`,
        evidence: ended ? [plan.start, plan.end!] : [plan.start],
      });
    }
  }
  // Open to children's social care: a parent, or another child of a parent. (A parent's own
  // pre-birth assessment is what satisfies the alert, so it is not a trigger.)
  const open = [...parents.map((x) => ({ x, whose: names.get(x)!, kinds: s.openAssessments.filter((k) => k !== 'pre-birth') })), ...[...children.keys()].sort().map((x) => ({ x, whose: childOf(x), kinds: s.openAssessments }))];
  for (const { x, whose, kinds } of open) {
    const plans = plansOn(h, x, day, s.openPlans);
    const assessments = assessmentsOn(h, x, day, kinds);
    if (plans.length === 0 && assessments.length === 0) continue;
    const what = [...plans.map((q) => `${q.plan.replace(/-/g, ' ')} plan`), ...assessments.map((a) => `${a.kind.replace(/-/g, ' ')} assessment`)];
    found.push({ text: `${whose} is open to children’s social care (${listOf(what)})`, evidence: [...plans.map((q) => q.start), ...assessments.map((a) => a.start)] });
  }
  for (const parent of parents) {
    // Parental factors (a resolved one still counts for 730 days).
    for (const group of s.factors) {
      const evidence = factorEvidence(h, parent, group, day, { lookback: true });
      if (evidence.length > 0) found.push({ text: `${names.get(parent)}: ${factorText(FACTOR_NAMES[group] ?? group, evidence)}`, evidence });
    }
    const age = ageOn(h, parent, day);
    if (age !== null && age < s.parentUnderAge) found.push({ text: `${names.get(parent)} is ${age}, under ${s.parentUnderAge}`, evidence: [] });
  }
  return found;
}

/** The first day the pregnancy can no longer be satisfied: the day after its first birth. */
function birthDay(p: Pregnancy): Day | null {
  return p.births.length === 0 ? null : p.births.map((b) => b.date).reduce((a, b) => (b < a ? b : a));
}

/**
 * The pregnancy's episode: its first recording as known (earliest `known`, ties by id). Unlike the
 * earliest-dated event, this cannot change when a recording dated earlier arrives late, so a
 * pregnancy whose alert was answered is not raised again as a "new" episode.
 */
function episodeOf(p: Pregnancy): string {
  return [...p.events].sort((a, b) => (a.known < b.known ? -1 : a.known > b.known ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]!.id;
}

/** The open alert already raised for this pregnancy, if any (its episode is one of the pregnancy's events). */
function openFor(p: Pregnancy, openAlerts: readonly OpenAlert[]): OpenAlert | undefined {
  const ids = new Set(p.events.map((e) => e.id));
  return openAlerts.find((a) => a.rule === 'unborn-baby' && a.subject === p.mother && ids.has(a.episode));
}

/** The pregnancy an alert is about. */
function pregnancyOfAlert(h: CaseHistory, alert: OpenAlert): Pregnancy | undefined {
  return pregnancies(h).find((p) => p.mother === alert.subject && p.events.some((e) => e.id === alert.episode));
}

/** `unborn-baby`: version 1. */
export const unbornBaby: PatternRule<Settings> = {
  id: 'unborn-baby',
  version: 1,
  title: 'Unborn baby procedure',
  subject: 'mother (naming the unborn baby)',
  episodes: 'per-episode',
  settings,
  evaluate({ history: h, day, settings: s, openAlerts }) {
    const findings: Finding[] = [];
    for (const p of pregnancies(h)) {
      if (!pregnancyCurrent(p, day)) continue;
      const found = triggers(h, p, day, s);
      if (found.length === 0) continue;
      const existing = openFor(p, openAlerts);
      const babies = p.unborn.filter((u) => h.persons.has(u));
      const unborn = existing ? existing.unborn : (babies[0] ?? null);
      const highFrom = addDays(p.firstKnown, s.highAfterDays);
      const high = day >= highFrom;
      const evidence = new Set<string>(p.events.map((e) => e.id));
      for (const t of found) for (const e of t.evidence) evidence.add(e.id);
      const texts = [...new Set(found.map((t) => t.text))];
      findings.push({
        subject: p.mother,
        unborn,
        episode: existing?.episode ?? episodeOf(p),
        severity: high ? 'high' : 'medium',
        evidence: [...evidence],
        explanation: `Pregnancy first recorded ${longDate(p.firstKnown)} (expected ${longDate(p.expectedDate)}) in a family where the unborn baby procedure applies: ${listOf(texts)}. A pre-birth referral to children’s social care or a pre-birth assessment is expected.${high ? ` High: none was recorded within ${s.highAfterDays} days of the pregnancy being recorded (by ${longDate(highFrom)}).` : ` It becomes high on ${longDate(highFrom)} if none is recorded.`}`,
      });
    }
    return findings;
  },
  satisfiedBy(alert, { history: h }): Satisfaction | null {
    const p = pregnancyOfAlert(h, alert);
    if (!p) return null;
    const people = new Set<string>([p.mother, ...p.unborn]);
    const until = birthDay(p);
    const event = h.events.find(
      (e) =>
        ((e.type === 'referral' && e.fields.preBirth === true) || (e.type === 'assessment' && e.fields.kind === 'pre-birth')) &&
        e.subjects.some((x) => people.has(x)) &&
        e.known >= p.firstKnown &&
        (until === null || e.known <= until) &&
        !alert.evidence.includes(e.id),
    );
    if (!event) return null;
    return { event, note: `${event.type === 'referral' ? 'Pre-birth referral' : 'Pre-birth assessment'} recorded ${longDate(event.known)}.` };
  },
  wakeups({ history: h, day, settings: s }) {
    // The severity rises with nothing new recorded, 14 days after the first recording.
    return pregnancies(h)
      .filter((p) => pregnancyCurrent(p, day))
      .map((p) => addDays(p.firstKnown, s.highAfterDays))
      .filter((d) => d > day);
  },
  expected: 'Make a pre-birth referral to children’s social care under the unborn baby procedure (or, if one is not needed, record the reason and share it with the professionals involved), so that a pre-birth assessment can consider both parents.',
  purpose: 'Makes sure the unborn baby procedure is followed when a pregnancy is recorded in a family with the risks it lists, rather than left to a telephone check or a referral closed with no further action.',
  research:
    'Child B’s mother booked a twin pregnancy with five previous children removed, Child B’s child protection plan recently ended, parental learning disability and mental ill health; midwifery made a telephone check with the front door and no referral or pre-birth assessment followed, though the threshold was clearly met (Stoke-on-Trent LCSPR “Child B and siblings”, 2023, 4.1.7, 4.1.9–4.1.10; learning point 5). Lucy’s mother was an 18-year-old care leaver open to Pathways and the midwife’s pre-birth referral got no further action without a recorded reason (South Tees CSPR “Kingfisher”, 14, 23; learning point 2).',
};
