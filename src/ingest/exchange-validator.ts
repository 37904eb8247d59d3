// Validation of the objects in an exchange file, each on its own: its shape (exchange-schema.ts),
// the warnings that never reject (NHS number check digit, postcode format, "did not attend" for a
// child, unknown fields), and its references to other objects. One bad object is rejected with
// every reason found; the rest of the file is unaffected.
//
// References must name an object of the right kind in the same file or one "imported before",
// which only the caller can answer (the `knownIds` callback, for example a lookup in the store).
// An object that refers to an object rejected from the same file is rejected too, unless the
// store already holds an earlier version of the target: importing it would leave a reference to
// nothing.
//
// Two entry points: `validateExchangeDocument` for a whole JSON document (references may point
// anywhere in the file), and `NdjsonValidator` for NDJSON, one line at a time (references may
// point only to earlier lines, and nothing but the ids seen so far is kept).
import type { z } from 'zod';
import { parseExchangeDate } from './exchange-dates.js';
import {
  describeValue,
  FileRefusedError,
  locate,
  problemsFromZod,
  quote,
  type FieldProblem,
  type Issue,
  type ObjectLocation,
} from './exchange-issues.js';
import {
  ADDRESS_SHAPE,
  EVENT_SCHEMAS,
  EVENT_TYPES,
  eventCommonSchema,
  EXCHANGE_FORMAT,
  EXPECT_NOT_SHAPE,
  EXPECT_SHAPE,
  expectNotSchema,
  expectSchema,
  INCIDENT_SHAPE,
  incidentSchema,
  isEventType,
  RECORD_SHAPE,
  recordSchema,
  RELATIONSHIP_SHAPE,
  relationshipSchema,
  SOURCE_SHAPE,
  sourceSchema,
  withoutNulls,
  type EventType,
  type Expectation,
  type ExpectationNot,
  type NormalisedByKind,
  type NormalisedEvent,
  type NormalisedRecord,
  type ObjectKind,
  type ScenarioIncident,
} from './exchange-schema.js';
import { isUkPostcodeFormat } from './uk-identifiers.js';

export type { ObjectKind } from './exchange-schema.js';

/**
 * Answers whether an object of `kind` with `id` was imported before (into the same partnership).
 * Asked only for references that the file itself does not answer. May be async (a store lookup).
 */
export type KnownIds = (kind: ObjectKind, id: string) => boolean | Promise<boolean>;

/** An object that passed: as received (`object`, untouched), normalised, where it was, and any warnings. */
export interface AcceptedObject<K extends ObjectKind = ObjectKind> {
  status: 'accepted';
  kind: K;
  object: unknown;
  normalised: NormalisedByKind[K];
  location: ObjectLocation;
  warnings: Issue[];
}

/** An accepted object of any kind; `kind` narrows `normalised`. */
export type AcceptedItem = { [K in ObjectKind]: AcceptedObject<K> }[ObjectKind];

/**
 * An object that was rejected, with every reason (`rejections`, at least one). `kind` is null when
 * it could not be told (an NDJSON line that is not JSON, or names no kind); `object` is what was
 * received (for a line that is not JSON, its text).
 */
export interface RejectedObject {
  status: 'rejected';
  kind: ObjectKind | null;
  object: unknown;
  location: ObjectLocation;
  rejections: Issue[];
  warnings: Issue[];
}

/** What validating one object gives. */
export type ExchangeItem = AcceptedItem | RejectedObject;

/** An `expect`, `expectNot` or `incident` entry of a scenario, accepted or rejected like an object. */
export type ScenarioItem<T> =
  | { status: 'accepted'; object: unknown; normalised: T; location: ObjectLocation; warnings: Issue[] }
  | { status: 'rejected'; object: unknown; location: ObjectLocation; rejections: Issue[]; warnings: Issue[] };

/** The scenario parts of a JSON file (spec, "Scenarios"). */
export interface ScenarioParts {
  expect: ScenarioItem<Expectation>[];
  expectNot: ScenarioItem<ExpectationNot>[];
  incident: ScenarioItem<ScenarioIncident> | null;
}

