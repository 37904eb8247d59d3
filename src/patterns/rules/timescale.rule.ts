// `timescale` (spec/rules.md): the statutory timescales of Working Together to Safeguard Children
// missed — a referral left undecided, an assessment running past 45 working days, a conference
// not held, a core group or review conference late. Each miss is its own alert: the miss itself is
// the finding, so it is raised even when the late event is already recorded, and closed by it.
//
// Interpretation choices (also in the report to the lead engineer):
// - Referrals are `referral` events `to` children's social care (a copy `about` another counted
//   referral counts once). The threshold decision is one `about` the referral or a copy of it, or
//   with no `about`, the earliest undecided referral or contact sharing a subject (exchange format).
//   A pre-birth referral about the mother alone is taken to be about her current pregnancy.
// - "Raised on the deadline day": a timescale is missed when nothing that meets it is recorded by
//   the end of the deadline day (a decision, completion or meeting on that day is in time).
// - The section 47's strategy discussion is its `about` (a `strategy` meeting `about` a discussion is
//   that discussion); without one, the earliest strategy discussion sharing a subject that no other
//   section 47 names. The conference that meets it is an `icpc` about that discussion, or about the
//   child, held on or after the discussion's day.
// - Core groups and review conferences are due only for a child whose child-protection plan started
//   on the day of the `icpc` (spec, Details), and not when that plan ended before they fell due. The
//   first review conference is due 3 months after the icpc, each later one 6 months after the last.
// - Only cancelled meetings (`held: false`) do not count; the meetings must be about the child.
import { z } from 'zod';
import { addMonths, type Day } from '../../calendar/days.js';
import { addWorkingDays } from '../../calendar/working-days.js';
import type { CaseHistory, HistoryEvent } from '../case-history.js';
import { alertSubject, assessmentsOf, countOnce, isChild, plansOf, pregnancies, pregnancyCurrent } from '../definitions.js';
import { longDate } from '../explain.js';
import type { Finding, OpenAlert, PatternRule } from '../rule.js';

const settings = z.object({
  /** A referral to children's social care needs a threshold decision within this many working days. */
  decisionWorkingDays: z.number().int().min(0).default(1),
  /** A child and family or pre-birth assessment must be completed within this many working days. */
  assessmentWorkingDays: z.number().int().min(1).default(45),
  assessmentKinds: z.array(z.string()).default(['child-and-family', 'pre-birth']),
  /** An initial conference within this many working days of the strategy discussion. */
  icpcWorkingDays: z.number().int().min(1).default(15),
  /** The first core group within this many working days of the initial conference. */
  coreGroupWorkingDays: z.number().int().min(1).default(10),
  /** The first review conference within this many months of the initial one, later ones this many apart. */
  firstReviewMonths: z.number().int().min(1).default(3),
  laterReviewMonths: z.number().int().min(1).default(6),
});
type Settings = z.infer<typeof settings>;

/** One timescale that falls due for one child. */
interface Timescale {
  episode: string;
  child: string;
  deadline: Day;
  /** The first event that meets it (on time or late), if recorded. */
  met: HistoryEvent | null;
  evidence: HistoryEvent[];
  /** "no threshold decision within 1 working day of the referral on 5 February 2020". */
  missed: string;
  /** What the meeting event is called, for the closing note. */
  metBy: string;
}

const held = (e: HistoryEvent) => e.fields.held !== false;
const byDate = (a: HistoryEvent, b: HistoryEvent) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const shareSubject = (a: HistoryEvent, b: HistoryEvent) => a.subjects.some((p) => b.subjects.includes(p));

/** The children a front-door event or meeting is about: child subjects, and for a pre-birth referral about a mother, her unborn babies. */
function childrenAbout(h: CaseHistory, e: HistoryEvent): string[] {
  const children = new Set<string>();
  for (const p of e.subjects) {
    if (isChild(h, p, e.date)) children.add(p);
    else if (e.fields.preBirth === true) {
      for (const preg of pregnancies(h)) if (preg.mother === p && pregnancyCurrent(preg, e.date)) for (const u of preg.unborn) children.add(u);
    }
  }
  return [...children].sort();
}

/** Threshold decisions per front-door event (referral or contact) id. */
function decisions(h: CaseHistory): Map<string, HistoryEvent> {
  return h.memo('timescale:decisions', () => {
    const result = new Map<string, HistoryEvent>();
    const all = h.events.filter((e) => e.type === 'threshold-decision');
    for (const d of all) for (const id of d.about) if (!result.has(id)) result.set(id, d);
    const frontDoor = h.events.filter((e) => e.type === 'referral' || e.type === 'contact');
    for (const d of all) {
      if (d.about.length > 0) continue;
      const open = frontDoor.find((f) => !result.has(f.id) && f.date <= d.date && shareSubject(f, d));
      if (open) result.set(open.id, d);
    }
    return result;
  });
}

