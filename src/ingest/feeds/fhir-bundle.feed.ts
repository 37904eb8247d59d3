// A health trust's FHIR R4 Bundle (JSON) of Patient, Appointment and Encounter resources, turned
// into exchange records and events: a Patient is a person record (its NHS number from the NHS
// identifier system only), an Appointment an appointment event ("was not brought" for a child who
// did not come), an emergency Encounter an ed-attendance event. Other resources are skipped.
//
// The Bundle is one JSON document, so it is scanned as a stream (json-array-stream.ts) and each
// entry parsed on its own. It is read twice: first for the Patients (records, and each one's date
// of birth, which an appointment needs to tell "was not brought" from "did not attend"), then for
// the Appointments and Encounters. Servers often put patients last (a search with _include), and
// the importer resolves a reference only to an object on an earlier line, so records must come
// out first. Only each patient's id and date of birth are held between the passes.
//
// "resourceType": "Bundle" is checked before any entry is used. FHIR servers write it first; a
// file whose entries come before it (keys sorted, say) is read once more so that nothing is used
// before it is known to be a Bundle.
import { basename } from 'node:path';
import { quote } from '../exchange-issues.js';
import type { FeedItem, FeedProblem, ReadFeedOptions } from './feed.js';
import { dayOf, feedFileSize, isUnder18On, nhsNumberProblem, postcodeProblem, refuse, rejected, sourceObject, warning } from './feed-fields.js';
import { memberText, scanJsonArrayMember, type JsonStreamEvent } from './json-array-stream.js';

/** The identifier system of the NHS number; an identifier of any other system is not an NHS number. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const SNOMED = 'http://snomed.info/sct';
const CANCELLATION_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';
const DISCHARGE_DISPOSITION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';

/** FHIR Appointment.status → exchange appointment status; `noshow` and `cancelled` depend on the patient and the reason. */
export const APPOINTMENT_STATUS_MAP = {
  fulfilled: 'attended',
  arrived: 'attended',
  'checked-in': 'attended',
  noshow: 'was-not-brought or did-not-attend',
  cancelled: 'cancelled-by-family or cancelled-by-service',
  booked: 'skipped',
  proposed: 'skipped',
  pending: 'skipped',
  waitlist: 'skipped',
  'entered-in-error': 'skipped, with a warning',
} as const;
type AppointmentStatus = keyof typeof APPOINTMENT_STATUS_MAP;

/** HL7 appointment-cancellation-reason codes that mean the patient (for a child, the family) cancelled: `pat` and everything under it. */
export const PATIENT_SIDE_CANCELLATION_CODES: readonly string[] = [
  'pat', 'pat-crs', 'pat-cpp', 'pat-dec', 'pat-fb', 'pat-lt', 'pat-mt', 'pat-mv', 'pat-preg', 'pat-swl', 'pat-ucp',
];
/** Words in a cancellation reason's text (when it has no HL7 code) that mean the family cancelled, unless a word of the service's is there too. */
const FAMILY_WORDS = /\b(patient|parents?|family|carers?|guardians?|mother|father|mum|dad|self)\b/i;
const SERVICE_WORDS = /\b(clinic|clinician|provider|hospital|doctor|consultant|nurse|staff|service|trust|practitioner)\b/i;

