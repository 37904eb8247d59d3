import { afterAll, describe, expect, it } from 'vitest';
import { FileRefusedError } from '../../../src/ingest/exchange-issues.js';
import { readFeed } from '../../../src/ingest/feeds/feed.js';
import { readDateOrDateTime } from '../../../src/ingest/feeds/feed-fields.js';
import { tempFolder } from '../ingest-helpers.js';
import { fixture, lines, objectWithId, readAll, sample, validateObjects } from './feed-helpers.js';

const folder = tempFolder('police-feed');
afterAll(() => folder.cleanup());

const HEADER = 'incident_reference,incident_date,address_line1,address_line2,town,postcode,role,person_reference,given_name,family_name,date_of_birth,sex,phone';
let files = 0;
const csv = (...rows: string[]) => {
  files += 1;
  return folder.write(`police-${files}.csv`, lines(...rows));
};

describe('police domestic-abuse notifications', () => {
  it('yields a record per person with the incident address, then one police-incident event per incident', async () => {
    const path = csv(
      HEADER,
      'NP-1,2024-07-14 23:40,"Flat 2, Mill House",Station Road,Larkfield,LK4 9BX,Victim,PN1,Leanne,Marsh,1991-02-11,F,07700 900789',
      'NP-1,2024-07-14 23:40,"Flat 2, Mill House",Station Road,Larkfield,LK4 9BX,suspect,PN2,Craig,Dunn,1988,M,',
      'NP-1,2024-07-14 23:40,"Flat 2, Mill House",Station Road,Larkfield,LK4 9BX,child_present,,Tyler,Marsh,2013-07-03,M,',
      'NP-1,2024-07-14 23:40,"Flat 2, Mill House",Station Road,Larkfield,LK4 9BX,child-present,,Poppy,Marsh,2020-09-28,F,',
      'NP-2,15/07/2024,1 Elm Road,,Larkfield,LK4 2PD,victim,,Ann,Bell,,,',
      'NP-2,15/07/2024,1 Elm Road,,Larkfield,LK4 2PD,other-adult,,Ben,Bell,,,',
    );
    const result = await readAll('police', path, { source: 'np', agency: 'police', name: 'Northshire Police' });
    expect(result.problems).toEqual([]);
    expect(result.objects.map((o) => [o.line, o.object.id])).toEqual([
      [1, 'np'],
      [2, 'np:NP-1:PN1'],
      [3, 'np:NP-1:PN2'],
      [4, 'np:NP-1:p3'],
      [5, 'np:NP-1:p4'],
      [2, 'np:NP-1'],
      [6, 'np:NP-2:p1'],
      [7, 'np:NP-2:p2'],
      [6, 'np:NP-2'],
    ]);
    expect(objectWithId(result, 'np:NP-1:PN1')).toEqual({
      object: 'record',
      id: 'np:NP-1:PN1',
      source: 'np',
      sourceRecordId: 'PN1',
      givenName: 'Leanne',
      familyName: 'Marsh',
      dateOfBirth: '1991-02-11',
      sex: 'female',
      address: { line1: 'Flat 2, Mill House', line2: 'Station Road', town: 'Larkfield', postcode: 'LK4 9BX' },
      phone: '07700 900789',
    });
    expect(objectWithId(result, 'np:NP-1')).toEqual({
      object: 'event',
      id: 'np:NP-1',
      source: 'np',
      type: 'police-incident',
      date: '2024-07-14T23:40:00+01:00',
      subjects: ['np:NP-1:PN1', 'np:NP-1:PN2'],
      kind: 'domestic-abuse',
      childrenPresent: ['np:NP-1:p3', 'np:NP-1:p4'],
      concerns: ['domestic-abuse'],
      summary: 'Domestic abuse incident notification (police reference NP-1): 1 victim, 1 suspect; 2 children present.',
    });
    expect(objectWithId(result, 'np:NP-2')).toMatchObject({
      date: '2024-07-15',
      subjects: ['np:NP-2:p1', 'np:NP-2:p2'],
      summary: 'Domestic abuse incident notification (police reference NP-2): 1 victim, 1 other adult; no children recorded as present.',
    });
    expect(objectWithId(result, 'np:NP-2')).not.toHaveProperty('childrenPresent');
    expect(result.objects.find((o) => o.object.id === 'np:NP-2')!.original).toBe('NP-2,15/07/2024,1 Elm Road,,Larkfield,LK4 2PD,victim,,Ann,Bell,,,\nNP-2,15/07/2024,1 Elm Road,,Larkfield,LK4 2PD,other-adult,,Ben,Bell,,,');
    const checked = await validateObjects(result.objects.map((o) => o.object));
    expect(checked.rejections).toEqual([]);
  });

  it('rejects bad rows by the line they start on (after quoted fields over two lines), and records what can be read of each incident', async () => {
    const result = await readAll('police', fixture('police-bad-rows.csv'));
    expect(result.lines).toEqual([
      'line 6 [src:NP-1:p3] role: role "witness" is not one of: victim, suspect, other-adult, child-present (rejected)',
      'line 7 [src:NP-1:p4] role: role is child-present, but date_of_birth shows the person was 18 or over on the incident date (warning)',
      'line 9 [src:NP-2:PN3] incident_date: incident_date "2024-13-40" is not a date (write it as YYYY-MM-DD or DD/MM/YYYY, with a time HH:MM if known) (rejected)',
      'line 10 [src:NP-2:PN4] incident_date: incident_date "2024-10-27 01:30" is in the hour the clocks went back, so it happened twice; add the offset (+01:00 or +00:00) (rejected)',
      'line 9 [src:NP-2] -: incident "NP-2" has no row that could be read, so it is not recorded (rejected)',
      'line 11 [src:NP-3:PN5] incident_date: incident_date "2024-03-31 01:30" is in the hour the clocks went forward, which did not happen in the UK (rejected)',
      'line 13 incident_reference: incident_reference "NP-1" was used by the rows from line 2, which ended before this row (the rows of one incident must be together) (rejected)',
      'line 14 incident_reference: incident_reference is missing (rejected)',
      'line 11 [src:NP-3] role: no adult (victim, suspect or other-adult) could be read for this incident, so its subjects are the children present (warning)',
      'line 15 [src:NP-4:PN6] sex: sex "Q" is not one of: female, male, unknown (or F, M, U) (rejected)',
      'line 16 [src:NP-4:PN6] postcode: postcode is not in UK postcode format; kept and compared as text (warning)',
      'line 17 [src:NP-4:PN6] person_reference: person_reference "PN6" is used again in this incident: line 16 already has it (rejected)',
      "line 18 [src:NP-4:p4] incident_date: incident_date differs from line 16, the incident's first row that could be read; the incident's details on that line are kept (warning)",
      'line 18 [src:NP-4:p4] -: this person has no name and no date of birth, so their record cannot be matched to any other record of them (warning)',
    ]);
    expect(result.objects.map((o) => [o.line, o.object.id])).toEqual([
      [1, 'src'],
      [2, 'src:NP-1:PN1'],
      [4, 'src:NP-1:PN2'],
      [7, 'src:NP-1:p4'],
      [2, 'src:NP-1'],
      [12, 'src:NP-3:p2'],
      [11, 'src:NP-3'],
      [16, 'src:NP-4:PN6'],
      [18, 'src:NP-4:p4'],
      [15, 'src:NP-4'],
    ]);
    expect(objectWithId(result, 'src:NP-3')).toMatchObject({ date: '2024-06-01T20:00:00+01:00', subjects: ['src:NP-3:p2'], childrenPresent: ['src:NP-3:p2'] });
    expect(objectWithId(result, 'src:NP-1:PN1')).toMatchObject({ address: { line1: 'Flat 2\r\nMill House' } });
    // Whatever was rejected, what was yielded passes the importer's validator.
    expect((await validateObjects(result.objects.map((o) => o.object))).rejections).toEqual([]);
  });

  it('reads incident dates as days, date-times with offsets, and UK clock times given their offset', () => {
    const read = (text: string) => {
      const reading = readDateOrDateTime('incident_date', text);
      return reading.ok ? reading.value : reading.message;
    };
    expect(read('2024-11-14')).toBe('2024-11-14');
    expect(read('14/11/2024')).toBe('2024-11-14');
    expect(read('2024-11-14T23:40:00Z')).toBe('2024-11-14T23:40:00Z');
    expect(read('2024-07-14T23:40+01:00')).toBe('2024-07-14T23:40+01:00');
    expect(read('2024-11-14 23:40')).toBe('2024-11-14T23:40:00+00:00');
    expect(read('2024-07-14 23:40:15')).toBe('2024-07-14T23:40:15+01:00');
    expect(read('4/7/2024 9:05')).toBe('2024-07-04T09:05:00+01:00');
    expect(read('2024-10-27 00:59')).toBe('2024-10-27T00:59:00+01:00');
    expect(read('2024-10-27 02:00')).toBe('2024-10-27T02:00:00+00:00');
    expect(read('2024-03-31 02:00')).toBe('2024-03-31T02:00:00+01:00');
    expect(read('2024-10-27 01:00')).toMatch(/clocks went back/);
    expect(read('2024-03-31 01:00')).toMatch(/clocks went forward/);
    expect(read('2024-02-30 10:00')).toBe('incident_date "2024-02-30 10:00" is not a date (write it as YYYY-MM-DD or DD/MM/YYYY, with a time HH:MM if known)');
    expect(read('2024-11-14T25:00:00Z')).toBe('incident_date "2024-11-14T25:00:00Z" is not a date and time');
    expect(read('last night')).toMatch(/^incident_date "last night" is not a date/);
  });

  it('refuses a file that is not a police notification CSV, before yielding anything', async () => {
    const cases: [string, string][] = [
      ['', 'it is empty'],
      [
        'upn,pupil_id,date,session,code\n',
        'it is not a police domestic-abuse notification CSV: its first line must be the header incident_reference,incident_date,address_line1,address_line2,town,postcode,role,person_reference,given_name,family_name,date_of_birth,sex,phone (incident_reference, incident_date and role are missing)',
      ],
    ];
    for (const [content, why] of cases) {
      const path = folder.write('not-police.csv', content);
      const iterator = readFeed('police', path, { source: 'np', agency: 'police' })[Symbol.asyncIterator]();
      const error = await iterator.next().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FileRefusedError);
      expect((error as FileRefusedError).message).toBe(`not-police.csv was refused as a whole: ${why}.`);
    }
  });
});

describe('the police sample', () => {
  it('imports with no rejections or warnings, and reads the same twice', async () => {
    const options = { source: 'np', agency: 'police' as const, name: 'Northshire Police', authority: 'Northshire' };
    const result = await readAll('police', sample('police-notifications.sample.csv'), options);
    expect(result.problems).toEqual([]);
    const checked = await validateObjects(result.objects.map((o) => o.object));
    expect(checked.rejections).toEqual([]);
    expect(checked.warnings).toEqual([]);
    expect(result.objects.filter((o) => o.object.type === 'police-incident').map((o) => [o.object.id, (o.object.childrenPresent as string[]).length])).toEqual([
      ['np:NP-24-118734', 2],
      ['np:NP-24-119020', 2],
      ['np:NP-24-119311', 1],
    ]);
    const again = await readAll('police', sample('police-notifications.sample.csv'), options);
    expect(again.items).toEqual(result.items);
  });
});
