import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRefusedError } from '../../../src/ingest/exchange-issues.js';
import { readFeed, type FeedProgress } from '../../../src/ingest/feeds/feed.js';
import {
  APPOINTMENT_STATUS_MAP,
  DISCHARGE_ADMITTED,
  ED_REASON_CODES,
  PATIENT_SIDE_CANCELLATION_CODES,
} from '../../../src/ingest/feeds/fhir-bundle.feed.js';
import { tempFolder } from '../ingest-helpers.js';
import { fixture, objectWithId, readAll, sample, validateObjects } from './feed-helpers.js';

const folder = tempFolder('fhir-feed');
afterAll(() => folder.cleanup());

type Resource = Record<string, unknown>;
let files = 0;

/** A Bundle file with one entry per line: entry i starts on line i + 2. */
function bundle(...resources: (Resource | { entry: Resource })[]): string {
  const entries = resources.map((r) => JSON.stringify('entry' in r ? r.entry : { resource: r }));
  files += 1;
  return folder.write(`bundle-${files}.json`, `{"resourceType": "Bundle", "type": "collection", "entry": [\n${entries.join(',\n')}\n]}\n`);
}

const child: Resource = { resourceType: 'Patient', id: 'kid', birthDate: '2018-05-10' };
const adult: Resource = { resourceType: 'Patient', id: 'mum', birthDate: '1990-01-01' };
const appointment = (id: string, fields: Resource, patient = 'kid'): Resource => ({
  resourceType: 'Appointment',
  id,
  start: '2024-03-05T09:30:00+00:00',
  participant: [{ actor: { reference: `Patient/${patient}` } }],
  ...fields,
});
const emergency = (id: string, fields: Resource): Resource => ({
  resourceType: 'Encounter',
  id,
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
  subject: { reference: 'Patient/kid' },
  period: { start: '2024-03-05T21:10:00+00:00' },
  ...fields,
});
const snomed = (code: string, display?: string) => ({ coding: [{ system: 'http://snomed.info/sct', code, ...(display ? { display } : {}) }] });

async function eventsOf(path: string) {
  const result = await readAll('fhir', path);
  return { ...result, events: result.objects.filter((o) => o.object.object === 'event').map((o) => o.object) };
}

