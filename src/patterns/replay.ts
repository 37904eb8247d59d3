// A case history replayed day by day (spec/exchange-format.md, "Replay output"): who is who is
// worked out again from what was recorded by each day, every rule is evaluated on each day that
// anything became known and on each deadline a rule sets, and the alerts are compared with the
// scenario's expectations. Pure and in memory: the command line and the analysts' page load the
// file into a throwaway store first, then call this with what the store holds.
import { compareDays, daysBetween, maxDay, type Day } from '../calendar/days.js';
import type { Expectation, ExpectationNot, NormalisedEvent, NormalisedRecord, NormalisedRelationship, NormalisedSource, ScenarioIncident } from '../ingest/exchange-schema.js';
import { Matcher, type ReviewDecision } from '../identity/matcher.js';
import { recordIdentity } from '../ingest/record-identity.js';
import { CaseHistory, type HistoryInput } from './case-history.js';
import { evaluateDay, type AlertRecord } from './engine.js';
import { historyInputFromExchange } from './history-input.js';
import type { PatternRule } from './rule.js';
import { ALL_RULES } from './rules/index.js';
import { resolveRuleSettings } from './rule-settings.js';

/** What a replay reads: a file's objects and its scenario parts. */
export interface ReplayInput {
  sources: readonly NormalisedSource[];
  records: readonly NormalisedRecord[];
  relationships: readonly NormalisedRelationship[];
  events: readonly NormalisedEvent[];
  expect: readonly Expectation[];
  expectNot: readonly ExpectationNot[];
  incident: ScenarioIncident | null;
}

export interface ReplayOptions {
  /** Run the clock to this day only (alerts known on that day, no later ones). */
  asOf?: Day;
  rules?: readonly PatternRule<unknown>[];
  /** The partnership's rule settings (defaults where absent). */
  settings?: unknown;
  /** Called after each evaluated day (for a progress bar). */
  onDay?: (day: Day, index: number, total: number) => void;
}

/** One alert of the replay output. */
export interface ReplayAlert {
  rule: string;
  subjectRecords: string[];
  raised: Day;
  severity: string;
  evidence: string[];
  explanation: string;
  severityChanges?: { date: Day; severity: string }[];
  unborn?: string[];
  closed?: { date: Day; note: string };
}

export interface ReplayExpectation {
  rule: string;
  subject: string;
  by?: Day;
  after?: Day;
  before?: Day;
  expectNot?: true;
  met?: boolean;
  violated?: boolean;
  raised: Day | null;
  leadTimeDays?: number | null;
  why?: string;
}

/** The replay's JSON output (format throughline-replay/1). */
export interface ReplayOutput {
  format: 'throughline-replay/1';
  asOf: Day;
  alerts: ReplayAlert[];
  expectations: ReplayExpectation[];
  summary: { expected: number; met: number; expectNot: number; violated: number; alertsByRule: Record<string, number> };
  incident?: { date: Day; kind: string; subjectRecords: string[] };
}

const BEGINNING = '0001-01-01';

/**
 * Who is who on each day identities can change (a record or a birth becomes known): a map from
 * record id to person key (the person's first record id), per day.
 */
