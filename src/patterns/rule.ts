// What a pattern rule is (spec/rules.md): a small, pure, versioned function of (case history,
// settings, day, open alerts) that says where its condition holds, with the evidence and a
// plain-English explanation; and, for rules closed by an event, which event satisfies an alert.
// The engine (engine.ts) makes alerts of findings; rules never decide anything themselves.
import type { z } from 'zod';
import type { Day } from '../calendar/days.js';
import type { CaseHistory, HistoryEvent } from './case-history.js';

/** The fourteen rules of spec/rules.md, version 1. */
export const RULE_IDS = [
  'was-not-brought',
  'low-attendance',
  'repeat-concerns',
  'cumulative-risk',
  'unborn-baby',
  'hidden-adult',
  'closure-risk',
  'repeat-plans',
  'plan-drift',
  'no-neglect-assessment',
  'young-child-ed',
  'child-not-seen',
  'timescale',
  'history-at-front-door',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'medium' | 'high';

/** Where a rule's condition holds on the evaluation day: what an alert would say. */
export interface Finding {
  /** The person the alert is raised on: the child, or the mother of an unborn baby. */
  subject: string;
  /** The unborn baby it is about, when raised on the mother. */
  unborn: string | null;
  /**
   * Per-episode rules: the episode (a pregnancy, a plan end, an attendance, a contact, a missed
   * timescale, a plan milestone). Per-person rules: a constant, so one alert is open at a time.
   */
  episode: string;
  severity: Severity;
  /** The event ids that made the rule fire. */
  evidence: string[];
  /** Why it fired, for a practitioner, naming the thresholds. */
  explanation: string;
}

/** An alert the engine holds open, as rules see it. */
export interface OpenAlert {
  id: string;
  rule: RuleId;
  subject: string;
  unborn: string | null;
  episode: string;
  raised: Day;
  severity: Severity;
  evidence: readonly string[];
}

/** What a rule is evaluated with. */
export interface RuleContext<S> {
  history: CaseHistory;
  day: Day;
  settings: S;
  /** Every open alert (all rules), after the other rules of the day (closure-risk reads them). */
  openAlerts: readonly OpenAlert[];
}

/** The event that closes an alert, and the note said on closing. */
export interface Satisfaction {
  event: HistoryEvent;
  note: string;
}

/** One rule. */
export interface PatternRule<S = unknown> {
  id: RuleId;
  /** Bumped whenever what the rule decides changes, so old alerts can still be explained. */
  version: number;
  /** A short title for lists ("Children not brought to appointments"). */
  title: string;
  /** Its subject, as the catalogue says: "child", or "mother (naming the unborn baby)". */
  subject: string;
  /** One alert per episode, or one open alert per person at a time. */
  episodes: 'per-episode' | 'per-person';
  /** Thresholds, each with the catalogue's default; a partnership may change them. */
  settings: z.ZodType<S>;
  /** Where the condition holds on `ctx.day`, on what is known by then. */
  evaluate(ctx: RuleContext<S>): Finding[];
  /**
   * The rule's own satisfying event for an open alert, if it has arrived (never one of the
   * alert's evidence). Rules closed only by a practitioner's response have none.
   */
  satisfiedBy?(alert: OpenAlert, ctx: RuleContext<S>): Satisfaction | null;
  /** `timescale`: the miss itself is the finding — raised even when the late event is already there, then closed by it. */
  raiseEvenIfSatisfied?: boolean;
  /** `closure-risk`: only a manager's response closes it. */
  managerOnly?: boolean;
  /** Days after `ctx.day` on which the condition may change with nothing new recorded (deadlines, windows). */
  wakeups?(ctx: RuleContext<S>): Day[];
  /** What is expected of the practitioner now. */
  expected: string;
  /** What the rule is for and the research behind it (for the rules page). */
  purpose: string;
  research: string;
}
