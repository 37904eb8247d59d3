// The case history the pattern rules read: people (as identity resolution put records together),
// the family links between them and every event, each with the day it became known. It is built
// for one evaluation day from what was known by then (spec: "rules read only what was recorded on
// or before the evaluation day"), so a rule can never see the future. Pure: no database, no clock.
//
// Inputs are in the exchange format's terms (record ids, event ids); the history speaks of persons.
// A person's key is whatever the caller uses (a stored person's uuid, or a replay's own key).
import type { Day } from '../calendar/days.js';

/** A record of a person as a source holds it, reduced to what the rules need. */
export interface HistoryRecordInput {
  id: string;
  source: string;
  kind: 'person' | 'unborn';
  /** First day of the (possibly vague) date of birth. */
  dateOfBirth: Day | null;
  expectedDate: Day | null;
  sex: 'female' | 'male' | 'unknown';
  /** When the record became known; null: known from the start. */
  known: Day | null;
}

/** A family or household link between two records, as a source recorded it. */
export interface HistoryLinkInput {
  id: string;
  source: string;
  /** Record id; null only for a father link recording that the father is not known. */
  from: string | null;
  to: string;
  type: string;
  start: Day | null;
  end: Day | null;
  livesElsewhere: boolean;
  fatherUnknown: boolean;
  /** When the link itself was recorded; null: with its records. */
  known: Day | null;
}

/** An event, reduced to what the rules need. Record references in `fields` are record ids. */
export interface HistoryEventInput {
  id: string;
  source: string;
  type: string;
  /** First day of the (possibly vague) date. */
  date: Day;
  /** When the system knew of it: `recorded` in a replay; the later of recorded and received in live use. */
  known: Day;
  subjects: readonly string[];
  participants: readonly string[];
  about: readonly string[];
  concerns: readonly string[];
  significant: boolean;
  /** Type-specific fields, normalised: dates as first days (`Day`), record references as record ids. */
  fields: Readonly<Record<string, unknown>>;
}

/** A sending system and its agency. */
export interface HistorySourceInput {
  id: string;
  agency: string;
  authority: string | null;
}

/** Everything a history is built from. */
export interface HistoryInput {
  sources: readonly HistorySourceInput[];
  records: readonly HistoryRecordInput[];
  links: readonly HistoryLinkInput[];
  events: readonly HistoryEventInput[];
}

/** A person as the rules see them on the evaluation day. */
export interface HistoryPerson {
  key: string;
  /** Every record of the person known by the evaluation day, sorted. */
  records: readonly string[];
  /** Records of the person that are unborn records (an expected baby). */
  unbornRecords: readonly string[];
  sex: 'female' | 'male' | 'unknown';
  /** First day of the date of birth, from the person's born records (most often recorded value). */
  dateOfBirth: Day | null;
  /** Expected date of delivery from unborn records (the latest), for a person recorded unborn. */
  expectedDate: Day | null;
  /** When the first of the person's unborn records was recorded; null when known from the start, or none. */
  unbornRecorded: Day | null;
}

/** A family link between two persons. */
export interface HistoryLink {
  id: string;
  source: string;
  from: string | null;
  to: string;
  type: string;
  start: Day | null;
  end: Day | null;
  livesElsewhere: boolean;
  fatherUnknown: boolean;
  known: Day;
}

/** An event about persons. */
export interface HistoryEvent {
  id: string;
  source: string;
  agency: string;
  /** The source's local authority area, when it has one. */
  authority: string | null;
  type: string;
  date: Day;
  known: Day;
  /** Persons the event is about (its subjects). */
  subjects: readonly string[];
  participants: readonly string[];
  about: readonly string[];
  concerns: readonly string[];
  significant: boolean;
  fields: Readonly<Record<string, unknown>>;
  /** Persons named in fields: a police incident's children present, a birth's child, a household event's person, a pregnancy's unborn babies. */
  named: Readonly<Record<string, readonly string[]>>;
}

/** Fields of an event that name records, and whether they hold one id or a list. */
const RECORD_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'police-incident': ['childrenPresent'],
  pregnancy: ['unborn'],
  birth: ['child', 'unborn'],
  household: ['person'],
};

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The most often recorded value (ties: the earliest), ignoring nulls. */
function commonest(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [v, n] of counts) if (n > bestCount || (n === bestCount && best !== null && v < best)) [best, bestCount] = [v, n];
  return best;
}

function latest(values: readonly (string | null)[]): string | null {
  let best: string | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}

/**
 * The history as known on `day`: records, links and events known by then (events also dated by
 * then), with records put together as persons by `personOf` (record id → person key; a record
 * missing from it is a person of its own, keyed by its id).
 */
export class CaseHistory {
  readonly day: Day;
  readonly persons: ReadonlyMap<string, HistoryPerson>;
  readonly links: readonly HistoryLink[];
  /** Every event known by the day, in date order (ties by id, for determinism). */
  readonly events: readonly HistoryEvent[];
  private readonly eventById: Map<string, HistoryEvent>;
  private readonly aboutPerson = new Map<string, HistoryEvent[]>();
  private readonly linksByPerson = new Map<string, HistoryLink[]>();
  private readonly personOfRecord: Map<string, string>;
  private readonly cache = new Map<string, unknown>();

