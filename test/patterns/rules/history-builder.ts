// A tiny builder of hand-made case histories for the pattern-rule tests: sources, records (people
// and unborn babies), links and events in the case-history input shape, then a `CaseHistory` for
// one day, or a day-by-day run through the engine that mirrors the replay (evaluated on each day
// something becomes known and on each wakeup a rule asks for). Shared by every rule's tests:
// extend it compatibly (new optional options only).
import { compareDays, maxDay, type Day } from '../../../src/calendar/days.js';
import { CaseHistory, type HistoryEventInput, type HistoryInput, type HistoryLinkInput, type HistoryRecordInput, type HistorySourceInput } from '../../../src/patterns/case-history.js';
import { evaluateDay, type AlertRecord } from '../../../src/patterns/engine.js';
import type { Finding, OpenAlert, PatternRule, RuleId } from '../../../src/patterns/rule.js';

export interface PersonOptions {
  source?: string;
  dob?: Day | null;
  sex?: 'female' | 'male' | 'unknown';
  /** When the record became known (default: from the start). */
  known?: Day | null;
}

export interface UnbornOptions {
  source?: string;
  expected: Day;
  known?: Day | null;
}

export interface LinkOptions {
  source?: string;
  start?: Day | null;
  end?: Day | null;
  livesElsewhere?: boolean;
  fatherUnknown?: boolean;
  known?: Day | null;
}

export interface EventOptions {
  id?: string;
  source?: string;
  /** When the event became known (default: its date). */
  known?: Day;
  participants?: string[];
  about?: string[];
  concerns?: string[];
  significant?: boolean;
}

/** Builds a history input, one object at a time. Records default to the source "csc". */
export class HistoryBuilder {
  readonly sources: HistorySourceInput[] = [];
  readonly records: HistoryRecordInput[] = [];
  readonly links: HistoryLinkInput[] = [];
  readonly events: HistoryEventInput[] = [];
  private seq = 0;

  constructor() {
    this.source('csc', 'childrens-social-care', 'Southmoor');
  }

  /** A source (replacing one with the same id). */
  source(id: string, agency: string, authority: string | null = null): this {
    const i = this.sources.findIndex((s) => s.id === id);
    if (i >= 0) this.sources.splice(i, 1);
    this.sources.push({ id, agency, authority });
    return this;
  }

  /** A born person's record; returns its id. */
  person(id: string, options: PersonOptions = {}): string {
    this.records.push({ id, source: options.source ?? this.sourceOf(id), kind: 'person', dateOfBirth: options.dob ?? null, expectedDate: null, sex: options.sex ?? 'unknown', known: options.known ?? null });
    return id;
  }

  /** An unborn baby's record; returns its id. */
  unborn(id: string, options: UnbornOptions): string {
    this.records.push({ id, source: options.source ?? this.sourceOf(id), kind: 'unborn', dateOfBirth: null, expectedDate: options.expected, sex: 'unknown', known: options.known ?? null });
    return id;
  }

  /** "`from` is the `type` of `to`". */
  link(from: string | null, type: string, to: string, options: LinkOptions = {}): this {
    this.links.push({
      id: `l${++this.seq}`,
      source: options.source ?? this.sourceOf(to),
      from,
      to,
      type,
      start: options.start ?? null,
      end: options.end ?? null,
      livesElsewhere: options.livesElsewhere ?? false,
      fatherUnknown: options.fatherUnknown ?? false,
      known: options.known ?? null,
    });
    return this;
  }

  /** An event; returns its id. `date` is the first day of its (possibly vague) date. */
  event(type: string, date: Day, subjects: string[], fields: Record<string, unknown> = {}, options: EventOptions = {}): string {
    const id = options.id ?? `e${++this.seq}`;
    this.events.push({
      id,
      source: options.source ?? 'csc',
      type,
      date,
      known: options.known ?? date,
      subjects,
      participants: options.participants ?? [],
      about: options.about ?? [],
      concerns: options.concerns ?? [],
      significant: options.significant ?? false,
      fields,
    });
    return id;
  }

  input(): HistoryInput {
    return { sources: this.sources, records: this.records, links: this.links, events: this.events };
  }

