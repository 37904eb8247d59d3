// The Throughline exchange format, version 1 (the shared spec, `exchange-format.md`), as zod
// schemas: every object, every event type with its own fields, and every code list. Parsing with
// these gives the normalised form of an object (dates read, defaults filled in); the object as
// received is kept beside it by the reader, untouched.
//
// Every schema gives its own error text, written to follow the field name ("is missing",
// `"2019-13-02" is not a date`, "must be true or false, not \"yes\""), so that a parse failure
// becomes `date "2019-13-02" is not a date` without guessing from zod's generic messages.
//
// Where the spec does not say whether a field is required, an event type's defining field (the
// one without which the event says nothing: an appointment's status, a factor's code) is required
// and every other field is optional. docs/import-format.md lists them.
import { z } from 'zod';
import { parseExchangeDate, type NormalisedDate } from './exchange-dates.js';
import { describeValue, quote } from './exchange-issues.js';
import { checkNhsNumber } from './uk-identifiers.js';

/** The `format` value of every file (and NDJSON header) this version reads. */
export const EXCHANGE_FORMAT = 'throughline-exchange/1';

// ---------------------------------------------------------------------------------------------
// Code lists, exactly as the spec gives them.

/** `sources[].agency`; also the codes in `dissent` lists and `lateral-check.with`. */
export const AGENCIES = [
  'childrens-social-care', 'early-help', 'health-visiting', 'midwifery', 'gp', 'hospital', 'community-health',
  'ambulance', 'school', 'early-years', 'police', 'housing', 'adult-mental-health', 'drug-alcohol-service',
  'adult-social-care', 'leaving-care', 'probation', 'voluntary-sector', 'other-local-authority', 'public', 'other',
] as const;
export type Agency = (typeof AGENCIES)[number];

/** Referral source (`contact.from`, `referral.from`): the DfE children-in-need census list. */
export const REFERRAL_SOURCE_CODES = [
  '1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10',
] as const;
export type ReferralSourceCode = (typeof REFERRAL_SOURCE_CODES)[number];

/** The service a contact or referral went to (`contact.to`, `referral.to`). */
export const REFERRAL_TARGETS = [
  'childrens-social-care', 'early-help', 'health-visiting', 'community-health', 'adult-mental-health',
  'drug-alcohol-service', 'housing', 'police', 'other',
] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

/**
 * Children-in-need census "factors identified at the end of assessment", as the spec lists them.
 * The census also has 8B-8F (private fostering), 9A (unaccompanied asylum-seeking child), 12A
 * (trafficking) and 13A (gangs); the spec leaves them out, so they are not accepted here.
 */
export const CIN_FACTOR_CODES = [
  '1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C', '4A', '4B', '4C', '5A', '5B', '5C', '6A', '6B', '6C',
  '7A', '10A', '11A', '14A', '15A', '16A', '17A', '18B', '18C', '19B', '19C', '20', '21', '22A', '23A', '24A',
] as const;
/** The factor codes this system adds to the census list. */
export const EXTRA_FACTOR_CODES = [
  'care-leaver', 'previous-child-removed', 'debt', 'housing-instability', 'homeless', 'criminality', 'additional-needs',
] as const;
/** Every code `factor.code` and `assessment.factors` accept. */
export const FACTOR_CODES = [...CIN_FACTOR_CODES, ...EXTRA_FACTOR_CODES] as const;
export type FactorCode = (typeof FACTOR_CODES)[number];

/** Concern codes (`concerns`, `observation.domain`): the six kinds of neglect, then the rest. */
export const CONCERN_CODES = [
  'neglect-medical', 'neglect-nutritional', 'neglect-emotional', 'neglect-educational', 'neglect-physical',
  'neglect-supervision', 'home-conditions', 'hygiene', 'development', 'behaviour', 'domestic-abuse',
  'substance-misuse', 'mental-health', 'physical-abuse', 'sexual-abuse', 'emotional-abuse', 'financial', 'housing',
  'injury', 'other',
] as const;
export type ConcernCode = (typeof CONCERN_CODES)[number];

export const RECORD_KINDS = ['person', 'unborn'] as const;
export const SEXES = ['female', 'male', 'unknown'] as const;

