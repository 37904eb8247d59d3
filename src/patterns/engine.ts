// Making alerts of rule findings, one evaluation day at a time (spec/rules.md, "Evaluation"):
// raise where a condition holds and no alert is open for it (once per episode for episode rules;
// again for a person only on new evidence); close an open alert when the rule's own satisfying
// event arrives; record severity changes; carry alerts over when identity resolution puts two
// people together. `closure-risk` (and any rule that reads open alerts) runs after the others of
// the same day. Pure: the caller holds the alerts (a replay in memory, the live store in tables).
import type { Day } from '../calendar/days.js';
import type { CaseHistory } from './case-history.js';
import type { Finding, OpenAlert, PatternRule, RuleContext, RuleId, Severity } from './rule.js';

/** An alert as the engine keeps it. */
export interface AlertRecord {
  id: string;
  rule: RuleId;
  ruleVersion: number;
  /** The person it is raised on (as keyed by the current history). */
  subject: string;
  /** The subject's records when it was raised (how it is found again after identities change). */
  subjectRecords: string[];
  unborn: string | null;
  unbornRecords: string[];
  episode: string;
  raised: Day;
  /** The severity when raised; `severity` is the current one. */
  raisedSeverity: Severity;
  severity: Severity;
  severityChanges: { date: Day; severity: Severity }[];
  evidence: string[];
  explanation: string;
  /** The rule's thresholds in force when it was raised (an alert can always be explained later). */
  settings: unknown;
  status: 'open' | 'closed';
  closed: { date: Day; by: 'event' | 'response' | 'merged'; event: string | null; note: string } | null;
  notes: { date: Day; text: string }[];
}

/** What one day's evaluation changed. */
export interface DayOutcome {
  raised: AlertRecord[];
  closed: AlertRecord[];
  severityChanged: AlertRecord[];
  /** Alerts whose subject changed because identities were resolved differently. */
  carried: AlertRecord[];
  /** Later days on which some rule must look again even if nothing new is recorded. */
  wakeups: Day[];
}

/** Per rule, its settings (already checked, defaults applied). */
export type RuleSettingsMap = Readonly<Record<string, unknown>>;

export interface EngineOptions {
  rules: readonly PatternRule<unknown>[];
  settings: RuleSettingsMap;
  newId: () => string;
}

function asOpen(a: AlertRecord): OpenAlert {
  return { id: a.id, rule: a.rule, subject: a.subject, unborn: a.unborn, episode: a.episode, raised: a.raised, severity: a.severity, evidence: a.evidence };
}

/** The person a set of records belongs to in this history (the first record the history knows). */
function currentPerson(history: CaseHistory, records: readonly string[], fallback: string): string {
  for (const r of records) {
    const p = history.personOf(r);
    if (p !== undefined) return p;
  }
  return fallback;
}

/**
 * Evaluates every rule on `history` (known as of `history.day`) against the alerts held, changing
 * `alerts` in place (new alerts are appended) and returning what changed.
 */
export function evaluateDay(history: CaseHistory, alerts: AlertRecord[], options: EngineOptions): DayOutcome {
  const day = history.day;
  const outcome: DayOutcome = { raised: [], closed: [], severityChanged: [], carried: [], wakeups: [] };
  carryOver(history, alerts, outcome);

  // Rules that read other rules' open alerts (closure-risk) run last, after the day's satisfying
  // events have closed what they close, so they see the alerts as they stand at the end of the day.
  const first = options.rules.filter((r) => r.id !== 'closure-risk');
  const last = options.rules.filter((r) => r.id === 'closure-risk');
  const contexts = new Map<RuleId, RuleContext<unknown>>();
  // The open alerts as a rule sees them, worked out again only when a rule has raised one or
  // changed one's severity.
  let open: OpenAlert[] = [];
  let openAsOf = -1;
  const changes = () => alerts.length + outcome.severityChanged.length;
  for (const group of [first, last]) {
    for (const rule of group) {
      if (openAsOf !== changes()) {
        open = alerts.filter((a) => a.status === 'open').map(asOpen);
        openAsOf = changes();
      }
      const ctx: RuleContext<unknown> = { history, day, settings: options.settings[rule.id], openAlerts: open };
      contexts.set(rule.id, ctx);
      for (const finding of rule.evaluate(ctx)) raiseIfNew(rule, finding, ctx, alerts, options, outcome);
      for (const w of rule.wakeups?.(ctx) ?? []) if (w > day) outcome.wakeups.push(w);
    }
    closeSatisfied(alerts, options.rules, contexts, outcome, day);
    openAsOf = -1;
  }
  outcome.wakeups = [...new Set(outcome.wakeups)].sort();
  return outcome;
}