  /** The history as known on `day`; `personOf` puts records together (record id → person key). */
  history(day: Day, personOf: Record<string, string> = {}): CaseHistory {
    return new CaseHistory(this.input(), new Map(Object.entries(personOf)), day);
  }

  /** Every day something becomes known (as the replay walks them), up to `until`. */
  knownDays(until: Day): Day[] {
    const days = new Set<Day>();
    for (const e of this.events) days.add(maxDay(e.known, e.date));
    for (const r of this.records) if (r.known) days.add(r.known);
    for (const l of this.links) if (l.known) days.add(l.known);
    return [...days].filter((d) => d <= until).sort(compareDays);
  }

  private sourceOf(recordId: string): string {
    const prefix = recordId.includes(':') ? recordId.slice(0, recordId.indexOf(':')) : 'csc';
    return this.sources.some((s) => s.id === prefix) ? prefix : 'csc';
  }
}

export interface RunOptions {
  /** Last day of the run. */
  until: Day;
  /** Record id → person key, from the start; or per day (the map in force from that day on). */
  personOf?: Record<string, string> | { from: Day; personOf: Record<string, string> }[];
  /** Extra days to evaluate. */
  days?: Day[];
  /** Settings per rule id (defaults where absent). */
  settings?: Record<string, unknown>;
  /** A practitioner's response on a day (before that day's evaluation) closes the open alerts of the rule (all rules when omitted). */
  responses?: { day: Day; rule?: RuleId }[];
}

/**
 * Runs rules through the engine as the replay does: on each day something becomes known, on each
 * extra day given and on every wakeup the rules ask for; returns every alert (open and closed).
 */
export function runRules(builder: HistoryBuilder, rules: readonly PatternRule<unknown>[], options: RunOptions): AlertRecord[] {
  const settings: Record<string, unknown> = {};
  for (const rule of rules) settings[rule.id] = rule.settings.parse(options.settings?.[rule.id] ?? {});
  const timeline = Array.isArray(options.personOf) ? [...options.personOf].sort((a, b) => compareDays(a.from, b.from)) : [{ from: '0000-01-01', personOf: options.personOf ?? {} }];
  const responses = options.responses ?? [];
  const queue = new Set<Day>([...builder.knownDays(options.until), ...[...(options.days ?? []), ...responses.map((r) => r.day)].filter((d) => d <= options.until), ...timeline.map((t) => t.from).filter((d) => d > '0000-01-01' && d <= options.until)]);
  const alerts: AlertRecord[] = [];
  let seq = 0;
  const done = new Set<Day>();
  for (;;) {
    const next = [...queue].filter((d) => !done.has(d)).sort(compareDays)[0];
    if (next === undefined) break;
    done.add(next);
    const personOf = [...timeline].reverse().find((t) => t.from <= next)?.personOf ?? {};
    for (const r of responses) {
      if (r.day !== next) continue;
      for (const a of alerts) {
        if (a.status !== 'open' || (r.rule !== undefined && a.rule !== r.rule)) continue;
        a.status = 'closed';
        a.closed = { date: next, by: 'response', event: null, note: 'Response recorded.' };
      }
    }
    const outcome = evaluateDay(builder.history(next, personOf), alerts, { rules, settings, newId: () => `alert-${++seq}` });
    for (const w of outcome.wakeups) if (w <= options.until) queue.add(w);
  }
  return alerts;
}

export interface EvaluateOptions {
  personOf?: Record<string, string>;
  openAlerts?: OpenAlert[];
  settings?: unknown;
}

/** One rule's findings on one day (no engine: the raw condition). */
export function findingsOn<S>(rule: PatternRule<S>, builder: HistoryBuilder, day: Day, options: EvaluateOptions = {}): Finding[] {
  return rule.evaluate({ history: builder.history(day, options.personOf ?? {}), day, settings: rule.settings.parse(options.settings ?? {}), openAlerts: options.openAlerts ?? [] });
}

/** An open alert as rules see it, for tests that give a rule the alerts open on a day. */
export function openAlert(rule: RuleId, subject: string, raised: Day, overrides: Partial<OpenAlert> = {}): OpenAlert {
  return { id: `open-${rule}-${subject}`, rule, subject, unborn: null, episode: '', raised, severity: 'medium', evidence: [], ...overrides };
}