// ---------------------------------------------------------------------------------------------
// One object's shape, warnings and the references it makes (no state: the same for JSON and NDJSON).

/** A reference from a field of an object to another object. */
interface Reference {
  field: string;
  kind: ObjectKind;
  id: string;
}

/** A field that refers to objects of `kind`: one id, a list of ids, or either (pregnancy `unborn`: one, or a list for twins). */
type ReferenceFields = readonly (readonly [field: string, kind: ObjectKind, holds: 'one' | 'list' | 'either'])[];

const COMMON_EVENT_REFERENCES: ReferenceFields = [
  ['source', 'source', 'one'],
  ['subjects', 'record', 'list'],
  ['participants', 'record', 'list'],
  ['about', 'event', 'list'],
];
const REFERENCE_FIELDS: Record<'source' | 'record' | 'relationship' | 'scenario', ReferenceFields> = {
  source: [],
  record: [['source', 'source', 'one']],
  relationship: [['source', 'source', 'one'], ['from', 'record', 'one'], ['to', 'record', 'one']],
  scenario: [['subject', 'record', 'one']],
};
const EVENT_REFERENCE_FIELDS: Partial<Record<EventType, ReferenceFields>> = {
  pregnancy: [['unborn', 'record', 'either']],
  birth: [['child', 'record', 'one'], ['unborn', 'record', 'one']],
  household: [['person', 'record', 'one']],
  'police-incident': [['childrenPresent', 'record', 'list']],
};

/**
 * The references an object makes, read from the object as received, so that they are checked
 * even when another field is wrong. A value of the wrong shape is left to the schema's message.
 */
function referencesIn(raw: Record<string, unknown>, fields: ReferenceFields): Reference[] {
  const references: Reference[] = [];
  for (const [field, kind, holds] of fields) {
    const value = raw[field];
    if (holds !== 'list' && typeof value === 'string' && value !== '') references.push({ field, kind, id: value });
    if (holds !== 'one' && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === 'string' && item !== '') references.push({ field: `${field}[${i}]`, kind, id: item });
      });
    }
  }
  return references;
}

interface ShapeCheck<T> {
  normalised: T | undefined;
  problems: FieldProblem[];
  warnings: FieldProblem[];
  references: Reference[];
}

/** "a record", "an appointment event". */
function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function showKey(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
}

/** The fields an object may have, plus those its container adds (NDJSON's `object`). */
interface KnownFields {
  own: ReadonlySet<string>;
  extra: ReadonlySet<string>;
}

/** Warnings for fields the format does not define: kept in the object as received, not used. */
function unknownFieldWarnings(raw: Record<string, unknown>, known: KnownFields, what: string, prefix = ''): FieldProblem[] {
  const warnings: FieldProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (known.own.has(key) || known.extra.has(key)) continue;
    const field = `${prefix}${showKey(key)}`;
    warnings.push({ field, message: `${field} is not a field of ${what}; kept as received, not used` });
  }
  return warnings;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NOT_AN_OBJECT: FieldProblem = { field: null, message: 'this is not a JSON object ({ ... })' };

/** Parses `raw` with `schema` and gathers problems, unknown-field warnings and references. */
function checkShape<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  known: KnownFields | null,
  what: string,
  referenceFields: ReferenceFields,
): ShapeCheck<T> {
  if (!isPlainObject(raw)) return { normalised: undefined, problems: [NOT_AN_OBJECT], warnings: [], references: [] };
  const warnings = known === null ? [] : unknownFieldWarnings(raw, known, what);
  const result = schema.safeParse(withoutNulls(raw), { error: (issue) => `is not valid (${issue.code})` });
  return {
    normalised: result.success ? result.data : undefined,
    problems: result.success ? [] : problemsFromZod(result.error),
    warnings,
    references: referencesIn(raw, referenceFields),
  };
}