/** Satisfying events close open alerts (an alert raised today by a "timescale" miss may close at once). */
function closeSatisfied(alerts: AlertRecord[], rules: readonly PatternRule<unknown>[], contexts: ReadonlyMap<RuleId, RuleContext<unknown>>, outcome: DayOutcome, day: Day): void {
  // Each rule sees the alerts still open, worked out again only after one has closed.
  let open: OpenAlert[] | null = null;
  for (const alert of alerts) {
    if (alert.status !== 'open') continue;
    const rule = rules.find((r) => r.id === alert.rule);
    const ctx = contexts.get(alert.rule);
    if (!rule?.satisfiedBy || !ctx) continue;
    open ??= alerts.filter((a) => a.status === 'open').map(asOpen);
    const satisfied = rule.satisfiedBy(asOpen(alert), { ...ctx, openAlerts: open });
    if (satisfied) {
      open = null;
      alert.status = 'closed';
      alert.closed = { date: day, by: 'event', event: satisfied.event.id, note: satisfied.note };
      outcome.closed.push(alert);
    }
  }
}

function raiseIfNew(rule: PatternRule<unknown>, finding: Finding, ctx: RuleContext<unknown>, alerts: AlertRecord[], options: EngineOptions, outcome: DayOutcome): void {
  // One alert per (rule, subject, episode); a per-person rule also tells apart the unborn babies it
  // names on one mother (twins), while an episode (a pregnancy, a contact) is one whoever it names.
  const same = alerts.filter((a) => a.rule === rule.id && a.subject === finding.subject && a.episode === finding.episode && (rule.episodes === 'per-episode' || a.unborn === finding.unborn));
  const open = same.find((a) => a.status === 'open');
  if (open) {
    if (open.severity !== finding.severity) {
      open.severity = finding.severity;
      open.severityChanges.push({ date: ctx.day, severity: finding.severity });
      outcome.severityChanged.push(open);
    }
    return;
  }
  if (same.length > 0) {
    // An episode raises once. A person's rule raises again only on evidence not seen before.
    if (rule.episodes === 'per-episode') return;
    const seen = new Set(same.flatMap((a) => a.evidence));
    if (finding.evidence.every((e) => seen.has(e))) return;
  }
  const candidate: OpenAlert = { id: '', rule: rule.id, subject: finding.subject, unborn: finding.unborn, episode: finding.episode, raised: ctx.day, severity: finding.severity, evidence: finding.evidence };
  // Not raised when its satisfying event is already there on the day the condition first holds.
  if (!rule.raiseEvenIfSatisfied && rule.satisfiedBy?.(candidate, ctx)) return;
  const subject = ctx.history.persons.get(finding.subject);
  const unborn = finding.unborn === null ? undefined : ctx.history.persons.get(finding.unborn);
  const alert: AlertRecord = {
    id: options.newId(),
    rule: rule.id,
    ruleVersion: rule.version,
    subject: finding.subject,
    subjectRecords: [...(subject?.records ?? [finding.subject])],
    unborn: finding.unborn,
    unbornRecords: [...(unborn?.records ?? [])],
    episode: finding.episode,
    raised: ctx.day,
    raisedSeverity: finding.severity,
    severity: finding.severity,
    severityChanges: [],
    evidence: [...finding.evidence],
    explanation: finding.explanation,
    settings: ctx.settings,
    status: 'open',
    closed: null,
    notes: [],
  };
  alerts.push(alert);
  outcome.raised.push(alert);
}

/**
 * Identities may have changed since an alert was raised: find each alert's subject again by its
 * records. When two people turn out to be one, their alerts move to the one person (with a note),
 * and of two open alerts of one per-person rule the earlier stays open.
 */
function carryOver(history: CaseHistory, alerts: AlertRecord[], outcome: DayOutcome): void {
  for (const alert of alerts) {
    const subject = currentPerson(history, alert.subjectRecords, alert.subject);
    const unborn = alert.unborn === null ? null : currentPerson(history, alert.unbornRecords, alert.unborn);
    if (subject !== alert.subject || unborn !== alert.unborn) {
      alert.notes.push({ date: history.day, text: 'Carried over: records held separately were found to be the same person.' });
      alert.subject = subject;
      alert.unborn = unborn;
      const person = history.persons.get(subject);
      if (person) alert.subjectRecords = [...new Set([...alert.subjectRecords, ...person.records])].sort();
      outcome.carried.push(alert);
    }
  }
  const firstOpen = new Map<string, AlertRecord>();
  for (const alert of alerts) {
    if (alert.status !== 'open') continue;
    const key = `${alert.rule}\u0000${alert.subject}\u0000${alert.episode}\u0000${alert.unborn ?? ''}`;
    const earlier = firstOpen.get(key);
    if (!earlier) {
      firstOpen.set(key, alert);
      continue;
    }
    alert.status = 'closed';
    alert.closed = { date: history.day, by: 'merged', event: null, note: `Merged with the alert raised on ${earlier.raised}: the two records are one person.` };
    outcome.closed.push(alert);
  }
}