/** The strategy discussion a section 47 follows. */
function strategyDiscussionOf(h: CaseHistory, s47: HistoryEvent, claimed: Set<string>): HistoryEvent | null {
  for (const id of s47.about) {
    const e = h.event(id);
    if (e?.type === 'strategy-discussion') return e;
    if (e?.type === 'meeting' && e.fields.kind === 'strategy') {
      const discussion = e.about.map((a) => h.event(a)).find((x) => x?.type === 'strategy-discussion');
      return discussion ?? e;
    }
  }
  return h.events.find((e) => e.type === 'strategy-discussion' && e.date <= s47.date && shareSubject(e, s47) && !claimed.has(e.id)) ?? null;
}

function timescales(h: CaseHistory, s: Settings): Timescale[] {
  return h.memo(`timescale:all:${JSON.stringify(s)}`, () => {
    const result: Timescale[] = [];

    // A referral to children's social care and its threshold decision.
    const decided = decisions(h);
    const referrals = countOnce(h.events.filter((e) => e.type === 'referral' && e.fields.to === 'childrens-social-care'));
    for (const r of referrals) {
      const copies = h.events.filter((e) => e.about.includes(r.id) && e.type === 'referral').map((e) => e.id);
      const decision = [r.id, ...copies].map((id) => decided.get(id)).filter((d): d is HistoryEvent => d !== undefined && d.date >= r.date).sort(byDate)[0] ?? null;
      const deadline = addWorkingDays(r.date, s.decisionWorkingDays);
      for (const child of childrenAbout(h, r)) {
        result.push({
          episode: `decision:${r.id}`,
          child,
          deadline,
          met: decision,
          evidence: [r],
          missed: `the referral to children’s social care on ${longDate(r.date)} had no threshold decision within ${s.decisionWorkingDays} working day${s.decisionWorkingDays === 1 ? '' : 's'} (by ${longDate(deadline)})`,
          metBy: 'Threshold decision recorded',
        });
      }
    }

    // A child and family or pre-birth assessment not completed within 45 working days (another
    // agency's copy of a start, `about` it, is the same assessment).
    const starts = countOnce(h.events.filter((e) => e.type === 'assessment' && e.fields.status === 'started'));
    for (const start of starts) {
      if (!s.assessmentKinds.includes(String(start.fields.kind))) continue;
      const deadline = addWorkingDays(start.date, s.assessmentWorkingDays);
      for (const child of start.subjects) {
        if (!isChild(h, child, start.date)) continue;
        const period = assessmentsOf(h, child).find((a) => a.start.id === start.id);
        result.push({
          episode: `assessment:${start.id}`,
          child,
          deadline,
          met: period?.end ?? null,
          evidence: [start],
          missed: `the ${String(start.fields.kind).replace('child-and-family', 'child and family')} assessment started on ${longDate(start.date)} was not completed within ${s.assessmentWorkingDays} working days (by ${longDate(deadline)})`,
          metBy: 'Assessment completed',
        });
      }
    }

    // A section 47 recommending an initial conference, and the conference.
    const conferences = h.events.filter((e) => e.type === 'meeting' && e.fields.kind === 'icpc' && held(e));
    const claimed = new Set<string>();
    for (const s47 of h.events) if (s47.type === 'section-47') for (const id of s47.about) claimed.add(id);
    for (const s47 of h.events) {
      if (s47.type !== 'section-47' || s47.fields.outcome !== 'icpc') continue;
      const sd = strategyDiscussionOf(h, s47, claimed);
      if (!sd) continue;
      claimed.add(sd.id);
      const deadline = addWorkingDays(sd.date, s.icpcWorkingDays);
      for (const child of childrenAbout(h, s47)) {
        const icpc = conferences.filter((m) => m.date >= sd.date && (m.about.includes(sd.id) || m.subjects.includes(child))).sort(byDate)[0] ?? null;
        result.push({
          episode: `icpc:${sd.id}`,
          child,
          deadline,
          met: icpc,
          evidence: [sd, s47],
          missed: `the section 47 enquiry after the strategy discussion on ${longDate(sd.date)} recommended an initial child protection conference, and none was held within ${s.icpcWorkingDays} working days (by ${longDate(deadline)})`,
          metBy: 'Initial child protection conference held',
        });
      }
    }

    // After a conference that started a child protection plan: the first core group and the reviews.
    for (const icpc of countOnce(conferences)) {
      for (const child of icpc.subjects) {
        const plan = plansOf(h, child).find((p) => p.plan === 'child-protection' && p.start.date === icpc.date);
        if (!plan) continue;
        const endedBefore = (deadline: Day) => plan.end !== null && plan.end.date < deadline;
        const meetings = countOnce(h.eventsAbout(child).filter((e) => e.type === 'meeting' && e.subjects.includes(child) && held(e) && e.date >= icpc.date && (plan.end === null || e.date <= plan.end.date)));
        const coreGroups = meetings.filter((m) => m.fields.kind === 'core-group').sort(byDate);
        const reviews = meetings.filter((m) => m.fields.kind === 'rcpc').sort(byDate);
        const coreDeadline = addWorkingDays(icpc.date, s.coreGroupWorkingDays);
        if (!endedBefore(coreDeadline)) {
          result.push({
            episode: `core-group:${icpc.id}`,
            child,
            deadline: coreDeadline,
            met: coreGroups[0] ?? null,
            evidence: [icpc, plan.start],
            missed: `no core group meeting was held within ${s.coreGroupWorkingDays} working days of the initial child protection conference on ${longDate(icpc.date)} that started the plan (by ${longDate(coreDeadline)})`,
            metBy: 'Core group meeting held',
          });
        }
        const firstDeadline = addMonths(icpc.date, s.firstReviewMonths);
        if (!endedBefore(firstDeadline)) {
          result.push({
            episode: `review:${icpc.id}`,
            child,
            deadline: firstDeadline,
            met: reviews[0] ?? null,
            evidence: [icpc, plan.start],
            missed: `no review child protection conference was held within ${s.firstReviewMonths} months of the initial conference on ${longDate(icpc.date)} (by ${longDate(firstDeadline)})`,
            metBy: 'Review child protection conference held',
          });
        }
        for (const review of reviews) {
          const deadline = addMonths(review.date, s.laterReviewMonths);
          if (endedBefore(deadline)) continue;
          result.push({
            episode: `review:${review.id}`,
            child,
            deadline,
            met: reviews.find((r) => r.date > review.date) ?? null,
            evidence: [review, plan.start],
            missed: `no review child protection conference was held within ${s.laterReviewMonths} months of the one on ${longDate(review.date)} (by ${longDate(deadline)})`,
            metBy: 'Review child protection conference held',
          });
        }
      }
    }
    return result;
  });
}