describe('FHIR Patient → record', () => {
  it('maps the official name, other names, birth date, gender, NHS number, current address and phone', async () => {
    const path = bundle({
      resourceType: 'Patient',
      id: 'p1',
      identifier: [
        { system: 'https://fhir.northshire-health.example/Id/mrn', value: 'MRN1' },
        { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '999 012 3454' },
      ],
      name: [
        { use: 'usual', given: ['Jay'], family: 'Hughes' },
        { use: 'official', given: ['Jayden', 'Lee'], family: 'Hughes' },
        { use: 'old', given: ['Jayden'], family: 'Brown' },
      ],
      gender: 'male',
      birthDate: '2010-02-03',
      address: [
        { use: 'old', line: ['1 Old Road'], city: 'Elsewhere', postalCode: 'LK1 1AA', period: { end: '2020-01-01' } },
        { use: 'home', line: ['Flat 3', '22 Mill Lane', 'Upper Larkfield'], city: 'Larkfield', postalCode: 'LK2 7QT' },
      ],
      telecom: [{ system: 'email', value: 'x@example.test' }, { system: 'phone', value: '07700 900111', use: 'old' }, { system: 'phone', value: '07700 900222' }],
    });
    const result = await readAll('fhir', path, { source: 'nht', agency: 'hospital', name: 'Northshire Hospitals', authority: 'Northshire' });
    expect(result.objects[0]!.object).toEqual({ object: 'source', id: 'nht', agency: 'hospital', name: 'Northshire Hospitals', authority: 'Northshire' });
    expect(result.objects[0]!.line).toBe(1);
    expect(objectWithId(result, 'nht:Patient/p1')).toEqual({
      object: 'record',
      id: 'nht:Patient/p1',
      source: 'nht',
      sourceRecordId: 'p1',
      givenName: 'Jayden Lee',
      familyName: 'Hughes',
      otherNames: ['Jay Hughes', 'Jayden Brown'],
      dateOfBirth: '2010-02-03',
      sex: 'male',
      nhsNumber: '999 012 3454',
      address: { line1: 'Flat 3', line2: '22 Mill Lane, Upper Larkfield', town: 'Larkfield', postcode: 'LK2 7QT' },
      phone: '07700 900222',
    });
    expect(result.problems).toEqual([]);
    expect(result.objects[1]!.original).toBe(JSON.stringify(JSON.parse(readFileSync(path, 'utf8')).entry[0].resource));
  });

  it('takes the usual name when there is no official one, and the first current one otherwise', async () => {
    const result = await readAll(
      'fhir',
      bundle(
        { resourceType: 'Patient', id: 'a', name: [{ use: 'nickname', given: ['Bunny'] }, { use: 'usual', given: ['Ruby'], family: 'Carter' }] },
        { resourceType: 'Patient', id: 'b', name: [{ use: 'old', given: ['Old'], family: 'Name' }, { given: ['New'], family: 'Name' }] },
        { resourceType: 'Patient', id: 'c', name: [{ text: 'Written As Text' }] },
      ),
    );
    expect(objectWithId(result, 'src:Patient/a')).toMatchObject({ givenName: 'Ruby', familyName: 'Carter', otherNames: ['Bunny'] });
    expect(objectWithId(result, 'src:Patient/b')).toMatchObject({ givenName: 'New', familyName: 'Name', otherNames: ['Old Name'] });
    expect(objectWithId(result, 'src:Patient/c')).toMatchObject({ otherNames: ['Written As Text'] });
    expect(objectWithId(result, 'src:Patient/c')).not.toHaveProperty('givenName');
  });

  it('maps gender male, female, other and unknown, and rejects anything else', async () => {
    const genders = ['male', 'female', 'other', 'unknown', 'F'];
    const result = await readAll('fhir', bundle(...genders.map((gender, i) => ({ resourceType: 'Patient', id: `g${i}`, gender }))));
    expect(['male', 'female', 'unknown', 'unknown'].map((sex, i) => objectWithId(result, `src:Patient/g${i}`).sex)).toEqual(['male', 'female', 'unknown', 'unknown']);
    expect(result.lines).toEqual(['line 6 [src:Patient/g4] gender: gender "F" is not one of: male, female, other, unknown (rejected)']);
  });

  it('takes the NHS number only from the NHS identifier system, and warns (never rejects) on a bad check digit or postcode', async () => {
    const result = await readAll(
      'fhir',
      bundle(
        { resourceType: 'Patient', id: 'other-system', identifier: [{ system: 'https://example.test/nhs', value: '9990123454' }] },
        { resourceType: 'Patient', id: 'bad-check', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990123455' }], address: [{ postalCode: 'LK99' }] },
        { resourceType: 'Patient', id: 'short', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '12345' }] },
      ),
    );
    expect(objectWithId(result, 'src:Patient/other-system')).not.toHaveProperty('nhsNumber');
    expect(objectWithId(result, 'src:Patient/bad-check')).toMatchObject({ nhsNumber: '9990123455', address: { postcode: 'LK99' } });
    expect(result.lines).toEqual([
      'line 3 [src:Patient/bad-check] identifier[0].value: identifier[0].value (the NHS number) fails the Modulus 11 check digit; kept, but not used for matching (warning)',
      'line 3 [src:Patient/bad-check] address.postalCode: address.postalCode is not in UK postcode format; kept and compared as text (warning)',
      'line 4 [src:Patient/short] identifier[0].value: identifier[0].value (the NHS number) is not 10 digits (spaces allowed); kept, but not used for matching (warning)',
    ]);
  });
});