/** `relationships[].type`: "`from` is the `type` of `to`". */
export const RELATIONSHIP_TYPES = [
  'mother', 'father', 'step-parent', 'partner', 'carer', 'sibling', 'half-sibling', 'grandparent', 'household-member',
  'unborn-child-of',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

export const EVENT_TYPES = [
  'contact', 'referral', 'concern', 'lateral-check', 'threshold-decision', 'strategy-discussion', 'section-47',
  'assessment', 'plan-start', 'plan-end', 'meeting', 'appointment', 'home-visit', 'attendance-summary',
  'ed-attendance', 'police-incident', 'pregnancy', 'birth', 'household', 'move', 'factor', 'service',
  'care-proceedings', 'observation', 'child-voice', 'escalation', 'case-audit', 'incident',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const THRESHOLD_OUTCOMES = ['no-further-action', 'universal', 'early-help', 'assessment', 'strategy-discussion'] as const;
export const STRATEGY_OUTCOMES = ['section-47', 'child-in-need', 'no-further-action'] as const;
export const SECTION_47_OUTCOMES = ['icpc', 'child-in-need', 'no-further-action'] as const;
export const ASSESSMENT_KINDS = ['child-and-family', 'early-help', 'pre-birth', 'parenting', 'neglect-tool', 'cognitive', 'other'] as const;
export const ASSESSMENT_STATUSES = ['started', 'completed'] as const;
export const PLANS = ['early-help', 'child-in-need', 'child-protection', 'looked-after'] as const;
export type Plan = (typeof PLANS)[number];
/** Child protection plan categories (CIN census three-letter codes). */
export const PLAN_CATEGORIES = ['NEG', 'PHY', 'EMO', 'SAB', 'MUL'] as const;
export const PLAN_END_REASONS = ['improvement', 'step-down', 'step-up', 'non-engagement', 'moved-area', 'transferred', 'care-order', 'other'] as const;
export const MEETING_KINDS = ['cin-review', 'core-group', 'icpc', 'rcpc', 'team-around-family', 'strategy', 'early-years-forum', 'legal-gateway', 'other'] as const;
export const MEETING_PROGRESS = ['improved', 'none', 'worse'] as const;
export const APPOINTMENT_STATUSES = ['attended', 'was-not-brought', 'did-not-attend', 'cancelled-by-family', 'cancelled-by-service', 'rearranged'] as const;
export const HOME_VISIT_OUTCOMES = ['completed', 'no-access', 'declined', 'seen-outside-home', 'virtual'] as const;
export const ATTENDANCE_SETTINGS = ['school', 'early-years'] as const;
export const ED_REASONS = ['ingestion', 'injury', 'illness', 'breathing', 'other'] as const;
export const POLICE_INCIDENT_KINDS = ['domestic-abuse', 'child-unsupervised', 'missing', 'welfare', 'assault', 'drugs', 'other'] as const;
export const HOUSEHOLD_CHANGES = ['joined', 'left'] as const;
export const FACTOR_STATUSES = ['present', 'resolved'] as const;
export const SERVICES = ['drug-alcohol-treatment', 'adult-mental-health', 'leaving-care', 'probation', 'learning-disability', 'send', 'camhs', 'community-paediatrics', 'portage', 'other'] as const;
export const SERVICE_STATUSES = ['open', 'closed'] as const;
export const CARE_PROCEEDINGS_OUTCOMES = ['started', 'care-order', 'placement-order', 'supervision-order', 'withdrawn'] as const;
export const ESCALATION_STATUSES = ['raised', 'resolved'] as const;
export const CASE_AUDIT_RATINGS = ['good', 'requires-improvement', 'inadequate'] as const;
export const INCIDENT_KINDS = ['death', 'near-fatal', 'serious-harm'] as const;

// ---------------------------------------------------------------------------------------------
// Field builders. Each message continues the field name.

type IssueInput = { input?: unknown };

/** "is missing" when absent, else "must be <expected>, not <what it was>". */
function missingOr(expected: string): (issue: IssueInput) => string {
  return (issue) => (issue.input === undefined ? 'is missing' : `must be ${expected}, not ${describeValue(issue.input)}`);
}

/** Free text, as recorded. */
function text() {
  return z.string({ error: missingOr('text') });
}

/** An id, or a reference to one (references are checked against the file by the validator). */
function id(what: string) {
  return z.string({ error: missingOr(`${what} (text)`) }).min(1, { error: 'must not be empty' });
}

/** A value from a code list; `noun` names the list in messages ("an agency code"), or the values are listed. */
function code<const T extends readonly [string, ...string[]]>(values: T, noun?: string) {
  const expected = noun ?? `one of: ${values.join(', ')}`;
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? 'is missing'
        : typeof issue.input === 'string'
          ? `${quote(issue.input)} is not ${expected}`
          : `must be ${expected}, not ${describeValue(issue.input)}`,
  });
}