const NO_EXTRA: ReadonlySet<string> = new Set();
const knownFields = (shape: object): KnownFields => ({ own: new Set(Object.keys(shape)), extra: NO_EXTRA });
const KNOWN = {
  source: knownFields(SOURCE_SHAPE),
  record: knownFields(RECORD_SHAPE),
  relationship: knownFields(RELATIONSHIP_SHAPE),
  address: knownFields(ADDRESS_SHAPE),
  expect: knownFields(EXPECT_SHAPE),
  expectNot: knownFields(EXPECT_NOT_SHAPE),
  incident: knownFields(INCIDENT_SHAPE),
  header: knownFields({ object: 1, format: 1, title: 1 }),
  file: knownFields({ format: 1, title: 1, sources: 1, records: 1, relationships: 1, events: 1, expect: 1, expectNot: 1, incident: 1 }),
};

/** A table with one entry per event type. */
function perEventType<T>(make: (type: EventType) => T): Record<EventType, T> {
  const table = {} as Record<EventType, T>;
  for (const type of EVENT_TYPES) table[type] = make(type);
  return table;
}
const EVENT_FIELDS = perEventType((type): ReadonlySet<string> => new Set(Object.keys(EVENT_SCHEMAS[type].shape)));
const EVENT_REFERENCES = perEventType((type): ReferenceFields => [...COMMON_EVENT_REFERENCES, ...(EVENT_REFERENCE_FIELDS[type] ?? [])]);
const EVENT_NOUNS = perEventType((type) => withArticle(`${type} event`));

/** Address warnings: unknown parts, and a postcode not in UK format (kept and compared as text). */
function addressWarnings(rawAddress: unknown, postcode: string | undefined): FieldProblem[] {
  const warnings = isPlainObject(rawAddress) ? unknownFieldWarnings(rawAddress, KNOWN.address, 'an address', 'address.') : [];
  if (postcode !== undefined && !isUkPostcodeFormat(postcode)) {
    warnings.push({ field: 'address.postcode', message: 'address.postcode is not in UK postcode format; kept and compared as text' });
  }
  return warnings;
}

/** Where the date of birth of a record in the file can be found: record id → the sort key of its date of birth. */
export type BirthDates = (recordId: string) => string | undefined;

/** The day someone born on `birthKey` (a sort key, the start of a vague period) turns 18. */
function eighteenthBirthday(birthKey: string): string {
  return `${String(Number(birthKey.slice(0, 4)) + 18).padStart(4, '0')}${birthKey.slice(4)}`;
}

/** Checks one object of `kind`, as received. `extraKnown` holds fields a container adds (NDJSON's `object`). */
function checkObject(kind: ObjectKind, raw: unknown, birthDates: BirthDates, extraKnown: ReadonlySet<string>): ShapeCheck<NormalisedByKind[ObjectKind]> {
  switch (kind) {
    case 'source':
      return checkShape(sourceSchema, raw, { own: KNOWN.source.own, extra: extraKnown }, 'a source', REFERENCE_FIELDS.source);
    case 'record': {
      const check = checkShape(recordSchema, raw, { own: KNOWN.record.own, extra: extraKnown }, 'a record', REFERENCE_FIELDS.record);
      if (isPlainObject(raw)) check.warnings.push(...recordWarnings(raw, check.normalised));
      return check;
    }
    case 'relationship':
      return checkShape(relationshipSchema, raw, { own: KNOWN.relationship.own, extra: extraKnown }, 'a relationship', REFERENCE_FIELDS.relationship);
    case 'event':
      return checkEvent(raw, birthDates, extraKnown);
  }
}

function recordWarnings(raw: Record<string, unknown>, record: NormalisedRecord | undefined): FieldProblem[] {
  const warnings: FieldProblem[] = [];
  const nhs = record?.nhsNumber;
  if (nhs?.problem === 'not-ten-digits') {
    warnings.push({ field: 'nhsNumber', message: 'nhsNumber is not 10 digits (spaces allowed); kept, but not used for matching' });
  } else if (nhs?.problem === 'check-digit') {
    warnings.push({ field: 'nhsNumber', message: 'nhsNumber fails the Modulus 11 check digit; kept, but not used for matching' });
  }
  warnings.push(...addressWarnings(raw.address, record?.address?.postcode));
  return warnings;
}