describe('FHIR Appointment → appointment event', () => {
  it('maps every FHIR status as docs/agency-feeds.md says', async () => {
    const expected: Record<keyof typeof APPOINTMENT_STATUS_MAP, string | null> = {
      fulfilled: 'attended',
      arrived: 'attended',
      'checked-in': 'attended',
      noshow: 'was-not-brought',
      cancelled: 'cancelled-by-family',
      booked: null,
      proposed: null,
      pending: null,
      waitlist: null,
      'entered-in-error': null,
    };
    const statuses = Object.keys(expected);
    const result = await eventsOf(
      bundle(child, ...statuses.map((status) => appointment(status, { status, cancelationReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'pat' }] } }))),
    );
    for (const status of statuses) {
      const event = result.events.find((e) => e.id === `src:Appointment/${status}`);
      expect([status, event?.status ?? null]).toEqual([status, expected[status as keyof typeof expected]]);
    }
    // Not-yet-happened appointments are skipped without a word; one recorded in error is skipped with a warning.
    expect(result.lines).toEqual([
      'line 12 [src:Appointment/entered-in-error] status: status "entered-in-error": the appointment was recorded in error, so it is not imported (an earlier import of it is not withdrawn) (warning)',
    ]);
    expect(result.events.find((e) => e.id === 'src:Appointment/fulfilled')).toEqual({
      object: 'event',
      id: 'src:Appointment/fulfilled',
      source: 'src',
      type: 'appointment',
      date: '2024-03-05T09:30:00+00:00',
      subjects: ['src:Patient/kid'],
      status: 'attended',
      summary: 'Appointment: FHIR status fulfilled',
    });
  });

  it('calls a missed appointment "was not brought" for a child on the day, and "did not attend" for an adult or when the age is not known', async () => {
    const result = await eventsOf(
      bundle(
        { resourceType: 'Patient', id: 'turns-18', birthDate: '2006-03-05' },
        { resourceType: 'Patient', id: 'day-before-18', birthDate: '2006-03-06' },
        { resourceType: 'Patient', id: 'vague', birthDate: '2006' },
        adult,
        appointment('a1', { status: 'noshow' }, 'turns-18'),
        appointment('a2', { status: 'noshow' }, 'day-before-18'),
        appointment('a3', { status: 'noshow' }, 'vague'),
        appointment('a4', { status: 'noshow' }, 'mum'),
        appointment('a5', { status: 'noshow' }, 'not-in-bundle'),
      ),
    );
    expect(result.events.map((e) => [e.id, e.status])).toEqual([
      ['src:Appointment/a1', 'did-not-attend'],
      ['src:Appointment/a2', 'was-not-brought'],
      ['src:Appointment/a3', 'did-not-attend'],
      ['src:Appointment/a4', 'did-not-attend'],
      ['src:Appointment/a5', 'did-not-attend'],
    ]);
    expect(result.lines).toEqual([
      'line 10 [src:Appointment/a5] status: status "noshow": the patient\'s date of birth is not in this bundle, so whether they were a child is not known; recorded as did-not-attend (warning)',
    ]);
  });

  it('counts every patient-side HL7 cancellation reason, and family words in a reason text, as cancelled by the family', async () => {
    const hl7 = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code }] });
    const family = [...PATIENT_SIDE_CANCELLATION_CODES.map(hl7), { text: 'Parent phoned to cancel' }, { coding: [{ display: 'Cancelled by patient' }] }];
    const service = [hl7('prov'), hl7('prov-pers'), hl7('maint'), hl7('oth-weath'), { text: 'Clinic cancelled' }, { text: "Patient's clinician off sick" }];
    const result = await eventsOf(
      bundle(
        child,
        ...family.map((reason, i) => appointment(`f${i}`, { status: 'cancelled', cancelationReason: reason })),
        ...service.map((reason, i) => appointment(`s${i}`, { status: 'cancelled', cancelationReason: reason })),
        appointment('none', { status: 'cancelled' }),
      ),
    );
    const statusOf = (id: string) => result.events.find((e) => e.id === `src:Appointment/${id}`)?.status;
    expect(family.map((_, i) => statusOf(`f${i}`))).toEqual(family.map(() => 'cancelled-by-family'));
    expect(service.map((_, i) => statusOf(`s${i}`))).toEqual(service.map(() => 'cancelled-by-service'));
    expect(statusOf('none')).toBe('cancelled-by-service');
    expect(result.lines).toEqual([
      `line ${3 + family.length + service.length} [src:Appointment/none] cancelationReason: cancelationReason is missing, so who cancelled is not known; recorded as cancelled-by-service (warning)`,
    ]);
    expect(result.events.find((e) => e.id === 'src:Appointment/f1')?.summary).toBe('Appointment: FHIR status cancelled, cancellation reason pat-crs');
  });

  it('takes the service from serviceType, then appointmentType, then specialty', async () => {
    const result = await eventsOf(
      bundle(
        child,
        appointment('st', { status: 'fulfilled', serviceType: [{ text: 'Community paediatrics' }], appointmentType: { text: 'Follow-up' } }),
        appointment('display', { status: 'fulfilled', serviceType: [snomed('310126006', 'Speech and language therapy service')] }),
        appointment('at', { status: 'fulfilled', appointmentType: { text: 'Hearing test' } }),
        appointment('sp', { status: 'fulfilled', specialty: [{ coding: [{ display: 'Audiology' }] }] }),
      ),
    );
    expect(result.events.map((e) => e.service)).toEqual(['Community paediatrics', 'Speech and language therapy service', 'Hearing test', 'Audiology']);
    expect(result.events[0]!.summary).toBe('Community paediatrics: FHIR status fulfilled');
  });

  it('finds the patient by a relative, absolute, versioned or urn:uuid reference, and names each patient once', async () => {
    const result = await eventsOf(
      bundle(
        { entry: { fullUrl: 'urn:uuid:0b8e6ce2-5f43-4d5f-9b0e-5c1b7c0f0a11', resource: child } },
        appointment('r1', { status: 'fulfilled', participant: [{ actor: { reference: 'https://fhir.example/R4/Patient/kid' } }] }),
        appointment('r2', { status: 'fulfilled', participant: [{ actor: { reference: 'Patient/kid/_history/3' } }, { actor: { reference: 'Patient/kid' } }] }),
        appointment('r3', { status: 'fulfilled', participant: [{ actor: { reference: 'urn:uuid:0b8e6ce2-5f43-4d5f-9b0e-5c1b7c0f0a11' } }] }),
        appointment('r4', { status: 'fulfilled', participant: [{ actor: { reference: 'Patient/kid' } }, { actor: { reference: 'Patient/mum' } }, { actor: { reference: 'Location/1' } }] }),
      ),
    );
    expect(result.events.map((e) => e.subjects)).toEqual([['src:Patient/kid'], ['src:Patient/kid'], ['src:Patient/kid'], ['src:Patient/kid', 'src:Patient/mum']]);
  });
});