export function identityTimeline(input: ReplayInput, history: HistoryInput): { day: Day; personOf: Map<string, string> }[] {
  const recordKnown = new Map(history.records.map((r) => [r.id, r.known ?? BEGINNING]));
  const births = input.events
    .filter((e): e is Extract<NormalisedEvent, { type: 'birth' }> => e.type === 'birth')
    .filter((e) => e.unborn !== undefined)
    .map((e) => ({ unborn: e.unborn!, child: e.child, known: maxDay((e.recorded ?? e.date).sortKey, e.date.sortKey) }));
  const unbornLinks = history.links
    .filter((l) => l.type === 'unborn-child-of' && l.from !== null)
    .map((l) => ({ unborn: l.from!, mother: l.to, known: [l.known ?? BEGINNING, recordKnown.get(l.from!) ?? BEGINNING, recordKnown.get(l.to) ?? BEGINNING].reduce((a, b) => maxDay(a, b)) }));
  const days = [...new Set([...recordKnown.values(), ...births.map((b) => b.known), ...unbornLinks.map((l) => l.known)])].sort(compareDays);
  const byId = new Map(input.records.map((r) => [r.id, r]));
  return days.map((day) => {
    const decisions: ReviewDecision[] = births
      .filter((b) => b.known <= day && (recordKnown.get(b.unborn) ?? BEGINNING) <= day && (recordKnown.get(b.child) ?? BEGINNING) <= day)
      .map((b) => ({ records: [b.unborn, b.child] as const, decision: 'same' as const }));
    const matcher = new Matcher(undefined, { evaluationDate: day === BEGINNING ? undefined : day, decisions });
    matcher.add([...recordKnown].filter(([, known]) => known <= day).map(([id]) => recordIdentity(byId.get(id)!, 'valid-only')));
    for (const l of unbornLinks) if (l.known <= day) matcher.addUnbornOf(l.unborn, l.mother);
    const personOf = new Map<string, string>();
    for (const group of matcher.resolve().persons) for (const id of group) personOf.set(id, group[0]!);
    return { day, personOf };
  });
}

/** The day the replay's clock stops: --as-of, else the latest recorded date, incident, `by` and `before`. */
export function replayEnd(input: ReplayInput, history: HistoryInput, asOf?: Day): Day {
  if (asOf) return asOf;
  const days: Day[] = [];
  for (const e of history.events) days.push(e.known);
  for (const r of history.records) if (r.known) days.push(r.known);
  for (const l of history.links) if (l.known) days.push(l.known);
  if (input.incident) days.push(input.incident.date.sortKey);
  for (const x of input.expect) days.push(x.by.sortKey);
  for (const x of input.expectNot) if (x.before) days.push(x.before.sortKey);
  return days.reduce((a, b) => maxDay(a, b), BEGINNING);
}

/** A sorted queue of days that later days can be added to while it is walked. */
class DayQueue {
  private readonly days = new Set<Day>();
  private sorted: Day[] = [];
  private dirty = false;
  constructor(private readonly end: Day) {}
  add(day: Day): void {
    if (day > this.end || this.days.has(day)) return;
    this.days.add(day);
    this.dirty = true;
  }
  /** The first day after `after`, or null. */
  next(after: Day | null): Day | null {
    if (this.dirty) {
      this.sorted = [...this.days].sort(compareDays);
      this.dirty = false;
    }
    for (const d of this.sorted) if (after === null || d > after) return d;
    return null;
  }
  get size(): number {
    return this.days.size;
  }
}