function checkEvent(raw: unknown, birthDates: BirthDates, extraKnown: ReadonlySet<string>): ShapeCheck<NormalisedEvent> {
  const type = isPlainObject(raw) ? raw.type : undefined;
  if (!isEventType(type)) {
    // Without a known type only the common fields can be checked; the type itself is the problem.
    // Unknown-field warnings are left out: which fields belong depends on the type.
    const check = checkShape(eventCommonSchema, raw, null, 'an event', COMMON_EVENT_REFERENCES);
    return { ...check, normalised: undefined };
  }
  // The 28 event schemas do not unify into one callable type for TypeScript; each one's output is a NormalisedEvent.
  const schema = EVENT_SCHEMAS[type] as unknown as z.ZodType<NormalisedEvent>;
  const check = checkShape(schema, raw, { own: EVENT_FIELDS[type], extra: extraKnown }, EVENT_NOUNS[type], EVENT_REFERENCES[type]);
  const event = check.normalised;
  if (event?.type === 'move' && isPlainObject(raw)) check.warnings.push(...addressWarnings(raw.address, event.address?.postcode));
  if (event?.type === 'appointment' && event.status === 'did-not-attend') {
    // "Did not attend" is for adults; a child "was not brought". Warned only when the file shows
    // the subject was under 18 that day (a vague date of birth counts from the start of its period).
    const child = event.subjects.find((subject) => {
      const born = birthDates(subject);
      return born !== undefined && event.date.sortKey < eighteenthBirthday(born);
    });
    if (child !== undefined) {
      check.warnings.push({
        field: 'status',
        message: `status "did-not-attend" is for adults, but subject ${quote(child)} was under 18 on this date; it will be read as was-not-brought`,
      });
    }
  }
  return check;
}

// ---------------------------------------------------------------------------------------------
// Ids in the file and the references between objects.

const KINDS: readonly ObjectKind[] = ['source', 'record', 'relationship', 'event'];

/**
 * The ids seen in a file: for each, its kind, its position (index in its array, or NDJSON line)
 * and whether it was rejected, packed into one number so that a million ids stay small.
 */
class IdIndex {
  private readonly entries = new Map<string, number>();

  /** Adds an id; returns the existing entry instead when the id is already taken. */
  add(id: string, kind: ObjectKind, position: number): IdEntry | undefined {
    if (this.entries.has(id)) return this.find(id);
    this.entries.set(id, position * 8 + KINDS.indexOf(kind) * 2);
    return undefined;
  }

  find(id: string): IdEntry | undefined {
    const packed = this.entries.get(id);
    if (packed === undefined) return undefined;
    return { kind: KINDS[Math.floor(packed / 2) % 4]!, position: Math.floor(packed / 8), rejected: packed % 2 === 1 };
  }

  /** Marks the object holding `id` (kind and position must match: a duplicate is not the holder) as rejected. */
  reject(id: string, kind: ObjectKind, position: number): void {
    const entry = this.find(id);
    if (entry !== undefined && entry.kind === kind && entry.position === position && !entry.rejected) {
      this.entries.set(id, this.entries.get(id)! + 1);
    }
  }
}

interface IdEntry {
  kind: ObjectKind;
  position: number;
  rejected: boolean;
}

/** Remembers positive answers of `knownIds` (each source id is asked about by every object), up to a bound. */
function cachedKnownIds(knownIds: KnownIds | undefined): KnownIds {
  if (knownIds === undefined) return () => false;
  const known = new Set<string>();
  return async (kind, id) => {
    const key = `${kind}\u0000${id}`;
    if (known.has(key)) return true;
    const answer = await knownIds(kind, id);
    if (answer) {
      if (known.size >= 10_000) known.clear();
      known.add(key);
    }
    return answer;
  };
}

interface ReferenceContext {
  index: IdIndex | null;
  knownIds: KnownIds;
  /** Where the object at `position` of `kind` is, for messages: `records[3]`, `line 12`. */
  place: (kind: ObjectKind, position: number) => string;
  /** "in this file" (JSON) or "earlier in this file" (NDJSON). */
  scope: string;
}