describe('FHIR Encounter → ed-attendance event', () => {
  it('takes emergency encounters (class EMER, an ED SNOMED type, or ED words) and skips the rest', async () => {
    const result = await eventsOf(
      bundle(
        child,
        emergency('class', {}),
        emergency('type-code', { class: { code: 'AMB' }, type: [snomed('4525004')] }),
        emergency('room', { class: { code: 'AMB' }, type: [snomed('50849002')] }),
        emergency('a-and-e', { class: { code: 'AMB' }, serviceType: { text: 'A&E' } }),
        emergency('utc', { class: { code: 'AMB' }, type: [{ text: 'Urgent treatment centre' }] }),
        emergency('outpatient', { class: { code: 'AMB' }, serviceType: { text: 'Paediatric dietetics' } }),
        emergency('inpatient', { class: { code: 'IMP' } }),
        emergency('r5-class', { class: [{ coding: [{ code: 'EMER' }] }] }),
      ),
    );
    expect(result.events.map((e) => e.id)).toEqual([
      'src:Encounter/class',
      'src:Encounter/type-code',
      'src:Encounter/room',
      'src:Encounter/a-and-e',
      'src:Encounter/utc',
      'src:Encounter/r5-class',
    ]);
    expect(result.events[0]).toEqual({
      object: 'event',
      id: 'src:Encounter/class',
      source: 'src',
      type: 'ed-attendance',
      date: '2024-03-05T21:10:00+00:00',
      subjects: ['src:Patient/kid'],
      reason: 'other',
      summary: 'Emergency department attendance: FHIR Encounter status finished',
    });
    expect(result.problems).toEqual([]);
  });

  it('skips encounters that did not happen, warns on one entered in error, and rejects an unknown status', async () => {
    const statuses = ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown', 'done'];
    const result = await eventsOf(bundle(child, ...statuses.map((status) => emergency(status, { status }))));
    expect(result.events.map((e) => e.id)).toEqual(['arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'unknown'].map((s) => `src:Encounter/${s}`));
    expect(result.lines).toEqual([
      'line 10 [src:Encounter/entered-in-error] status: status "entered-in-error": the encounter was recorded in error, so it is not imported (an earlier import of it is not withdrawn) (warning)',
      'line 12 [src:Encounter/done] status: status "done" is not a FHIR encounter status (rejected)',
    ]);
  });

  it('maps every SNOMED CT reason code in the table', async () => {
    const codes = Object.entries(ED_REASON_CODES);
    const result = await eventsOf(bundle(child, ...codes.map(([code], i) => emergency(`c${i}`, { reasonCode: [snomed(code)] }))));
    expect(result.events.map((e) => e.reason)).toEqual(codes.map(([, mapped]) => mapped.reason));
  });

  it('reads reason words, prefers codes to words and the more specific reason, never reads the service words as a reason, and defaults to other', async () => {
    const cases: [Resource, string][] = [
      [{ reasonCode: [{ text: 'Swallowed a button battery' }] }, 'ingestion'],
      [{ reasonCode: [{ text: 'Suspected overdose' }] }, 'ingestion'],
      [{ reasonCode: [{ text: 'Fell from climbing frame, head injury' }] }, 'injury'],
      [{ reasonCode: [{ text: 'Scald to arm' }] }, 'injury'],
      [{ reasonCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '999999', display: 'Wheezy, difficulty breathing' }] }] }, 'breathing'],
      [{ reasonCode: [{ text: 'Croup' }] }, 'breathing'],
      [{ reasonCode: [{ text: 'High temperature and vomiting' }] }, 'illness'],
      [{ reasonCode: [{ text: 'Febrile seizure' }] }, 'illness'],
      [{ reasonCode: [{ text: 'Fall after swallowing tablets' }] }, 'ingestion'],
      [{ reasonCode: [{ text: 'Cough' }, snomed('125605004')] }, 'injury'],
      [{ type: [snomed('75478009')] }, 'ingestion'],
      [{ type: [{ text: 'Minor injuries unit' }] }, 'other'],
      [{ reasonCode: [{ text: 'Parent worried' }] }, 'other'],
      [{}, 'other'],
    ];
    const result = await eventsOf(bundle(child, ...cases.map(([fields], i) => emergency(`w${i}`, fields))));
    expect(result.events.map((e) => e.reason)).toEqual(cases.map(([, reason]) => reason));
  });

  it('reads admitted from the discharge disposition when it says', async () => {
    const cases: [unknown, boolean | undefined][] = [
      ...Object.entries(DISCHARGE_ADMITTED).map(([code, admitted]): [unknown, boolean] => [
        { coding: [{ system: /^\d+$/.test(code) ? 'http://snomed.info/sct' : 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code }] },
        admitted,
      ]),
      [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'hosp' }] }, undefined],
      [{ text: 'Admitted to paediatric ward' }, true],
      [{ text: 'Discharged home with advice' }, false],
      [{ text: 'Left' }, undefined],
      [undefined, undefined],
    ];
    const result = await eventsOf(
      bundle(child, ...cases.map(([disposition], i) => emergency(`d${i}`, disposition === undefined ? {} : { hospitalization: { dischargeDisposition: disposition } }))),
    );
    expect(result.events.map((e) => e.admitted)).toEqual(cases.map(([, admitted]) => admitted));
  });
});

