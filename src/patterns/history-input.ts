// Turning exchange-format objects (as the importer normalises them) into the case-history inputs
// the rules read: dates become the first day of their period, type-specific fields keep their
// values with dates reduced the same way. Shared by the replay (objects read from a file) and the
// live evaluation (objects read back from the store).
import type { Day } from '../calendar/days.js';
import { replaceDates, type NormalisedDate } from '../ingest/exchange-dates.js';
import type { NormalisedEvent, NormalisedRecord, NormalisedRelationship, NormalisedSource } from '../ingest/exchange-schema.js';
import type { HistoryEventInput, HistoryInput, HistoryLinkInput, HistoryRecordInput, HistorySourceInput } from './case-history.js';

const COMMON_EVENT_FIELDS = new Set(['id', 'source', 'type', 'date', 'recorded', 'subjects', 'participants', 'summary', 'significant', 'restricted', 'concerns', 'about']);

/** A field value with every normalised date in it reduced to its first day. */
export function withDays(value: unknown): unknown {
  return replaceDates(value, 'sortKey');
}

/** The first day of a normalised date, or null. */
export function dayOf(date: NormalisedDate | undefined | null): Day | null {
  return date ? date.sortKey : null;
}

/** A source as the rules need it. */
export function sourceForHistory(s: NormalisedSource): HistorySourceInput {
  return { id: s.id, agency: s.agency, authority: s.authority ?? null };
}

/** A record as the rules need it. */
export function recordForHistory(r: NormalisedRecord): HistoryRecordInput {
  return { id: r.id, source: r.source, kind: r.kind, dateOfBirth: dayOf(r.dateOfBirth), expectedDate: dayOf(r.expectedDate), sex: r.sex ?? 'unknown', known: dayOf(r.recorded) };
}

/** A relationship as the rules need it. */
export function linkForHistory(l: NormalisedRelationship): HistoryLinkInput {
  return {
    id: l.id,
    source: l.source,
    from: l.from ?? null,
    to: l.to,
    type: l.type,
    start: dayOf(l.start),
    end: dayOf(l.end),
    livesElsewhere: l.livesElsewhere ?? false,
    fatherUnknown: l.fatherUnknown ?? false,
    known: dayOf(l.recorded),
  };
}

/**
 * An event as the rules need it. `received` (live use) is the day the system received it: rules
 * use the later of that and `recorded` (spec, "Dates"); a replay passes none.
 */
export function eventForHistory(e: NormalisedEvent, received?: Day): HistoryEventInput {
  const recorded = (e.recorded ?? e.date).sortKey;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (!COMMON_EVENT_FIELDS.has(k)) fields[k] = withDays(v);
  return {
    id: e.id,
    source: e.source,
    type: e.type,
    date: e.date.sortKey,
    known: received !== undefined && received > recorded ? received : recorded,
    subjects: e.subjects,
    participants: e.participants ?? [],
    about: e.about ?? [],
    concerns: e.concerns ?? [],
    significant: e.significant ?? false,
    fields,
  };
}

/** Every object of a file, as history inputs. */
export function historyInputFromExchange(parts: {
  sources: readonly NormalisedSource[];
  records: readonly NormalisedRecord[];
  relationships: readonly NormalisedRelationship[];
  events: readonly NormalisedEvent[];
}): HistoryInput {
  return {
    sources: parts.sources.map(sourceForHistory),
    records: parts.records.map(recordForHistory),
    links: parts.relationships.map(linkForHistory),
    events: parts.events.map((e) => eventForHistory(e)),
  };
}