function flag() {
  return z.boolean({ error: missingOr('true or false') });
}

/** A whole number in a range (a threshold level, a count of sessions). */
function wholeNumber(min: number, max?: number) {
  const expected = max === undefined ? `a whole number, ${min} or more` : `a whole number from ${min} to ${max}`;
  return z
    .number({ error: missingOr(expected) })
    .refine((n) => Number.isInteger(n) && n >= min && (max === undefined || n <= max), {
      error: (issue) => `must be ${expected}, not ${describeValue(issue.input)}`,
    });
}

/** A date in any form the format accepts, read into a NormalisedDate. */
function date() {
  return z.string({ error: missingOr('a date written as text, such as "2019-05-02"') }).transform((value, ctx): NormalisedDate => {
    const reading = parseExchangeDate(value);
    if (reading.ok) return reading.date;
    ctx.issues.push({ code: 'custom', message: `${quote(value)} ${reading.problem}`, input: value });
    return z.NEVER;
  });
}

function list<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: missingOr(`a list of ${what}`) });
}

/** A copy of an object without its null-valued keys: many systems export a missing value as null, and the format treats it as absent. */
export function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  // Most objects have no null at all: return them as they are rather than copy every one.
  let hasNull = false;
  for (const key in value) if ((value as Record<string, unknown>)[key] === null) hasNull = true;
  if (!hasNull) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/** An object of known fields (unknown fields are dropped from the normalised form; the validator warns about them). */
function record<S extends z.ZodRawShape>(shape: S, what: string) {
  return z.object(shape, { error: missingOr(what) });
}

const recordId = () => id('a record id');
const recordIds = () => list(recordId(), 'record ids');
const agencies = () => list(code(AGENCIES, 'an agency code'), 'agency codes');

// ---------------------------------------------------------------------------------------------
// Sources, records, relationships.

/** The fields of an address (records, and `move` events). */
export const ADDRESS_SHAPE = {
  line1: text().optional(),
  line2: text().optional(),
  town: text().optional(),
  postcode: text().optional(),
  // A UPRN is a number of up to 12 digits; systems send it as text or as a number. Kept as text.
  uprn: z
    .union([z.string(), z.number().int().nonnegative()], { error: missingOr('a UPRN (text or a whole number)') })
    .transform(String)
    .optional(),
  from: date().optional(),
  to: date().optional(),
};
const addressSchema = z.preprocess(withoutNulls, record(ADDRESS_SHAPE, 'an address (an object)'));

export const SOURCE_SHAPE = {
  id: id('an id'),
  agency: code(AGENCIES, 'an agency code'),
  name: text(),
  authority: text().optional(),
};
export const sourceSchema = record(SOURCE_SHAPE, 'an object');

export const RECORD_SHAPE = {
  id: id('an id'),
  source: id('a source id'),
  sourceRecordId: text().optional(),
  kind: code(RECORD_KINDS).default('person'),
  givenName: text().optional(),
  familyName: text().optional(),
  otherNames: list(text(), 'names').optional(),
  dateOfBirth: date().optional(),
  expectedDate: date().optional(),
  sex: code(SEXES).optional(),
  // Kept as recorded, with the digits and whether the check digit is right: an invalid number is a
  // warning and is not used for matching (spec), never a reason to refuse the person.
  nhsNumber: z
    .string({ error: missingOr('text (10 digits, spaces allowed)') })
    .transform((value) => ({ value, ...checkNhsNumber(value) }))
    .optional(),
  upn: text().optional(),
  address: addressSchema.optional(),
  phone: text().optional(),
  restricted: flag().optional(),
  ethnicity: text().optional(),
  firstLanguage: text().optional(),
  interpreterNeeded: flag().optional(),
  religion: text().optional(),
  disability: text().optional(),
  recorded: date().optional(),
};
export const recordSchema = record(RECORD_SHAPE, 'an object');