/** `timescale`: version 1. */
export const timescale: PatternRule<Settings> = {
  id: 'timescale',
  version: 1,
  title: 'Working Together timescales missed',
  subject: 'child',
  episodes: 'per-episode',
  raiseEvenIfSatisfied: true,
  settings,
  evaluate({ history: h, day, settings: s }) {
    const findings: Finding[] = [];
    for (const t of timescales(h, s)) {
      if (t.deadline > day || (t.met !== null && t.met.date <= t.deadline)) continue;
      if (!isChild(h, t.child, t.deadline)) continue;
      const { subject, unborn } = alertSubject(h, t.child, t.deadline);
      const text = `${unborn ? 'For the unborn baby, ' : ''}${t.missed}`;
      findings.push({ subject, unborn, episode: t.episode, severity: 'medium', evidence: t.evidence.map((e) => e.id), explanation: `${text.charAt(0).toUpperCase()}${text.slice(1)}.` });
    }
    return findings;
  },
  satisfiedBy(alert: OpenAlert, { history: h, settings: s }) {
    const child = alert.unborn ?? alert.subject;
    const t = timescales(h, s).find((x) => x.episode === alert.episode && x.child === child);
    if (!t?.met || alert.evidence.includes(t.met.id)) return null;
    return { event: t.met, note: `${t.metBy} on ${longDate(t.met.date)}${t.met.date > t.deadline ? ', after the timescale' : ''}.` };
  },
  wakeups({ history: h, day, settings: s }) {
    return timescales(h, s)
      .filter((t) => t.deadline > day && t.met === null)
      .map((t) => t.deadline);
  },
  expected:
    'Find out why the timescale was missed and make sure the decision, assessment or meeting happens now; if the delay was for a good reason, record it.',
  purpose:
    'Tracks the timescales of Working Together to Safeguard Children — a decision on a referral within one working day, assessments within 45 working days, an initial conference within 15 working days of the strategy discussion, the first core group within 10 working days, and review conferences at 3 and then 6 months — so that delay is seen as it happens.',
  research:
    'Working Together to Safeguard Children (2018), chapter 1: decision within one working day, assessment within 45 working days, initial conference within 15 working days of the strategy discussion, core group within 10 working days, first review within 3 months and then at most 6 months apart. Kingfisher (South Tees), 22 and 57: the first core group after the March 2020 conference was cancelled and not rearranged, and the pre-birth conference for Mia was delayed by COVID-19.',
};