/** Replays a case history and compares it with the scenario's expectations. */
export function replay(input: ReplayInput, options: ReplayOptions = {}): ReplayOutput {
  const history = historyInputFromExchange(input);
  const rules = options.rules ?? ALL_RULES;
  const settings = resolveRuleSettings(options.settings, rules);
  const end = replayEnd(input, history, options.asOf);
  const identities = identityTimeline(input, history);
  const queue = new DayQueue(end);
  for (const e of history.events) queue.add(maxDay(e.known, e.date));
  // What was known from the start needs no day of its own: the first day anything is recorded
  // evaluates it.
  for (const r of history.records) if (r.known) queue.add(r.known);
  for (const l of history.links) if (l.known) queue.add(l.known);
  for (const i of identities) if (i.day !== BEGINNING) queue.add(i.day);

  const alerts: AlertRecord[] = [];
  let seq = 0;
  let identityIndex = -1;
  let day = queue.next(null);
  let evaluated = 0;
  while (day !== null) {
    while (identityIndex + 1 < identities.length && identities[identityIndex + 1]!.day <= day) identityIndex += 1;
    const personOf = identityIndex >= 0 ? identities[identityIndex]!.personOf : new Map<string, string>();
    const view = new CaseHistory(history, personOf, day);
    const outcome = evaluateDay(view, alerts, { rules, settings, newId: () => `alert-${++seq}` });
    for (const w of outcome.wakeups) queue.add(w);
    evaluated += 1;
    options.onDay?.(day, evaluated, queue.size);
    day = queue.next(day);
  }

  const finalPersonOf = identities.length > 0 ? identities[identities.length - 1]!.personOf : new Map<string, string>();
  const membersOf = new Map<string, string[]>();
  for (const r of history.records) {
    if ((r.known ?? BEGINNING) > end) continue;
    const p = finalPersonOf.get(r.id) ?? r.id;
    const list = membersOf.get(p) ?? [];
    list.push(r.id);
    membersOf.set(p, list);
  }
  const finalOf = (records: readonly string[]) => {
    for (const r of records) {
      const p = finalPersonOf.get(r);
      if (p) return p;
    }
    return records[0] ?? '';
  };
  const recordsOf = (person: string) => [...(membersOf.get(person) ?? [person])].sort();

  const output: ReplayAlert[] = alerts
    .map((a) => {
      const person = finalOf(a.subjectRecords);
      const out: ReplayAlert = { rule: a.rule, subjectRecords: recordsOf(person), raised: a.raised, severity: a.raisedSeverity, evidence: [...a.evidence].sort(), explanation: a.explanation };
      if (a.severityChanges.length > 0) out.severityChanges = a.severityChanges;
      if (a.unborn !== null) out.unborn = recordsOf(finalOf(a.unbornRecords));
      if (a.closed) out.closed = { date: a.closed.date, note: a.closed.note };
      return out;
    })
    .sort((a, b) => compareDays(a.raised, b.raised) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || ((a.subjectRecords[0] ?? '') < (b.subjectRecords[0] ?? '') ? -1 : 1));

  const alertsFor = (rule: string, record: string) => {
    const person = finalPersonOf.get(record) ?? record;
    return alerts.filter((a) => a.rule === rule && finalOf(a.subjectRecords) === person).sort((a, b) => compareDays(a.raised, b.raised));
  };
  const incidentDay = input.incident?.date.sortKey ?? null;
  const expectations: ReplayExpectation[] = [];
  let met = 0;
  let violated = 0;
  for (const x of input.expect) {
    const by = x.by.sortKey;
    const after = x.after?.sortKey;
    const hit = alertsFor(x.rule, x.subject).find((a) => a.raised <= by && (after === undefined || a.raised >= after));
    if (hit) met += 1;
    expectations.push({
      rule: x.rule,
      subject: x.subject,
      by,
      ...(after ? { after } : {}),
      met: hit !== undefined,
      raised: hit?.raised ?? null,
      leadTimeDays: hit && incidentDay ? daysBetween(hit.raised, incidentDay) : null,
      ...(x.why ? { why: x.why } : {}),
    });
  }
  for (const x of input.expectNot) {
    const before = x.before?.sortKey;
    const hit = alertsFor(x.rule, x.subject).find((a) => before === undefined || a.raised < before);
    if (hit) violated += 1;
    expectations.push({ rule: x.rule, subject: x.subject, ...(before ? { before } : {}), expectNot: true, violated: hit !== undefined, raised: hit?.raised ?? null, ...(x.why ? { why: x.why } : {}) });
  }
  const alertsByRule: Record<string, number> = {};
  for (const a of alerts) alertsByRule[a.rule] = (alertsByRule[a.rule] ?? 0) + 1;
  return {
    format: 'throughline-replay/1',
    asOf: end,
    alerts: output,
    expectations,
    summary: { expected: input.expect.length, met, expectNot: input.expectNot.length, violated, alertsByRule },
    ...(input.incident ? { incident: { date: input.incident.date.sortKey, kind: input.incident.kind, subjectRecords: recordsOf(finalPersonOf.get(input.incident.subject) ?? input.incident.subject) } } : {}),
  };
}
