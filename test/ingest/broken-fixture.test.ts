import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/ingest/exchange-issues.js';
import type { AcceptedObject } from '../../src/ingest/exchange-validator.js';
import { readExchangeFile } from '../../src/ingest/read-exchange-file.js';
import { collect } from './ingest-helpers.js';

// test/fixtures/exchange/broken.json holds one of each problem among good objects. Each bad object
// is rejected with exactly these messages; warnings never reject; everything else comes through.

const FIXTURE = 'test/fixtures/exchange/broken.json';

const EXPECTED_REJECTIONS = [
  'sources[2] (id "clinic"): agency "nhs" is not an agency code',
  'records[2] (id "hosp:dad"): dateOfBirth "1988-02-30" is not a date',
  'relationships[1] (id "hosp:r2"): from "hosp:dad" names records[2], which was rejected',
  'events[1] (id "hosp:e14"): date "2019-13-02" is not a date',
  'events[2] (id "hosp:e15"): date "2019-02-30" is not a date',
  'events[3] (id "hosp:e16"): type "phone-call" is not an event type',
  'events[4] (id "hosp:e17"): subjects[1] "hosp:nobody" is not a record in this file or imported before',
  'events[7] (id "hosp:e20"): about[0] "hosp:e14" names events[1], which was rejected',
  'events[9] (id "clinic:e1"): source "clinic" names sources[2], which was rejected',
  'events[10] (id "hosp:e1"): id "hosp:e1" is used again: events[0] already has it',
  'events[11] (id "hosp:e21"): recorded "2020-10-14T22:05" has a time but no UTC offset (add one, for example "Z" or "+01:00")',
  'events[12] (id "hosp:e22"): significant must be true or false, not "yes"',
  'events[12] (id "hosp:e22"): level must be a whole number from 1 to 4, not the number 5',
  'events[13] (id "hosp:e23"): status "dna" is not one of: attended, was-not-brought, did-not-attend, cancelled-by-family, cancelled-by-service, rearranged',
];

const EXPECTED_WARNINGS = [
  'file: generatedBy is not a field of the file; kept as received, not used',
  'records[1] (id "hosp:mum"): nhsNumber fails the Modulus 11 check digit; kept, but not used for matching',
  'records[1] (id "hosp:mum"): address.floor is not a field of an address; kept as received, not used',
  'records[1] (id "hosp:mum"): address.postcode is not in UK postcode format; kept and compared as text',
  'records[3] (id "school:amy"): favouriteColour is not a field of a record; kept as received, not used',
  'events[5] (id "hosp:e18"): status "did-not-attend" is for adults, but subject "hosp:amy" was under 18 on this date; it will be read as was-not-brought',
  'events[13] (id "hosp:e23"): childSeen is not a field of an appointment event; kept as received, not used',
];

describe('the broken fixture', () => {
  it('rejects exactly the bad objects, with exactly these messages', async () => {
    const got = await collect(await readExchangeFile(FIXTURE));
    expect(got.rejections).toEqual(EXPECTED_REJECTIONS);
    expect(got.warnings).toEqual(EXPECTED_WARNINGS);
  });

  it('still yields every good object, warnings and all, exactly as received', async () => {
    const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown[]>;
    const got = await collect(await readExchangeFile(FIXTURE));
    expect(got.accepted.map((item) => item.location.id)).toEqual([
      'hosp', 'school',
      'hosp:amy', 'hosp:mum', 'school:amy',
      'hosp:r1', 'hosp:r3',
      'hosp:e1', 'hosp:e18', 'hosp:e19', 'school:e1', 'hosp:e24',
    ]);
    const mum = got.accepted.find((item) => item.location.id === 'hosp:mum') as AcceptedObject<'record'>;
    expect(mum.object).toEqual(raw.records![1]); // unknown fields and all
    expect(mum.normalised.nhsNumber).toEqual({ value: '943 476 5918', digits: '9434765918', valid: false, problem: 'check-digit' });
    expect(mum.normalised.address?.postcode).toBe('NOT A POSTCODE');
    expect(mum.normalised.dateOfBirth).toEqual({ value: '1990-05', precision: 'month', sortKey: '1990-05-01' });
    expect(mum.normalised).not.toHaveProperty('address.floor');

    const edVisit = got.accepted.find((item) => item.location.id === 'hosp:e24') as AcceptedObject<'event'>;
    expect(edVisit.normalised.date).toEqual({ value: '2020-06-30T23:30:00Z', precision: 'datetime', sortKey: '2020-07-01' });
    const fatherUnknown = got.accepted.find((item) => item.location.id === 'hosp:r3') as AcceptedObject<'relationship'>;
    expect(fatherUnknown.normalised).toMatchObject({ type: 'father', fatherUnknown: true });
    expect(fatherUnknown.normalised.from).toBeUndefined();
  });

  it('gives each rejection as a structured object too', async () => {
    const got = await collect(await readExchangeFile(FIXTURE));
    const bad = got.rejected.find((item) => item.location.id === 'hosp:e14');
    expect(bad?.status === 'rejected' && bad.rejections).toEqual([
      { location: { object: 'events[1]', id: 'hosp:e14' }, field: 'date', message: 'date "2019-13-02" is not a date' },
    ]);
    expect(bad?.object).toEqual(expect.objectContaining({ id: 'hosp:e14', date: '2019-13-02' }));
  });

  it('validates the scenario parts the same way', async () => {
    const reading = await readExchangeFile(FIXTURE);
    const scenario = reading.scenario!;
    expect(scenario.expect.map((part) => part.status)).toEqual(['accepted', 'rejected']);
    const rejected = scenario.expect[1]!;
    expect(rejected.status === 'rejected' && rejected.rejections.map(formatIssue)).toEqual([
      'expect[1]: by "2020-13-01" is not a date',
      'expect[1]: subject "hosp:ghost" is not a record in this file or imported before',
    ]);
    expect(scenario.expect[0]).toMatchObject({ status: 'accepted', normalised: { rule: 'was-not-brought', subject: 'hosp:amy', by: { sortKey: '2020-06-30' } } });
    expect(scenario.expectNot[0]).toMatchObject({ status: 'accepted', normalised: { subject: 'school:amy' } });
    expect(scenario.incident).toMatchObject({ status: 'accepted', normalised: { kind: 'serious-harm', date: { precision: 'month', sortKey: '2020-11-01' } } });
  });

  it('accepts references to objects imported before, asking the caller only about what the file does not hold', async () => {
    const asked: string[] = [];
    const got = await collect(
      await readExchangeFile(FIXTURE, {
        knownIds: async (kind, id) => {
          asked.push(`${kind} ${id}`);
          return id === 'hosp:nobody' || id === 'hosp:e14';
        },
      }),
    );
    expect(got.accepted.map((item) => item.location.id)).toContain('hosp:e17'); // hosp:nobody was imported before
    expect(got.accepted.map((item) => item.location.id)).toContain('hosp:e20'); // an earlier version of hosp:e14 is held
    expect(got.rejected.map((item) => item.location.id)).toContain('hosp:e14'); // the new version itself is still bad
    expect(asked).toEqual(expect.arrayContaining(['record hosp:nobody', 'event hosp:e14', 'source clinic']));
    expect(asked).not.toContain('record hosp:amy');
  });
});
