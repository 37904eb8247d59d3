// A police force's domestic-abuse notifications: what the police send to schools and children's
// social care the morning after an incident (Operation Encompass and the children's services
// notification). One CSV row per person involved, the rows of one incident together: a person
// record per row (with the incident's address), then one police-incident event per incident
// naming the adults as subjects and the children as childrenPresent.
//
// One row per person rather than one per incident: a CSV cell cannot hold a list of people
// without an invented encoding (names contain commas, semicolons and quotes), police systems
// export the people linked to an occurrence ("nominals") one per line already, and a person whose
// row is wrong is rejected alone while the rest of the incident is still recorded.
//
// Memory is bounded by one incident's rows, plus the references of incidents already read (to
// refuse an incident whose rows are split up).
import { quote } from '../exchange-issues.js';
import type { FeedItem, FeedProblem, ReadFeedOptions } from './feed.js';
import {
  cellReader,
  readCsvFeed,
  dayOf,
  isUnder18On,
  postcodeProblem,
  readDateOfBirth,
  readDateOrDateTime,
  readSex,
  rejected,
  rowFields,
  warning,
} from './feed-fields.js';

/** The columns of a police domestic-abuse notification CSV, in the usual order (any order is read). */
export const POLICE_COLUMNS = [
  'incident_reference',
  'incident_date',
  'address_line1',
  'address_line2',
  'town',
  'postcode',
  'role',
  'person_reference',
  'given_name',
  'family_name',
  'date_of_birth',
  'sex',
  'phone',
] as const;

const REQUIRED: readonly (readonly string[])[] = [['incident_reference'], ['incident_date'], ['role']];
const WHAT = 'a police domestic-abuse notification CSV';

/** The roles a person can have in an incident. */
export const POLICE_ROLES = ['victim', 'suspect', 'other-adult', 'child-present'] as const;
/** A person's role in an incident. */
export type PoliceRole = (typeof POLICE_ROLES)[number];

/** The columns that describe the incident rather than the person (the same on each of its rows). */
const INCIDENT_COLUMNS = ['incident_date', 'address_line1', 'address_line2', 'town', 'postcode'] as const;
type IncidentColumn = (typeof INCIDENT_COLUMNS)[number];

interface Incident {
  reference: string;
  firstLine: number;
  /** Rows read for this incident, rejected ones included, so that a person's `p${n}` does not change when another row is fixed. */
  rows: number;
  texts: string[];
  /** From the first row that could be read. */
  details: { line: number; date: string; values: Record<IncidentColumn, string>; address: Record<string, string> } | null;
  adults: string[];
  children: string[];
  roles: Record<PoliceRole, number>;
  personReferences: Map<string, number>;
}

/** A role as written (`Child Present`, `child_present`) in the feed's form. */
function readRole(text: string): PoliceRole | null {
  const role = text.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return (POLICE_ROLES as readonly string[]).includes(role) ? (role as PoliceRole) : null;
}