  constructor(input: HistoryInput, personOf: ReadonlyMap<string, string>, day: Day) {
    this.day = day;
    const sources = new Map(input.sources.map((s) => [s.id, s]));
    const knownRecords = input.records.filter((r) => r.known === null || r.known <= day);
    const recordKnown = new Map(knownRecords.map((r) => [r.id, r.known] as const));
    this.personOfRecord = new Map(knownRecords.map((r) => [r.id, personOf.get(r.id) ?? r.id] as const));

    const grouped = new Map<string, HistoryRecordInput[]>();
    for (const r of knownRecords) {
      const key = this.personOfRecord.get(r.id)!;
      const list = grouped.get(key);
      if (list) list.push(r);
      else grouped.set(key, [r]);
    }
    const persons = new Map<string, HistoryPerson>();
    for (const [key, records] of grouped) {
      const born = records.filter((r) => r.kind === 'person');
      const unborn = records.filter((r) => r.kind === 'unborn');
      const sexes = records.map((r) => r.sex).filter((s) => s !== 'unknown');
      persons.set(key, {
        key,
        records: records.map((r) => r.id).sort(),
        unbornRecords: unborn.map((r) => r.id).sort(),
        sex: (commonest(sexes) as HistoryPerson['sex'] | null) ?? 'unknown',
        dateOfBirth: commonest(born.map((r) => r.dateOfBirth)),
        expectedDate: latest(unborn.map((r) => r.expectedDate)),
        unbornRecorded: unborn.some((r) => r.known === null) ? null : (unborn.map((r) => r.known).sort()[0] ?? null),
      });
    }
    this.persons = persons;

    const links: HistoryLink[] = [];
    for (const l of input.links) {
      if (!recordKnown.has(l.to) || (l.from !== null && !recordKnown.has(l.from))) continue;
      // A link is known from the latest of its own recorded date and its two records'.
      const known = latest([l.known, recordKnown.get(l.to) ?? null, l.from === null ? null : (recordKnown.get(l.from) ?? null)]) ?? '0001-01-01';
      if (known > day) continue;
      const from = l.from === null ? null : this.personOfRecord.get(l.from)!;
      const to = this.personOfRecord.get(l.to)!;
      if (from === to) continue;
      const link: HistoryLink = { id: l.id, source: l.source, from, to, type: l.type, start: l.start, end: l.end, livesElsewhere: l.livesElsewhere, fatherUnknown: l.fatherUnknown, known };
      links.push(link);
      for (const p of from === null ? [to] : [from, to]) {
        const list = this.linksByPerson.get(p);
        if (list) list.push(link);
        else this.linksByPerson.set(p, [link]);
      }
    }
    this.links = links;

    const events: HistoryEvent[] = [];
    // Hot: run for every field of every event on each evaluation, so the common cases (no record,
    // one record) skip the Set.
    const mapRecords = (ids: readonly string[]): string[] => {
      if (ids.length === 0) return [];
      if (ids.length === 1) {
        const p = this.personOfRecord.get(ids[0]!);
        return p === undefined ? [] : [p];
      }
      const out: string[] = [];
      for (const id of ids) {
        const p = this.personOfRecord.get(id);
        if (p !== undefined && !out.includes(p)) out.push(p);
      }
      return out;
    };
    for (const e of input.events) {
      if (e.known > day || e.date > day) continue;
      const source = sources.get(e.source);
      const named: Record<string, string[]> = {};
      for (const field of RECORD_FIELDS[e.type] ?? []) named[field] = mapRecords(asList(e.fields[field]));
      events.push({
        id: e.id,
        source: e.source,
        agency: source?.agency ?? 'other',
        authority: source?.authority ?? null,
        type: e.type,
        date: e.date,
        known: e.known,
        subjects: mapRecords(e.subjects),
        participants: mapRecords(e.participants),
        about: e.about,
        concerns: e.concerns,
        significant: e.significant,
        fields: e.fields,
        named,
      });
    }
    events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.events = events;
    this.eventById = new Map(events.map((e) => [e.id, e]));
    for (const e of events) {
      const about = new Set(e.subjects);
      // Spec: a police incident is also about the children present.
      if (e.type === 'police-incident') for (const c of e.named.childrenPresent ?? []) about.add(c);
      for (const p of about) {
        const list = this.aboutPerson.get(p);
        if (list) list.push(e);
        else this.aboutPerson.set(p, [e]);
      }
    }
  }

  /** The person a record belongs to on this day, if the record is known. */
  personOf(recordId: string): string | undefined {
    return this.personOfRecord.get(recordId);
  }

  /** The event with this id, if known by the day. */
  event(id: string): HistoryEvent | undefined {
    return this.eventById.get(id);
  }

  /** Events about a person (subjects; for a police incident also the children present), in date order. */
  eventsAbout(person: string): readonly HistoryEvent[] {
    return this.aboutPerson.get(person) ?? [];
  }

  /** Links with the person at either end. */
  linksOf(person: string): readonly HistoryLink[] {
    return this.linksByPerson.get(person) ?? [];
  }

  /**
   * Memoises a derived value for this history (which is immutable), so that the shared definitions
   * are worked out once per evaluation however many rules ask.
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = compute();
    this.cache.set(key, value);
    return value;
  }
}