/**
 * Problems with references. With `rejectedToo` false only missing and wrong-kind targets are
 * problems (JSON's first pass, before every object's fate is known).
 */
async function referenceProblems(references: readonly Reference[], context: ReferenceContext, rejectedToo: boolean): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const ref of references) {
    const entry = context.index?.find(ref.id);
    if (entry !== undefined && entry.kind !== ref.kind) {
      problems.push({ field: ref.field, message: `${ref.field} ${quote(ref.id)} is ${withArticle(entry.kind)}, not ${withArticle(ref.kind)}` });
      continue;
    }
    if (entry !== undefined && (!entry.rejected || !rejectedToo)) continue;
    if (await context.knownIds(ref.kind, ref.id)) continue;
    problems.push({
      field: ref.field,
      message:
        entry === undefined
          ? `${ref.field} ${quote(ref.id)} is not ${withArticle(ref.kind)} ${context.scope} or imported before`
          : `${ref.field} ${quote(ref.id)} names ${context.place(entry.kind, entry.position)}, which was rejected`,
    });
  }
  return problems;
}

/** The id an object shows in messages: its `id` when that is non-empty text. */
function idOf(raw: unknown): string | undefined {
  return isPlainObject(raw) && typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
}

function birthKeyOf(raw: unknown): string | undefined {
  if (!isPlainObject(raw) || typeof raw.dateOfBirth !== 'string') return undefined;
  const reading = parseExchangeDate(raw.dateOfBirth);
  return reading.ok ? reading.date.sortKey : undefined;
}

function toItem(kind: ObjectKind, raw: unknown, location: ObjectLocation, check: ShapeCheck<unknown>, problems: FieldProblem[]): ExchangeItem {
  const warnings = locate(location, check.warnings);
  if (problems.length > 0 || check.normalised === undefined) {
    return { status: 'rejected', kind, object: raw, location, rejections: locate(location, problems), warnings };
  }
  return { status: 'accepted', kind, object: raw, normalised: check.normalised, location, warnings } as AcceptedItem;
}

// ---------------------------------------------------------------------------------------------
// A whole JSON document.

/** The arrays of a JSON file, in the order their objects are validated and yielded. */
const ARRAYS: readonly (readonly [name: 'sources' | 'records' | 'relationships' | 'events', kind: ObjectKind])[] = [
  ['sources', 'source'],
  ['records', 'record'],
  ['relationships', 'relationship'],
  ['events', 'event'],
];
const ARRAY_OF: Record<ObjectKind, string> = { source: 'sources', record: 'records', relationship: 'relationships', event: 'events' };

/** A JSON document, validated: its title, file-level warnings, every object (in order), and its scenario parts. */
export interface ValidatedDocument {
  title: string | undefined;
  warnings: Issue[];
  items: ExchangeItem[];
  scenario: ScenarioParts | null;
}

export interface ValidationOptions {
  /** For references the file does not answer. Default: nothing was imported before. */
  knownIds?: KnownIds;
}

function refuseStructure(fileName: string, what: string, reason: 'not-exchange-format' | 'bad-structure'): FileRefusedError {
  return new FileRefusedError(`${fileName} was refused as a whole: ${what}.`, reason);
}

/** Refuses the whole document when it is not this format or its parts have the wrong types. */
function checkStructure(doc: unknown, fileName: string): asserts doc is Record<string, unknown> {
  if (!isPlainObject(doc)) {
    throw refuseStructure(fileName, `it is JSON, but ${describeValue(doc)} rather than one object with "format": "${EXCHANGE_FORMAT}"`, 'not-exchange-format');
  }
  if (doc.format === undefined) {
    throw refuseStructure(fileName, `it has no "format", so it is not a Throughline exchange file (expected "format": "${EXCHANGE_FORMAT}")`, 'not-exchange-format');
  }
  if (doc.format !== EXCHANGE_FORMAT) {
    throw refuseStructure(fileName, `its "format" is ${describeValue(doc.format)}, but this version reads only "${EXCHANGE_FORMAT}"`, 'not-exchange-format');
  }
  for (const name of ['sources', 'records', 'relationships', 'events', 'expect', 'expectNot']) {
    if (doc[name] !== undefined && doc[name] !== null && !Array.isArray(doc[name])) {
      throw refuseStructure(fileName, `"${name}" must be a list (a JSON array), but it is ${describeValue(doc[name])}`, 'bad-structure');
    }
  }
  if (doc.incident !== undefined && doc.incident !== null && !isPlainObject(doc.incident)) {
    throw refuseStructure(fileName, `"incident" must be an object, but it is ${describeValue(doc.incident)}`, 'bad-structure');
  }
  if (doc.title !== undefined && doc.title !== null && typeof doc.title !== 'string') {
    throw refuseStructure(fileName, `"title" must be text, but it is ${describeValue(doc.title)}`, 'bad-structure');
  }
}