export const RELATIONSHIP_SHAPE = {
  id: id('an id'),
  source: id('a source id'),
  from: recordId().optional(),
  to: recordId(),
  type: code(RELATIONSHIP_TYPES),
  start: date().optional(),
  end: date().optional(),
  livesElsewhere: flag().optional(),
  fatherUnknown: flag().optional(),
  recorded: date().optional(),
};
export const relationshipSchema = record(RELATIONSHIP_SHAPE, 'an object').superRefine((link, ctx) => {
  // `from` may be left out only where the source recorded that the father is not known.
  if (link.fatherUnknown === true && link.type !== 'father') {
    ctx.addIssue({ code: 'custom', path: ['fatherUnknown'], message: `is only for a father link, not ${quote(link.type)}` });
  } else if (link.fatherUnknown === true && link.from !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['fatherUnknown'], message: 'is true, but from names the father (leave from out when the father is not known)' });
  } else if (link.from === undefined && link.fatherUnknown !== true) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'is missing (only a father link with fatherUnknown: true may leave it out)' });
  }
});

// ---------------------------------------------------------------------------------------------
// Events.

/** Fields every event has. */
export const EVENT_COMMON_SHAPE = {
  id: id('an id'),
  source: id('a source id'),
  type: code(EVENT_TYPES, 'an event type'),
  date: date(),
  recorded: date().optional(),
  subjects: recordIds().min(1, { error: 'must name at least one record' }),
  participants: recordIds().optional(),
  summary: text().optional(),
  significant: flag().optional(),
  restricted: flag().optional(),
  concerns: list(code(CONCERN_CODES, 'a concern code'), 'concern codes').optional(),
  about: list(id('an event id'), 'event ids').optional(),
};
/** The common fields alone, used to report what can be reported when an event's type is not known. */
export const eventCommonSchema = record(EVENT_COMMON_SHAPE, 'an object');

function eventSchema<const T extends EventType, S extends z.ZodRawShape>(type: T, shape: S) {
  return record({ ...EVENT_COMMON_SHAPE, type: z.literal(type), ...shape }, 'an object');
}

const referralFields = {
  from: code(REFERRAL_SOURCE_CODES, 'a referral-source code').optional(),
  to: code(REFERRAL_TARGETS).optional(),
  anonymous: flag().optional(),
};