/** An incident detail as compared between its rows. */
function comparable(column: IncidentColumn, value: string): string {
  if (column === 'incident_date') {
    const reading = readDateOrDateTime(column, value);
    return reading.ok ? reading.value : value;
  }
  if (column === 'postcode') return value.replace(/\s/g, '').toUpperCase();
  return value.replace(/\s+/g, ' ').toLowerCase();
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The event's summary: a factual line, no names. */
function summaryOf(incident: Incident): string {
  const { roles } = incident;
  const people = [
    roles.victim > 0 ? count(roles.victim, 'victim', 'victims') : '',
    roles.suspect > 0 ? count(roles.suspect, 'suspect', 'suspects') : '',
    roles['other-adult'] > 0 ? count(roles['other-adult'], 'other adult', 'other adults') : '',
  ].filter((text) => text !== '');
  const children = incident.children.length === 0 ? 'no children recorded as present' : `${count(incident.children.length, 'child', 'children')} present`;
  return `Domestic abuse incident notification (police reference ${incident.reference}): ${people.length === 0 ? 'no adults named' : people.join(', ')}; ${children}.`;
}

/**
 * Reads a police domestic-abuse notification CSV (columns: {@link POLICE_COLUMNS}): the source,
 * a person record per row, and a police-incident event after each incident's rows. Throws
 * FileRefusedError when the file is empty or its header is not this feed's.
 */
export async function* readPoliceNotificationFeed(path: string, options: ReadFeedOptions): AsyncGenerator<FeedItem> {
  yield* readCsvFeed(path, options, { what: WHAT, columns: POLICE_COLUMNS, required: REQUIRED }, async function* (header, rows) {
    const finished = new Map<string, number>();
    let incident: Incident | null = null;

    for (let next = await rows.next(); next.done !== true; next = await rows.next()) {
      const row = next.value;
      const { line } = row;
      const fields = rowFields(row, header);
      if (typeof fields === 'string') {
        yield rejected(line, null, fields);
        continue;
      }
      const cell = cellReader(header, fields);
      const reference = cell('incident_reference');
      if (reference === '') {
        yield rejected(line, 'incident_reference', 'incident_reference is missing');
        continue;
      }
      if (incident === null || incident.reference !== reference) {
        const earlier = finished.get(reference);
        if (earlier !== undefined) {
          yield rejected(line, 'incident_reference', `incident_reference ${quote(reference)} was used by the rows from line ${earlier}, which ended before this row (the rows of one incident must be together)`);
          continue;
        }
        if (incident !== null) {
          yield* finishIncident(incident, options.source);
          finished.set(incident.reference, incident.firstLine);
        }
        incident = {
          reference,
          firstLine: line,
          rows: 0,
          texts: [],
          details: null,
          adults: [],
          children: [],
          roles: { victim: 0, suspect: 0, 'other-adult': 0, 'child-present': 0 },
          personReferences: new Map(),
        };
      }
      incident.rows += 1;

      const personReference = cell('person_reference');
      const recordId = `${options.source}:${reference}:${personReference !== '' ? personReference : `p${incident.rows}`}`;
      const problems: FeedProblem[] = [];
      const reject = (field: string, message: string) => problems.push(rejected(line, field, message, recordId));

      let date: string | undefined;
      const dateText = cell('incident_date');
      if (dateText === '') reject('incident_date', 'incident_date is missing');
      else {
        const reading = readDateOrDateTime('incident_date', dateText);
        if (reading.ok) date = reading.value;
        else reject('incident_date', reading.message);
      }
      const roleText = cell('role');
      const role = readRole(roleText);
      if (roleText === '') reject('role', 'role is missing');
      else if (role === null) reject('role', `role ${quote(roleText)} is not one of: ${POLICE_ROLES.join(', ')}`);
      let dateOfBirth: string | undefined;
      if (cell('date_of_birth') !== '') {
        const reading = readDateOfBirth('date_of_birth', cell('date_of_birth'));
        if (reading.ok) dateOfBirth = reading.value;
        else reject('date_of_birth', reading.message);
      }
      let sex: string | undefined;
      if (cell('sex') !== '') {
        const reading = readSex('sex', cell('sex'));
        if (reading.ok) sex = reading.value;
        else reject('sex', reading.message);
      }
      if (personReference !== '') {
        const earlier = incident.personReferences.get(personReference);
        if (earlier !== undefined) reject('person_reference', `person_reference ${quote(personReference)} is used again in this incident: line ${earlier} already has it`);
      }
      if (problems.length > 0) {
        yield* problems;
        continue;
      }

      const warnings: FeedProblem[] = [];
      const values = Object.fromEntries(INCIDENT_COLUMNS.map((column) => [column, cell(column)])) as Record<IncidentColumn, string>;
      if (incident.details === null) {
        const address: Record<string, string> = {};
        if (values.address_line1 !== '') address.line1 = values.address_line1;
        if (values.address_line2 !== '') address.line2 = values.address_line2;
        if (values.town !== '') address.town = values.town;
        if (values.postcode !== '') address.postcode = values.postcode;
        incident.details = { line, date: date!, values, address };
        const postcode = values.postcode === '' ? null : postcodeProblem('postcode', values.postcode);
        if (postcode !== null) warnings.push(warning(line, 'postcode', postcode, recordId));
      } else {
        for (const column of INCIDENT_COLUMNS) {
          if (values[column] !== '' && comparable(column, values[column]) !== comparable(column, incident.details.values[column])) {
            warnings.push(warning(line, column, `${column} differs from line ${incident.details.line}, the incident's first row that could be read; the incident's details on that line are kept`, recordId));
          }
        }
      }

      const record: Record<string, unknown> = { object: 'record', id: recordId, source: options.source };
      if (personReference !== '') record.sourceRecordId = personReference;
      if (cell('given_name') !== '') record.givenName = cell('given_name');
      if (cell('family_name') !== '') record.familyName = cell('family_name');
      if (dateOfBirth !== undefined) record.dateOfBirth = dateOfBirth;
      if (sex !== undefined) record.sex = sex;
      if (Object.keys(incident.details.address).length > 0) record.address = { ...incident.details.address };
      if (cell('phone') !== '') record.phone = cell('phone');
      yield { type: 'object', line, object: record, original: row.text ?? '' };
      incident.texts.push(row.text ?? '');

      if (cell('given_name') === '' && cell('family_name') === '' && dateOfBirth === undefined) {
        warnings.push(warning(line, null, 'this person has no name and no date of birth, so their record cannot be matched to any other record of them', recordId));
      }
      const incidentDay = dayOf(incident.details.date);
      const birthDay = dateOfBirth === undefined ? null : dayOf(dateOfBirth);
      if (role === 'child-present' && incidentDay !== null && birthDay !== null && !isUnder18On(birthDay, incidentDay)) {
        warnings.push(warning(line, 'role', 'role is child-present, but date_of_birth shows the person was 18 or over on the incident date', recordId));
      }
      yield* warnings;

      incident.roles[role!] += 1;
      if (role === 'child-present') incident.children.push(recordId);
      else incident.adults.push(recordId);
      if (personReference !== '') incident.personReferences.set(personReference, line);
    }
    if (incident !== null) yield* finishIncident(incident, options.source);
  });
}

/** The police-incident event for an incident whose rows have all been read, or why there is none. */
function finishIncident(incident: Incident, source: string): FeedItem[] {
  const id = `${source}:${incident.reference}`;
  if (incident.details === null) {
    return [rejected(incident.firstLine, null, `incident ${quote(incident.reference)} has no row that could be read, so it is not recorded`, id)];
  }
  const items: FeedItem[] = [];
  const event: Record<string, unknown> = {
    object: 'event',
    id,
    source,
    type: 'police-incident',
    date: incident.details.date,
    subjects: incident.adults.length > 0 ? incident.adults : incident.children,
    kind: 'domestic-abuse',
    ...(incident.children.length > 0 ? { childrenPresent: incident.children } : {}),
    concerns: ['domestic-abuse'],
    summary: summaryOf(incident),
  };
  items.push({ type: 'object', line: incident.firstLine, object: event, original: incident.texts.join('\n') });
  if (incident.adults.length === 0) {
    items.push(warning(incident.firstLine, 'role', 'no adult (victim, suspect or other-adult) could be read for this incident, so its subjects are the children present', id));
  }
  return items;
}