describe('FHIR bad entries', () => {
  it('rejects bad entries by the line they start on, with the field and what was wrong, and reads the rest', async () => {
    const result = await readAll('fhir', fixture('fhir-bad-entries.json'));
    expect(result.lines).toEqual([
      'line 3 [src:Patient/bad-birth] birthDate: birthDate "2019-13-02" is not a date (rejected)',
      'line 4 [src:Patient/bad-gender] gender: gender "f" is not one of: male, female, other, unknown (rejected)',
      'line 5 id: id is missing (a Patient needs its id to be imported) (rejected)',
      'line 6 [src:Patient/bad-nhs] identifier[0].value: identifier[0].value (the NHS number) fails the Modulus 11 check digit; kept, but not used for matching (warning)',
      'line 6 [src:Patient/bad-nhs] address.postalCode: address.postalCode is not in UK postcode format; kept and compared as text (warning)',
      'line 7 [src:Patient/child] id: Patient "child" is in this bundle again: the entry at line 2 already has it (rejected)',
      'line 8 [src:Appointment/a-dangling] status: status "noshow": the patient\'s date of birth is not in this bundle, so whether they were a child is not known; recorded as did-not-attend (warning)',
      'line 10 [src:Appointment/a-bad-start] start: start "2024-02-30T09:00:00Z" is not a date and time with its offset (rejected)',
      'line 11 [src:Appointment/a-no-offset] start: start "2024-02-03T09:00:00" is not a date and time with its offset (rejected)',
      'line 12 [src:Appointment/a-no-patient] participant: participant names no patient (an actor with a reference to Patient/...) (rejected)',
      'line 13 [src:Appointment/a-odd-status] status: status "maybe" is not a FHIR appointment status (rejected)',
      'line 14 [src:Appointment/a-error] status: status "entered-in-error": the appointment was recorded in error, so it is not imported (an earlier import of it is not withdrawn) (warning)',
      'line 15 [src:Appointment/a-cancel-none] cancelationReason: cancelationReason is missing, so who cancelled is not known; recorded as cancelled-by-service (warning)',
      'line 16 [src:Encounter/e-no-start] period.start: period.start is missing (the attendance needs its date) (rejected)',
      'line 18 -: entry[16] is not valid JSON (rejected)',
      'line 19 resource: entry[17] has no resource; nothing in it was read (warning)',
      'line 20 resourceType: resourceType is missing (each resource says what it is) (rejected)',
      'line 21 -: entry[19] is not a JSON object ({ ... }) (rejected)',
    ]);
    expect(result.objects.map((o) => [o.line, o.object.id])).toEqual([
      [1, 'src'],
      [2, 'src:Patient/child'],
      [6, 'src:Patient/bad-nhs'],
      [8, 'src:Appointment/a-dangling'],
      [9, 'src:Appointment/a-urn'],
      [15, 'src:Appointment/a-cancel-none'],
      [22, 'src:Appointment/a-last'],
    ]);
    // The appointment naming the patient through its entry's urn:uuid fullUrl is a child's.
    expect(objectWithId(result, 'src:Appointment/a-urn')).toMatchObject({ subjects: ['src:Patient/child'], status: 'was-not-brought' });
  });

  it('numbers an entry by the line its { is on in a pretty-printed bundle', async () => {
    const path = sample('fhir-bundle.sample.json');
    const text = readFileSync(path, 'utf8').split('\n');
    const result = await readAll('fhir', path);
    for (const item of result.objects.slice(1)) {
      expect(text[item.line - 1]!.trim()).toBe('{');
      const resourceId = String(item.object.id).split('/')[1]!;
      expect(text[item.line]).toContain(`/${resourceId}"`);
    }
    expect(objectWithId(result, 'src:Appointment/appt-1001')).toBeDefined();
    expect(result.objects.find((o) => o.object.id === 'src:Appointment/appt-1001')!.line).toBe(7);
  });

  it('reads the entries of a file cut off part-way, and says where it stops', async () => {
    const whole = `{"resourceType": "Bundle", "entry": [\n${JSON.stringify({ resource: child })},\n${JSON.stringify({ resource: appointment('a1', { status: 'fulfilled' }) })},\n${JSON.stringify({ resource: appointment('a2', { status: 'fulfilled' }) })}\n]}`;
    const path = folder.write('cut.json', whole.slice(0, whole.lastIndexOf('a2') + 10));
    const result = await readAll('fhir', path);
    expect(result.objects.map((o) => o.object.id)).toEqual(['src', 'src:Patient/kid', 'src:Appointment/a1']);
    expect(result.lines).toEqual(['line 4 -: this entry is not complete: the file ends part-way through it, so it was probably cut off (rejected)']);
    const broken = folder.write('broken.json', `{"resourceType": "Bundle", "entry": [\n${JSON.stringify({ resource: child })}\n}`);
    expect((await readAll('fhir', broken)).lines).toEqual(['line 3 -: the Bundle is not valid JSON at line 3, column 1; nothing after it was read (rejected)']);
  });
});