/** FHIR Encounter.status values of an encounter that happened (or is happening). */
const ENCOUNTER_HAPPENED = new Set(['arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'unknown']);
/** Encounter.status values of an encounter that did not happen: skipped without a word. */
const ENCOUNTER_NOT_HAPPENED = new Set(['planned', 'cancelled']);

/** SNOMED CT codes in Encounter.type or serviceType that mean an emergency department (or urgent care) attendance. */
export const ED_SERVICE_CODES: Readonly<Record<string, string>> = {
  '4525004': 'Emergency department patient visit',
  '50849002': 'Emergency room admission',
};
/** Text (Encounter.type, serviceType) that means an emergency department or urgent care attendance. */
const ED_SERVICE_WORDS = /\b(emergency department|accident (and|&) emergency|emergency (care|medicine)|urgent (treatment|care)|minor injur(y|ies)|walk-in centre)\b|(^|[^a-z])a ?& ?e([^a-z]|$)/i;

type EdReason = 'ingestion' | 'injury' | 'breathing' | 'illness' | 'other';
/** The order reasons are chosen in when an encounter gives several: the most specific safeguarding signal first. */
const REASON_ORDER: readonly EdReason[] = ['ingestion', 'injury', 'breathing', 'illness'];

/** SNOMED CT codes in Encounter.reasonCode (or type) and the ed-attendance reason each means. */
export const ED_REASON_CODES: Readonly<Record<string, { reason: EdReason; term: string }>> = {
  '75478009': { reason: 'ingestion', term: 'Poisoning (disorder)' },
  '417746004': { reason: 'injury', term: 'Traumatic injury (disorder)' },
  '125605004': { reason: 'injury', term: 'Fracture of bone (disorder)' },
  '125666000': { reason: 'injury', term: 'Burn (disorder)' },
  '82271004': { reason: 'injury', term: 'Injury of head (disorder)' },
  '267036007': { reason: 'breathing', term: 'Dyspnoea (finding)' },
  '195967001': { reason: 'breathing', term: 'Asthma (disorder)' },
  '49727002': { reason: 'breathing', term: 'Cough (finding)' },
  '386661006': { reason: 'illness', term: 'Fever (finding)' },
  '422400008': { reason: 'illness', term: 'Vomiting (disorder)' },
  '91175000': { reason: 'illness', term: 'Seizure (finding)' },
};

/** Words in a reason's text or display, for each reason (docs/agency-feeds.md lists them). */
export const ED_REASON_WORDS: Readonly<Record<Exclude<EdReason, 'other'>, RegExp>> = {
  ingestion: /\b(ingest\w*|swallow\w*|poison\w*|overdose\w*|toxic\w*|button batter(y|ies)|took (tablets|pills|medicine))\b/i,
  injury: /\b(injur\w*|fractur\w*|broken|burns?|burnt|scald\w*|wounds?|lacerations?|cuts?|bruis\w*|falls?|fell|fallen|sprain\w*|dislocat\w*|trauma\w*|bites?|bitten|assault\w*)\b/i,
  breathing: /\b(breath\w*|asthma\w*|wheez\w*|bronchiolitis|croup|respirator\w*|dyspn\w*|chok\w*|cough\w*)\b/i,
  illness: /\b(fever\w*|febrile|pyrexia|temperature|vomit\w*|diarrh\w*|rash\w*|seizures?|fits?|unwell|ill|illness|infections?|sepsis|dehydrat\w*)\b/i,
};

/** Discharge dispositions (Encounter.hospitalization.dischargeDisposition) and whether they mean the patient was admitted. */
export const DISCHARGE_ADMITTED: Readonly<Record<string, boolean>> = {
  // HL7 discharge-disposition
  home: false,
  'alt-home': false,
  aadvice: false,
  'other-hcf': true,
  psy: true,
  rehab: true,
  // SNOMED CT
  '306689006': false, // Discharge to home
  '306706006': true, // Discharge to ward
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A FHIR element that may be one value or a list (R4 has `class` as one Coding, R5 as a list), as a list. */
function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

interface Coding {
  system: string | undefined;
  code: string | undefined;
  display: string | undefined;
}

/** The codings of CodeableConcepts (or of bare Codings, as R4 `Encounter.class` is). */
function codingsOf(value: unknown): Coding[] {
  const codings: Coding[] = [];
  for (const concept of listOf(value)) {
    if (!isObject(concept)) continue;
    const list = Array.isArray(concept.coding) ? concept.coding : 'code' in concept ? [concept] : [];
    for (const coding of list) {
      if (!isObject(coding)) continue;
      codings.push({
        system: typeof coding.system === 'string' ? coding.system : undefined,
        code: typeof coding.code === 'string' ? coding.code : undefined,
        display: typeof coding.display === 'string' ? coding.display : undefined,
      });
    }
  }
  return codings;
}

/** The words of CodeableConcepts: each `text`, then each coding's `display`. */
function textsOf(value: unknown): string[] {
  const texts: string[] = [];
  for (const concept of listOf(value)) {
    if (!isObject(concept)) continue;
    if (typeof concept.text === 'string') texts.push(concept.text);
  }
  for (const coding of codingsOf(value)) if (coding.display !== undefined) texts.push(coding.display);
  return texts;
}

/** The shortest human name for a CodeableConcept: its text, else its first coding's display. */
function labelOf(value: unknown): string | undefined {
  return textsOf(value)[0];
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The id of the Patient a reference names (`Patient/123`, an absolute URL ending so, or a bundle entry's fullUrl), or null. */
function patientIdOf(reference: unknown, fullUrls: ReadonlyMap<string, string>): string | null {
  if (typeof reference !== 'string') return null;
  const entry = fullUrls.get(reference);
  if (entry !== undefined) return entry;
  const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return match ? match[1]! : null;
}

/** What the first pass learns of each Patient: where it is, and its date of birth (as a sort key). */
interface PatientSeen {
  line: number;
  birthKey: string | undefined;
}

interface Context {
  source: string;
  patients: Map<string, PatientSeen>;
  fullUrls: Map<string, string>;
}

/** One entry, parsed: its resource (and that resource's text as received), or the problem with it. */
type ParsedEntry = { ok: true; resource: Json; resourceType: string; text: string; fullUrl: string | undefined } | { ok: false; problem: FeedProblem };

function parseEntry(event: Extract<JsonStreamEvent, { kind: 'element' }>): ParsedEntry {
  const { line } = event;
  if (event.text === null) {
    const message = event.problem === 'too-long' ? 'this entry is longer than 16 MB, too long to be one resource; it was not read' : 'this entry is not UTF-8 text';
    return { ok: false, problem: rejected(line, null, message) };
  }
  let entry: unknown;
  try {
    entry = JSON.parse(event.text);
  } catch {
    return { ok: false, problem: rejected(line, null, `entry[${event.index}] is not valid JSON`) };
  }
  if (!isObject(entry)) return { ok: false, problem: rejected(line, null, `entry[${event.index}] is not a JSON object ({ ... })`) };
  if (!isObject(entry.resource)) return { ok: false, problem: warning(line, 'resource', `entry[${event.index}] has no resource; nothing in it was read`) };
  const { resource } = entry;
  if (typeof resource.resourceType !== 'string') return { ok: false, problem: rejected(line, 'resourceType', 'resourceType is missing (each resource says what it is)') };
  return {
    ok: true,
    resource,
    resourceType: resource.resourceType,
    text: memberText(event.text, 'resource') ?? JSON.stringify(resource),
    fullUrl: typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined,
  };
}

/** The resource's `id`, checked: a FHIR id, or the problem. */
function resourceId(resource: Json, line: number): { ok: true; id: string } | { ok: false; problem: FeedProblem } {
  const { id } = resource;
  if (id === undefined) return { ok: false, problem: rejected(line, 'id', `id is missing (a ${String(resource.resourceType)} needs its id to be imported)`) };
  if (typeof id !== 'string' || !FHIR_ID.test(id)) {
    return { ok: false, problem: rejected(line, 'id', `id ${typeof id === 'string' ? quote(id) : 'that is not text'} is not a FHIR id (letters, digits, - and ., up to 64)`) };
  }
  return { ok: true, id };
}

// ---------------------------------------------------------------------------------------------
// Patient → record.

const NAME_PREFERENCE = ['official', 'usual'];
const NOT_A_CURRENT_NAME = new Set(['old', 'anonymous', 'maiden', 'nickname', 'temp']);

/** A HumanName's given names (joined) and family name. */
function nameParts(name: Json): { given: string; family: string } {
  const given = Array.isArray(name.given) ? name.given.filter((g): g is string => typeof g === 'string' && g.trim() !== '').join(' ') : '';
  const family = typeof name.family === 'string' ? name.family : '';
  return { given, family };
}

/** The record's name (official, else usual, else the first current one) and the person's other names. */
function namesOf(names: Json[]): { given: string; family: string; others: string[] } {
  const chosen =
    NAME_PREFERENCE.map((use) => names.find((name) => name.use === use)).find((name) => name !== undefined) ??
    names.find((name) => typeof name.use !== 'string' || !NOT_A_CURRENT_NAME.has(name.use)) ??
    names[0];
  const { given, family } = chosen === undefined ? { given: '', family: '' } : nameParts(chosen);
  const full = `${given} ${family}`.trim();
  const others: string[] = [];
  for (const name of names) {
    if (name === chosen) continue;
    const parts = nameParts(name);
    const text = `${parts.given} ${parts.family}`.trim() || (typeof name.text === 'string' ? name.text.trim() : '');
    if (text !== '' && text !== full && !others.includes(text)) others.push(text);
  }
  if (chosen !== undefined && full === '' && typeof chosen.text === 'string' && chosen.text.trim() !== '') others.unshift(chosen.text.trim());
  return { given, family, others };
}

/** The address the record keeps: the first one in use (not `old`, no period end), else the first. */
function addressOf(addresses: Json[]): Json | undefined {
  const current = addresses.find((a) => a.use !== 'old' && !(isObject(a.period) && typeof a.period.end === 'string'));
  return current ?? addresses[0];
}

const GENDERS: Readonly<Record<string, string>> = { male: 'male', female: 'female', other: 'unknown', unknown: 'unknown' };

/** The record (and its problems) a Patient gives, and the date of birth an appointment needs. */
function patientItems(resource: Json, text: string, line: number, context: Context): { items: FeedItem[]; id: string | null; birthKey: string | undefined } {
  const checked = resourceId(resource, line);
  if (!checked.ok) return { items: [checked.problem], id: null, birthKey: undefined };
  const recordId = `${context.source}:Patient/${checked.id}`;
  const problems: FeedProblem[] = [];
  const warnings: FeedProblem[] = [];
  const reject = (field: string, message: string) => problems.push(rejected(line, field, message, recordId));
  const record: Json = { object: 'record', id: recordId, source: context.source, sourceRecordId: checked.id };

  if (resource.name !== undefined && !Array.isArray(resource.name)) reject('name', 'name must be a list of names');
  const names = namesOf(listOf(resource.name).filter(isObject));
  if (names.given !== '') record.givenName = names.given;
  if (names.family !== '') record.familyName = names.family;
  if (names.others.length > 0) record.otherNames = names.others;

  let birthKey: string | undefined;
  if (resource.birthDate !== undefined) {
    const value = resource.birthDate;
    const day = typeof value === 'string' && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value) ? dayOf(value) : null;
    if (day === null) reject('birthDate', `birthDate ${typeof value === 'string' ? quote(value) : 'that is not text'} is not a date`);
    else {
      record.dateOfBirth = value;
      birthKey = day;
    }
  }
  if (resource.gender !== undefined) {
    const sex = typeof resource.gender === 'string' ? GENDERS[resource.gender] : undefined;
    if (sex === undefined) reject('gender', `gender ${typeof resource.gender === 'string' ? quote(resource.gender) : 'that is not text'} is not one of: male, female, other, unknown`);
    else record.sex = sex;
  }

  const identifiers = listOf(resource.identifier);
  const nhsAt = identifiers.findIndex((identifier) => isObject(identifier) && identifier.system === NHS_NUMBER_SYSTEM);
  if (nhsAt !== -1) {
    const value = (identifiers[nhsAt] as Json).value;
    const field = `identifier[${nhsAt}].value`;
    if (typeof value !== 'string') reject(field, `${field} (the NHS number) must be text`);
    else {
      record.nhsNumber = value;
      const problem = nhsNumberProblem(`${field} (the NHS number)`, value);
      if (problem !== null) warnings.push(warning(line, field, problem, recordId));
    }
  }

  const address = addressOf(listOf(resource.address).filter(isObject));
  if (address !== undefined) {
    const lines = Array.isArray(address.line) ? address.line.filter((l): l is string => typeof l === 'string' && l.trim() !== '') : [];
    const parts: Json = {};
    if (lines[0] !== undefined) parts.line1 = lines[0];
    if (lines.length > 1) parts.line2 = lines.slice(1).join(', ');
    if (typeof address.city === 'string' && address.city !== '') parts.town = address.city;
    if (typeof address.postalCode === 'string' && address.postalCode !== '') {
      parts.postcode = address.postalCode;
      const problem = postcodeProblem('address.postalCode', address.postalCode);
      if (problem !== null) warnings.push(warning(line, 'address.postalCode', problem, recordId));
    }
    if (Object.keys(parts).length > 0) record.address = parts;
  }

  const phone = listOf(resource.telecom).find((t): t is Json => isObject(t) && t.system === 'phone' && typeof t.value === 'string' && t.use !== 'old');
  if (phone !== undefined) record.phone = phone.value;

  if (problems.length > 0) return { items: problems, id: checked.id, birthKey };
  return { items: [{ type: 'object', line, object: record, original: text }, ...warnings], id: checked.id, birthKey };
}

// ---------------------------------------------------------------------------------------------
// Appointment → appointment event.

/** Who cancelled: the family (a patient-side HL7 code, or words of the family's), the service, or not said. */
function cancelledBy(reason: unknown): { by: 'family' | 'service'; code: string | undefined } | null {
  const hl7 = codingsOf(reason).find((coding) => coding.system === CANCELLATION_REASON_SYSTEM && coding.code !== undefined);
  if (hl7 !== undefined) return { by: PATIENT_SIDE_CANCELLATION_CODES.includes(hl7.code!) ? 'family' : 'service', code: hl7.code };
  const texts = textsOf(reason);
  if (texts.length === 0) return null;
  const family = texts.some((text) => FAMILY_WORDS.test(text) && !SERVICE_WORDS.test(text));
  return { by: family ? 'family' : 'service', code: undefined };
}

/** The appointment's service: serviceType, else appointmentType, else specialty. */
function serviceOf(resource: Json): string | undefined {
  return labelOf(resource.serviceType) ?? labelOf(resource.appointmentType) ?? labelOf(resource.specialty);
}

function appointmentItems(resource: Json, text: string, line: number, context: Context): FeedItem[] {
  const checked = resourceId(resource, line);
  if (!checked.ok) return [checked.problem];
  const eventId = `${context.source}:Appointment/${checked.id}`;
  const status = resource.status;
  if (typeof status !== 'string' || !Object.prototype.hasOwnProperty.call(APPOINTMENT_STATUS_MAP, status)) {
    const message = status === undefined ? 'status is missing' : `status ${typeof status === 'string' ? quote(status) : 'that is not text'} is not a FHIR appointment status`;
    return [rejected(line, 'status', message, eventId)];
  }
  const fhirStatus = status as AppointmentStatus;
  // Not yet happened: nothing to record (a later file with the outcome records it).
  if (fhirStatus === 'booked' || fhirStatus === 'proposed' || fhirStatus === 'pending' || fhirStatus === 'waitlist') return [];
  if (fhirStatus === 'entered-in-error') {
    return [warning(line, 'status', 'status "entered-in-error": the appointment was recorded in error, so it is not imported (an earlier import of it is not withdrawn)', eventId)];
  }

  const problems: FeedProblem[] = [];
  const warnings: FeedProblem[] = [];
  let date: string | undefined;
  let day: string | null = null;
  if (resource.start === undefined) problems.push(rejected(line, 'start', 'start is missing (the appointment needs its date)', eventId));
  else if (typeof resource.start !== 'string' || (day = dayOf(resource.start)) === null) {
    const value = resource.start;
    problems.push(rejected(line, 'start', `start ${typeof value === 'string' ? quote(value) : 'that is not text'} is not a date and time with its offset`, eventId));
  } else date = resource.start;

  const subjects: string[] = [];
  for (const participant of listOf(resource.participant)) {
    if (!isObject(participant) || !isObject(participant.actor)) continue;
    const id = patientIdOf(participant.actor.reference, context.fullUrls);
    if (id !== null && !subjects.includes(id)) subjects.push(id);
  }
  if (subjects.length === 0) problems.push(rejected(line, 'participant', 'participant names no patient (an actor with a reference to Patient/...)', eventId));
  if (problems.length > 0) return problems;

  const service = serviceOf(resource);
  let exchangeStatus: string;
  let detail = '';
  if (fhirStatus === 'noshow') {
    const births = subjects.map((id) => context.patients.get(id)?.birthKey);
    if (births.some((born) => born !== undefined && isUnder18On(born, day!))) exchangeStatus = 'was-not-brought';
    else {
      exchangeStatus = 'did-not-attend';
      if (births.some((born) => born === undefined)) {
        warnings.push(
          warning(line, 'status', 'status "noshow": the patient\'s date of birth is not in this bundle, so whether they were a child is not known; recorded as did-not-attend', eventId),
        );
      }
    }
  } else if (fhirStatus === 'cancelled') {
    const who = cancelledBy(resource.cancelationReason);
    if (who === null) {
      exchangeStatus = 'cancelled-by-service';
      detail = ', no cancellation reason given';
      warnings.push(warning(line, 'cancelationReason', 'cancelationReason is missing, so who cancelled is not known; recorded as cancelled-by-service', eventId));
    } else {
      exchangeStatus = who.by === 'family' ? 'cancelled-by-family' : 'cancelled-by-service';
      detail = who.code !== undefined ? `, cancellation reason ${who.code}` : who.by === 'family' ? ', cancelled by the patient or family' : ', cancelled by the service';
    }
  } else exchangeStatus = 'attended';

  const event: Json = {
    object: 'event',
    id: eventId,
    source: context.source,
    type: 'appointment',
    date,
    subjects: subjects.map((id) => `${context.source}:Patient/${id}`),
  };
  if (service !== undefined) event.service = service;
  event.status = exchangeStatus;
  event.summary = `${service ?? 'Appointment'}: FHIR status ${fhirStatus}${detail}`;
  return [{ type: 'object', line, object: event, original: text }, ...warnings];
}

// ---------------------------------------------------------------------------------------------
// Encounter → ed-attendance event.

/** True when an Encounter is an emergency department (or urgent care) attendance. */
function isEmergency(resource: Json): boolean {
  if (codingsOf(resource.class).some((coding) => coding.code === 'EMER')) return true;
  const services = [...listOf(resource.type), ...listOf(resource.serviceType)];
  if (codingsOf(services).some((coding) => coding.system === SNOMED && coding.code !== undefined && ED_SERVICE_CODES[coding.code] !== undefined)) return true;
  return textsOf(services).some((text) => ED_SERVICE_WORDS.test(text));
}

/** The ed-attendance reason: coded reasons first (reasonCode, then type), then the words of reasonCode; default other. */
function reasonOf(resource: Json): EdReason {
  const found = new Set<EdReason>();
  for (const coding of codingsOf([...listOf(resource.reasonCode), ...listOf(resource.type)])) {
    if (coding.system === SNOMED && coding.code !== undefined) {
      const mapped = ED_REASON_CODES[coding.code];
      if (mapped !== undefined) found.add(mapped.reason);
    }
  }
  if (found.size === 0) {
    for (const text of textsOf(resource.reasonCode)) {
      for (const reason of REASON_ORDER) if (ED_REASON_WORDS[reason as Exclude<EdReason, 'other'>].test(text)) found.add(reason);
    }
  }
  return REASON_ORDER.find((reason) => found.has(reason)) ?? 'other';
}

/** Whether the patient was admitted, from the discharge disposition; undefined when it does not say. */
function admittedOf(resource: Json): boolean | undefined {
  const hospitalization = resource.hospitalization;
  if (!isObject(hospitalization) || hospitalization.dischargeDisposition === undefined) return undefined;
  const disposition = hospitalization.dischargeDisposition;
  for (const coding of codingsOf(disposition)) {
    if ((coding.system === DISCHARGE_DISPOSITION_SYSTEM || coding.system === SNOMED) && coding.code !== undefined) {
      const admitted = DISCHARGE_ADMITTED[coding.code];
      if (admitted !== undefined) return admitted;
    }
  }
  for (const text of textsOf(disposition)) {
    if (/\b(admit\w*|admission|ward)\b/i.test(text)) return true;
    if (/\b(home|discharged)\b/i.test(text)) return false;
  }
  return undefined;
}

function encounterItems(resource: Json, text: string, line: number, context: Context): FeedItem[] {
  // Only emergency attendances are events; other encounters (outpatients, inpatient stays, home visits) are skipped.
  if (!isEmergency(resource)) return [];
  const checked = resourceId(resource, line);
  if (!checked.ok) return [checked.problem];
  const eventId = `${context.source}:Encounter/${checked.id}`;
  const status = resource.status;
  if (status === 'entered-in-error') {
    return [warning(line, 'status', 'status "entered-in-error": the encounter was recorded in error, so it is not imported (an earlier import of it is not withdrawn)', eventId)];
  }
  if (typeof status === 'string' && ENCOUNTER_NOT_HAPPENED.has(status)) return [];
  const problems: FeedProblem[] = [];
  if (typeof status !== 'string' || !ENCOUNTER_HAPPENED.has(status)) {
    problems.push(rejected(line, 'status', status === undefined ? 'status is missing' : `status ${typeof status === 'string' ? quote(status) : 'that is not text'} is not a FHIR encounter status`, eventId));
  }
  const start = isObject(resource.period) ? resource.period.start : undefined;
  if (start === undefined) problems.push(rejected(line, 'period.start', 'period.start is missing (the attendance needs its date)', eventId));
  else if (typeof start !== 'string' || dayOf(start) === null) {
    problems.push(rejected(line, 'period.start', `period.start ${typeof start === 'string' ? quote(start) : 'that is not text'} is not a date and time with its offset`, eventId));
  }
  const subject = isObject(resource.subject) ? patientIdOf(resource.subject.reference, context.fullUrls) : null;
  if (subject === null) problems.push(rejected(line, 'subject', 'subject names no patient (a reference to Patient/...)', eventId));
  if (problems.length > 0) return problems;

  const event: Json = {
    object: 'event',
    id: eventId,
    source: context.source,
    type: 'ed-attendance',
    date: start,
    subjects: [`${context.source}:Patient/${subject}`],
    reason: reasonOf(resource),
  };
  const admitted = admittedOf(resource);
  if (admitted !== undefined) event.admitted = admitted;
  event.summary = `Emergency department attendance: FHIR Encounter status ${String(status)}`;
  return [{ type: 'object', line, object: event, original: text }];
}

// ---------------------------------------------------------------------------------------------
// The feed.

function brokenMessage(event: Extract<JsonStreamEvent, { kind: 'broken' }>): { line: number; message: string } {
  if (event.reason === 'cut-off' && event.elementLine !== null) {
    return { line: event.elementLine, message: 'this entry is not complete: the file ends part-way through it, so it was probably cut off' };
  }
  if (event.reason === 'cut-off') return { line: event.line, message: 'the file ends before the Bundle does, so it was probably cut off; the entries before this line were read' };
  return { line: event.line, message: `the Bundle is not valid JSON at line ${event.line}, column ${event.column}; nothing after it was read` };
}

function refusalFor(fileName: string, event: Extract<JsonStreamEvent, { kind: 'broken' }>): Error {
  if (event.reason === 'not-object') return refuse(fileName, 'it is not a FHIR Bundle: it is JSON, but not one object {"resourceType": "Bundle", ...}', 'not-exchange-format');
  if (event.reason === 'cut-off') return refuse(fileName, `it is not complete JSON; it stops part-way through (line ${event.line}), so it was probably cut off`, 'not-json');
  return refuse(fileName, `it is not a FHIR Bundle: it is not valid JSON (the problem is at line ${event.line}, column ${event.column})`, 'not-json');
}

/**
 * Reads a FHIR R4 Bundle (JSON): the source, a record per Patient, then an event per
 * Appointment that happened or was missed or cancelled, and per emergency Encounter (mapping in
 * docs/agency-feeds.md). Throws FileRefusedError, before yielding anything, when the file is not
 * a JSON object with "resourceType": "Bundle".
 */
export async function* readFhirBundleFeed(path: string, options: ReadFeedOptions): AsyncGenerator<FeedItem> {
  const fileName = basename(path);
  const size = await feedFileSize(path, fileName);
  let passes = 2;
  let finishedPasses = 0;
  const onBytes = (bytesRead: number) => options.onProgress?.({ bytesRead: finishedPasses * size + bytesRead, totalBytes: passes * size });
  const context: Context = { source: options.source, patients: new Map(), fullUrls: new Map() };
  const source = sourceObject(options);
  const sourceItem: FeedItem = { type: 'object', line: 1, object: source, original: JSON.stringify(source) };

  /** A Patient entry: registered on the first pass (the first of a repeated id keeps it), its items yielded when `emit`. */
  const patientEntry = (parsed: Extract<ParsedEntry, { ok: true }>, line: number, register: boolean): FeedItem[] => {
    const result = patientItems(parsed.resource, parsed.text, line, context);
    if (result.id === null) return result.items;
    const earlier = context.patients.get(result.id);
    if (register && earlier === undefined) {
      context.patients.set(result.id, { line, birthKey: result.birthKey });
      if (parsed.fullUrl !== undefined) context.fullUrls.set(parsed.fullUrl, result.id);
    }
    const holder = context.patients.get(result.id);
    if (holder !== undefined && holder.line !== line) {
      return [rejected(line, 'id', `Patient ${quote(result.id)} is in this bundle again: the entry at line ${holder.line} already has it`, `${options.source}:Patient/${result.id}`)];
    }
    return result.items;
  };

  // First pass: is it a Bundle, and who are the patients.
  let resourceTypeSeen = false;
  let live = false; // the Bundle was known before its entries: patients are yielded on this pass
  let anyEntry = false;
  for await (const event of scanJsonArrayMember(path, 'entry', { onBytes })) {
    if (event.kind === 'member') {
      // Once entries are being yielded the file is known to be a Bundle; a key repeated later changes nothing.
      if (live) continue;
      if (event.key === 'resourceType') {
        resourceTypeSeen = true;
        if (event.value !== 'Bundle') {
          const what = typeof event.value === 'string' ? `its resourceType is ${quote(event.value)}` : 'its resourceType is not text';
          throw refuse(fileName, `it is not a FHIR Bundle: ${what}, but this feed reads a Bundle of Patient, Appointment and Encounter resources`, 'not-exchange-format');
        }
      } else if (event.key === 'entry' && event.type !== 'array') {
        throw refuse(fileName, `its "entry" must be a list (a JSON array) of entries, but it is ${event.type === 'object' ? 'an object' : `a ${event.type}`}`, 'bad-structure');
      }
    } else if (event.kind === 'array-start') {
      if (resourceTypeSeen) {
        live = true;
        yield sourceItem;
      }
    } else if (event.kind === 'element') {
      anyEntry = true;
      const parsed = parseEntry(event);
      if (parsed.ok && parsed.resourceType === 'Patient') {
        const items = patientEntry(parsed, event.line, true);
        if (live) yield* items;
      }
    } else {
      if (!live && (!anyEntry || !resourceTypeSeen)) throw refusalFor(fileName, event);
      break;
    }
  }
  if (!resourceTypeSeen) {
    throw refuse(fileName, 'it is not a FHIR Bundle: it has no "resourceType" (a FHIR Bundle is {"resourceType": "Bundle", "entry": [...]})', 'not-exchange-format');
  }
  finishedPasses += 1;
  if (!live) {
    yield sourceItem;
    if (context.patients.size > 0) {
      // The entries came before "resourceType": the patients are read again, now that it is known to be a Bundle.
      passes = 3;
      for await (const event of scanJsonArrayMember(path, 'entry', { onBytes })) {
        if (event.kind !== 'element') continue;
        const parsed = parseEntry(event);
        if (parsed.ok && parsed.resourceType === 'Patient') yield* patientEntry(parsed, event.line, false);
      }
      finishedPasses += 1;
    }
  }

  // Second pass: appointments and encounters, and every problem that is not a Patient's.
  for await (const event of scanJsonArrayMember(path, 'entry', { onBytes })) {
    if (event.kind === 'element') {
      const parsed = parseEntry(event);
      if (!parsed.ok) yield parsed.problem;
      else if (parsed.resourceType === 'Appointment') yield* appointmentItems(parsed.resource, parsed.text, event.line, context);
      else if (parsed.resourceType === 'Encounter') yield* encounterItems(parsed.resource, parsed.text, event.line, context);
    } else if (event.kind === 'broken') {
      const { line, message } = brokenMessage(event);
      yield rejected(line, null, message);
    }
  }
}