/** One schema per event type: the common fields plus the type's own. */
export const EVENT_SCHEMAS = {
  contact: eventSchema('contact', referralFields),
  referral: eventSchema('referral', { ...referralFields, preBirth: flag().optional() }),
  concern: eventSchema('concern', {}),
  'lateral-check': eventSchema('lateral-check', { with: code(AGENCIES, 'an agency code'), outcome: text().optional() }),
  'threshold-decision': eventSchema('threshold-decision', {
    level: wholeNumber(1, 4).optional(),
    outcome: code(THRESHOLD_OUTCOMES),
    rationale: text().optional(),
    historyConsidered: flag().optional(),
  }),
  'strategy-discussion': eventSchema('strategy-discussion', { outcome: code(STRATEGY_OUTCOMES).optional(), dissent: agencies().optional() }),
  'section-47': eventSchema('section-47', { outcome: code(SECTION_47_OUTCOMES).optional() }),
  assessment: eventSchema('assessment', {
    kind: code(ASSESSMENT_KINDS),
    status: code(ASSESSMENT_STATUSES),
    factors: list(code(FACTOR_CODES, 'a factor code'), 'factor codes').optional(),
    outcome: text().optional(),
    grades: z.record(z.string(), wholeNumber(1, 5), { error: missingOr('an object of domain: grade (1 to 5)') }).optional(),
  }),
  'plan-start': eventSchema('plan-start', { plan: code(PLANS), category: code(PLAN_CATEGORIES).optional(), authority: text().optional() }),
  'plan-end': eventSchema('plan-end', {
    plan: code(PLANS),
    reason: code(PLAN_END_REASONS).optional(),
    dissent: agencies().optional(),
    stepTo: code(PLANS).optional(),
  }),
  meeting: eventSchema('meeting', {
    kind: code(MEETING_KINDS),
    held: flag().default(true),
    progress: code(MEETING_PROGRESS).optional(),
    dissent: agencies().optional(),
    decision: text().optional(),
  }),
  appointment: eventSchema('appointment', { service: text().optional(), status: code(APPOINTMENT_STATUSES) }),
  'home-visit': eventSchema('home-visit', {
    outcome: code(HOME_VISIT_OUTCOMES),
    childSeen: flag().optional(),
    childSeenAlone: flag().optional(),
  }),
  'attendance-summary': eventSchema('attendance-summary', {
    setting: code(ATTENDANCE_SETTINGS),
    from: date(),
    to: date(),
    possibleSessions: wholeNumber(0),
    attendedSessions: wholeNumber(0),
    unauthorisedSessions: wholeNumber(0).optional(),
  }),
  'ed-attendance': eventSchema('ed-attendance', { reason: code(ED_REASONS), admitted: flag().optional() }),
  'police-incident': eventSchema('police-incident', { kind: code(POLICE_INCIDENT_KINDS), childrenPresent: recordIds().optional() }),
  pregnancy: eventSchema('pregnancy', {
    expectedDate: date().optional(),
    gestationWeeks: z
      .number({ error: missingOr('a number of weeks') })
      .refine((n) => n >= 0, { error: (issue) => `must be a number of weeks, 0 or more, not ${describeValue(issue.input)}` })
      .optional(),
    // One unborn record, or a list for twins; normalised to a list.
    unborn: z
      .preprocess((v) => (typeof v === 'string' ? [v] : v), list(recordId(), 'record ids').min(1, { error: 'must name at least one record' }))
      .optional(),
  }),
  birth: eventSchema('birth', { child: recordId(), unborn: recordId().optional() }),
  household: eventSchema('household', { change: code(HOUSEHOLD_CHANGES), person: recordId() }),
  move: eventSchema('move', { address: addressSchema.optional(), authority: text().optional() }),
  factor: eventSchema('factor', { code: code(FACTOR_CODES, 'a factor code'), status: code(FACTOR_STATUSES) }),
  service: eventSchema('service', { service: code(SERVICES), status: code(SERVICE_STATUSES) }),
  'care-proceedings': eventSchema('care-proceedings', { outcome: code(CARE_PROCEEDINGS_OUTCOMES) }),
  observation: eventSchema('observation', { domain: code(CONCERN_CODES, 'a concern code').optional() }),
  'child-voice': eventSchema('child-voice', { method: text().optional() }),
  escalation: eventSchema('escalation', { stage: wholeNumber(1, 4).optional(), status: code(ESCALATION_STATUSES) }),
  'case-audit': eventSchema('case-audit', { rating: code(CASE_AUDIT_RATINGS), recommendation: text().optional() }),
  incident: eventSchema('incident', { kind: code(INCIDENT_KINDS) }),
} satisfies Record<EventType, z.ZodType>;

// ---------------------------------------------------------------------------------------------
// Scenario parts.

export const EXPECT_SHAPE = {
  rule: id('a rule id'),
  subject: recordId(),
  by: date(),
  after: date().optional(),
  why: text().optional(),
};
export const expectSchema = record(EXPECT_SHAPE, 'an object');

export const EXPECT_NOT_SHAPE = {
  rule: id('a rule id'),
  subject: recordId(),
  before: date().optional(),
  why: text().optional(),
};
export const expectNotSchema = record(EXPECT_NOT_SHAPE, 'an object');

export const INCIDENT_SHAPE = {
  date: date(),
  kind: code(INCIDENT_KINDS),
  subject: recordId(),
};
export const incidentSchema = record(INCIDENT_SHAPE, 'an object');

// ---------------------------------------------------------------------------------------------
// Normalised types.

export type NormalisedAddress = z.output<typeof addressSchema>;
export type NormalisedSource = z.output<typeof sourceSchema>;
export type NormalisedRecord = z.output<typeof recordSchema>;
export type NormalisedRelationship = z.output<typeof relationshipSchema>;
/** An event of one type, normalised. */
export type NormalisedEventOf<T extends EventType> = z.output<(typeof EVENT_SCHEMAS)[T]>;
/** Any event, normalised; `type` tells which. */
export type NormalisedEvent = { [T in EventType]: NormalisedEventOf<T> }[EventType];
export type Expectation = z.output<typeof expectSchema>;
export type ExpectationNot = z.output<typeof expectNotSchema>;
export type ScenarioIncident = z.output<typeof incidentSchema>;

/** The four kinds of object a file holds. */
export type ObjectKind = 'source' | 'record' | 'relationship' | 'event';

/** The normalised form of each kind of object. */
export interface NormalisedByKind {
  source: NormalisedSource;
  record: NormalisedRecord;
  relationship: NormalisedRelationship;
  event: NormalisedEvent;
}

/** True when `type` is an event type of this format version. */
export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type);
}