describe('FHIR files that are not a Bundle', () => {
  async function refusal(content: string): Promise<FileRefusedError> {
    const path = folder.write('not-a-bundle.json', content);
    // The very first step of the iteration throws: nothing (not even the source) comes out first.
    const iterator = readFeed('fhir', path, { source: 'src', agency: 'hospital' })[Symbol.asyncIterator]();
    const error = await iterator.next().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileRefusedError);
    return error as FileRefusedError;
  }

  it('refuses the whole file, in plain English, before yielding anything', async () => {
    const cases: [string, string, string][] = [
      ['', 'empty', 'it is empty'],
      ['upn,date\n1,2\n', 'not-json', 'it is not a FHIR Bundle: it is not valid JSON (the problem is at line 1, column 1)'],
      ['[{"resourceType": "Patient"}]', 'not-exchange-format', 'it is not a FHIR Bundle: it is JSON, but not one object {"resourceType": "Bundle", ...}'],
      ['{"resourceType": "Patient", "id": "x"}', 'not-exchange-format', 'it is not a FHIR Bundle: its resourceType is "Patient", but this feed reads a Bundle of Patient, Appointment and Encounter resources'],
      ['{"format": "throughline-exchange/1", "records": []}', 'not-exchange-format', 'it is not a FHIR Bundle: it has no "resourceType" (a FHIR Bundle is {"resourceType": "Bundle", "entry": [...]})'],
      ['{"resourceType": "Bundle", "entry": {"resource": {}}}', 'bad-structure', 'its "entry" must be a list (a JSON array) of entries, but it is an object'],
      ['{"resourceType": "Bun', 'not-json', 'it is not complete JSON; it stops part-way through (line 1), so it was probably cut off'],
      ['{"entry": [{"resource": {"resourceType": "Patient", "id": "p"}}], "resourceType": "Parameters"}', 'not-exchange-format', 'it is not a FHIR Bundle: its resourceType is "Parameters", but this feed reads a Bundle of Patient, Appointment and Encounter resources'],
    ];
    for (const [content, reason, why] of cases) {
      const error = await refusal(content);
      expect([reason, error.message]).toEqual([reason, `not-a-bundle.json was refused as a whole: ${why}.`]);
      expect(error.reason).toBe(reason);
      expect(error.exitCode).toBe(2);
    }
  });

  it('reads a Bundle whose resourceType comes after its entries the same as one where it comes first', async () => {
    const entries = [child, appointment('a1', { status: 'noshow' }), adult].map((resource) => JSON.stringify({ resource }));
    const first = folder.write('first.json', `{"resourceType": "Bundle", "entry": [\n${entries.join(',\n')}\n]}`);
    const last = folder.write('last.json', `{"entry": [\n${entries.join(',\n')}\n], "resourceType": "Bundle"}`);
    const a = await readAll('fhir', first);
    const b = await readAll('fhir', last);
    expect(b.items).toEqual(a.items);
    expect(a.objects.map((o) => o.object.id)).toEqual(['src', 'src:Patient/kid', 'src:Patient/mum', 'src:Appointment/a1']);
  });
});