function arrayOf(doc: Record<string, unknown>, name: string): unknown[] {
  const value = doc[name];
  return Array.isArray(value) ? value : [];
}

interface PendingObject {
  kind: ObjectKind;
  position: number;
  raw: unknown;
  location: ObjectLocation;
  check: ShapeCheck<unknown>;
  problems: FieldProblem[];
}

/**
 * Validates a parsed JSON exchange document. Throws FileRefusedError (naming `fileName`) when the
 * document as a whole is not the format; otherwise every object is accepted or rejected on its own.
 * Objects come back sources first, then records, relationships and events, each in file order.
 */
export async function validateExchangeDocument(doc: unknown, fileName: string, options: ValidationOptions = {}): Promise<ValidatedDocument> {
  checkStructure(doc, fileName);
  const index = new IdIndex();
  const birthKeys = new Map<string, string>();
  const context: ReferenceContext = {
    index,
    knownIds: cachedKnownIds(options.knownIds),
    place: (kind, position) => `${ARRAY_OF[kind]}[${position}]`,
    scope: 'in this file',
  };

  // First every id, so that a reference may point anywhere in the file (an event's `about` often
  // points to a later line of the array). The first holder of a duplicated id keeps it.
  const duplicates = new Map<string, FieldProblem>();
  for (const [name, kind] of ARRAYS) {
    arrayOf(doc, name).forEach((raw, position) => {
      const id = idOf(raw);
      if (id === undefined) return;
      const holder = index.add(id, kind, position);
      if (holder !== undefined) {
        duplicates.set(`${name}[${position}]`, { field: 'id', message: `id ${quote(id)} is used again: ${context.place(holder.kind, holder.position)} already has it` });
      }
      if (kind === 'record') {
        const born = birthKeyOf(raw);
        if (born !== undefined && !birthKeys.has(id)) birthKeys.set(id, born);
      }
    });
  }

  const pending: PendingObject[] = [];
  for (const [name, kind] of ARRAYS) {
    const objects = arrayOf(doc, name);
    for (let position = 0; position < objects.length; position += 1) {
      const raw = objects[position];
      const object = `${name}[${position}]`;
      const id = idOf(raw);
      const location: ObjectLocation = id === undefined ? { object } : { object, id };
      const check = checkObject(kind, raw, (recordId) => birthKeys.get(recordId), NO_EXTRA);
      const duplicate = duplicates.get(object);
      const problems = [...(duplicate ? [duplicate] : []), ...check.problems, ...(await referenceProblems(check.references, context, false))];
      if (problems.length > 0 && id !== undefined) index.reject(id, kind, position);
      pending.push({ kind, position, raw, location, check, problems });
    }
  }

  // Then objects that refer to a rejected object are rejected too, until nothing changes (an
  // event can be `about` an event that is itself about a rejected one).
  for (let changed = true; changed; ) {
    changed = false;
    for (const item of pending) {
      if (item.problems.length > 0 || item.check.normalised === undefined) continue;
      const problems = await referenceProblems(item.check.references, context, true);
      if (problems.length === 0) continue;
      item.problems.push(...problems);
      if (item.location.id !== undefined) index.reject(item.location.id, item.kind, item.position);
      changed = true;
    }
  }

  const hasScenario = ['expect', 'expectNot', 'incident'].some((name) => doc[name] !== undefined && doc[name] !== null);
  return {
    title: typeof doc.title === 'string' ? doc.title : undefined,
    warnings: locate({ object: 'file' }, unknownFieldWarnings(doc, KNOWN.file, 'the file')),
    items: pending.map((item) => toItem(item.kind, item.raw, item.location, item.check, item.problems)),
    scenario: hasScenario ? await checkScenario(doc, context) : null,
  };
}