describe('the FHIR sample', () => {
  it('imports with no rejections or warnings through the NdjsonValidator, records before the events naming them', async () => {
    const result = await readAll('fhir', sample('fhir-bundle.sample.json'), { source: 'nht', agency: 'hospital' });
    expect(result.problems).toEqual([]);
    const checked = await validateObjects(result.objects.map((o) => o.object));
    expect(checked.rejections).toEqual([]);
    expect(checked.warnings).toEqual([]);
    expect(result.objects.map((o) => [o.object.id, o.object.status ?? o.object.reason ?? o.object.object])).toEqual([
      ['nht', 'source'],
      ['nht:Patient/pt-ruby', 'record'],
      ['nht:Patient/pt-alfie', 'record'],
      ['nht:Patient/pt-chloe', 'record'],
      ['nht:Appointment/appt-1001', 'was-not-brought'],
      ['nht:Appointment/appt-1002', 'attended'],
      ['nht:Appointment/appt-1003', 'cancelled-by-family'],
      ['nht:Appointment/appt-1004', 'cancelled-by-service'],
      ['nht:Appointment/appt-1005', 'did-not-attend'],
      ['nht:Encounter/enc-2001', 'injury'],
      ['nht:Encounter/enc-2002', 'ingestion'],
    ]);
  });

  it('gives identical items when read twice (ids from the bundle alone), and reports progress over both passes', async () => {
    const path = sample('fhir-bundle.sample.json');
    const progress: FeedProgress[] = [];
    const items = [];
    for await (const item of readFeed('fhir', path, { source: 'nht', agency: 'hospital', onProgress: (p) => progress.push(p) })) items.push(item);
    const again = await readAll('fhir', path, { source: 'nht', agency: 'hospital' });
    expect(again.items).toEqual(items);
    const size = statSync(path).size;
    expect(progress.at(-1)).toEqual({ bytesRead: 2 * size, totalBytes: 2 * size });
  });
});