async function checkScenarioItem<T>(
  schema: z.ZodType<T>,
  known: KnownFields,
  what: string,
  raw: unknown,
  location: ObjectLocation,
  context: ReferenceContext,
): Promise<ScenarioItem<T>> {
  const check = checkShape(schema, raw, known, what, REFERENCE_FIELDS.scenario);
  const problems = [...check.problems, ...(await referenceProblems(check.references, context, true))];
  const warnings = locate(location, check.warnings);
  if (problems.length > 0 || check.normalised === undefined) {
    return { status: 'rejected', object: raw, location, rejections: locate(location, problems), warnings };
  }
  return { status: 'accepted', object: raw, normalised: check.normalised, location, warnings };
}

async function checkScenario(doc: Record<string, unknown>, context: ReferenceContext): Promise<ScenarioParts> {
  const expect: ScenarioItem<Expectation>[] = [];
  for (const [i, raw] of arrayOf(doc, 'expect').entries()) {
    expect.push(await checkScenarioItem(expectSchema, KNOWN.expect, 'an expectation', raw, { object: `expect[${i}]` }, context));
  }
  const expectNot: ScenarioItem<ExpectationNot>[] = [];
  for (const [i, raw] of arrayOf(doc, 'expectNot').entries()) {
    expectNot.push(await checkScenarioItem(expectNotSchema, KNOWN.expectNot, 'an expectNot entry', raw, { object: `expectNot[${i}]` }, context));
  }
  const incident = isPlainObject(doc.incident)
    ? await checkScenarioItem(incidentSchema, KNOWN.incident, 'the incident', doc.incident, { object: 'incident' }, context)
    : null;
  return { expect, expectNot, incident };
}

// ---------------------------------------------------------------------------------------------
// NDJSON, one line at a time.

const LINE_KINDS: readonly string[] = KINDS;
const NDJSON_EXTRA: ReadonlySet<string> = new Set(['object']);

/** The header line of an NDJSON file, checked: its title and any warnings. */
export interface NdjsonHeader {
  title: string | undefined;
  warnings: Issue[];
}

/** Reads and checks the header line (line 1). Throws FileRefusedError when it is not a header of this format. */
export function checkNdjsonHeader(text: string, fileName: string): NdjsonHeader {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    header = undefined;
  }
  if (!isPlainObject(header) || header.object !== 'header') {
    throw new FileRefusedError(
      `${fileName} was refused as a whole: it is read as NDJSON, but its first line is not the header {"object":"header","format":"${EXCHANGE_FORMAT}"}.`,
      'no-header',
    );
  }
  if (header.format !== EXCHANGE_FORMAT) {
    const found = header.format === undefined ? 'has no "format"' : `has "format" ${describeValue(header.format)}`;
    throw new FileRefusedError(`${fileName} was refused as a whole: its header ${found}, but this version reads only "${EXCHANGE_FORMAT}".`, 'not-exchange-format');
  }
  if (header.title !== undefined && header.title !== null && typeof header.title !== 'string') {
    throw new FileRefusedError(`${fileName} was refused as a whole: the header's "title" must be text, but it is ${describeValue(header.title)}.`, 'bad-structure');
  }
  return {
    title: typeof header.title === 'string' ? header.title : undefined,
    warnings: locate({ object: 'line 1' }, unknownFieldWarnings(header, KNOWN.header, 'the header')),
  };
}

export interface NdjsonValidatorOptions extends ValidationOptions {
  /**
   * Keep the ids of the file's objects in memory (default true), to resolve references to earlier
   * lines and to find ids used twice (well under 100 bytes an id). Set false only when the caller stores
   * each accepted object before asking for the next, so that `knownIds` answers for earlier lines.
   */
  trackFileIds?: boolean;
}

/**
 * Validates the lines of an NDJSON file after its header, in order. A reference may name an object
 * on an earlier line or one imported before. Only ids (and records' dates of birth) are kept.
 */
export class NdjsonValidator {
  private readonly index: IdIndex | null;
  private readonly birthKeys = new Map<string, string>();
  private readonly birthDateOf: BirthDates = (recordId) => this.birthKeys.get(recordId);
  private readonly context: ReferenceContext;

  constructor(options: NdjsonValidatorOptions = {}) {
    this.index = options.trackFileIds === false ? null : new IdIndex();
    this.context = {
      index: this.index,
      knownIds: cachedKnownIds(options.knownIds),
      place: (_kind, position) => `line ${position}`,
      scope: 'earlier in this file',
    };
  }

  /**
   * Validates line `lineNumber` (1-based, as an editor counts). `complete` is false for a last line
   * with no line ending, which is how a cut-off file ends. Returns null for a blank line.
   */
  async validateLine(lineNumber: number, text: string, complete = true): Promise<ExchangeItem | null> {
    if (text.trim() === '') return null;
    const place = `line ${lineNumber}`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { status: 'rejected', kind: null, object: text, location: { object: place }, rejections: locate({ object: place }, [notJsonProblem(error, complete)]), warnings: [] };
    }
    const id = idOf(raw);
    const location: ObjectLocation = id === undefined ? { object: place } : { object: place, id };
    const kindProblem = lineKindProblem(raw);
    if (kindProblem !== null) return { status: 'rejected', kind: null, object: raw, location, rejections: locate(location, [kindProblem]), warnings: [] };
    const kind = (raw as { object: ObjectKind }).object;

    const check = checkObject(kind, raw, this.birthDateOf, NDJSON_EXTRA);
    const problems: FieldProblem[] = [];
    const holder = id === undefined || this.index === null ? undefined : this.index.add(id, kind, lineNumber);
    if (holder !== undefined) problems.push({ field: 'id', message: `id ${quote(id!)} is used again: line ${holder.position} already has it` });
    problems.push(...check.problems, ...(await referenceProblems(check.references, this.context, true)));
    if (id !== undefined && this.index !== null && holder === undefined && problems.length > 0) this.index.reject(id, kind, lineNumber);
    if (kind === 'record' && id !== undefined) {
      const born = birthKeyOf(raw);
      if (born !== undefined && !this.birthKeys.has(id)) this.birthKeys.set(id, born);
    }
    return toItem(kind, raw, location, check, problems);
  }
}

function notJsonProblem(error: unknown, complete: boolean): FieldProblem {
  if (!complete) {
    return { field: null, message: 'this line is not complete JSON, and it is the last line with no line ending: the file was probably cut off' };
  }
  const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  return { field: null, message: position === undefined ? 'this line is not valid JSON' : `this line is not valid JSON (the problem is at character ${Number(position) + 1})` };
}

function lineKindProblem(raw: unknown): FieldProblem | null {
  if (!isPlainObject(raw)) return NOT_AN_OBJECT;
  const kind = raw.object;
  if (kind === undefined) return { field: 'object', message: 'object is missing (each line says what it is: "source", "record", "relationship" or "event")' };
  if (kind === 'header') return { field: 'object', message: 'object "header" may only be on the first line' };
  if (typeof kind !== 'string' || !LINE_KINDS.includes(kind)) {
    return { field: 'object', message: `object ${describeValue(kind)} is not one of: source, record, relationship, event` };
  }
  return null;
}

/**
 * The normalised form of an object kept as received (it passed validation when it arrived, and the
 * reading is deterministic), without warnings or reference checks; undefined if it no longer reads.
 */
export function normaliseReceived<K extends ObjectKind>(kind: K, raw: unknown): NormalisedByKind[K] | undefined {
  return checkObject(kind, raw, () => undefined, NDJSON_EXTRA).normalised as NormalisedByKind[K] | undefined;
}
