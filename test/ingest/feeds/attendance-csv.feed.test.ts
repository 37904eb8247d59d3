import { afterAll, describe, expect, it } from 'vitest';
import { FileRefusedError } from '../../../src/ingest/exchange-issues.js';
import { ATTENDANCE_CODES, summariseAttendance, WITHDRAWN_ATTENDANCE_CODES } from '../../../src/ingest/feeds/attendance-summary.js';
import { readFeed } from '../../../src/ingest/feeds/feed.js';
import { DEFAULT_HALF_TERMS } from '../../../src/ingest/feeds/school-terms.js';
import { tempFolder } from '../ingest-helpers.js';
import { fixture, lines, objectWithId, readAll, sample, validateObjects } from './feed-helpers.js';

const folder = tempFolder('attendance-feed');
afterAll(() => folder.cleanup());

const HEADER = 'upn,pupil_id,given_name,family_name,date_of_birth,sex,date,session,code';
let files = 0;
const csv = (...rows: string[]) => {
  files += 1;
  return folder.write(`attendance-${files}.csv`, lines(...rows));
};

describe('school attendance CSV', () => {
  it('yields the source, one record per pupil on first sight, and a mark per row', async () => {
    const path = csv(
      HEADER,
      'A123456789012,P1,Ruby,Carter,2018-03-14,F,2024-09-02,AM,/',
      'A123456789012,P1,Ruby,Carter,2018-03-14,F,2024-09-02,PM,\\',
      ',P2,Sam,Oduya,02/11/2018,m,03/09/2024,am,l',
    );
    const result = await readAll('attendance', path, { source: 'lps', agency: 'school', name: 'Larkfield Primary School' });
    expect(result.items.map((item) => [item.type, item.line])).toEqual([
      ['object', 1],
      ['object', 2],
      ['attendance-mark', 2],
      ['attendance-mark', 3],
      ['object', 4],
      ['attendance-mark', 4],
    ]);
    expect(result.objects.map((o) => o.object)).toEqual([
      { object: 'source', id: 'lps', agency: 'school', name: 'Larkfield Primary School' },
      { object: 'record', id: 'lps:pupil:A123456789012', source: 'lps', sourceRecordId: 'P1', givenName: 'Ruby', familyName: 'Carter', dateOfBirth: '2018-03-14', sex: 'female', upn: 'A123456789012' },
      { object: 'record', id: 'lps:pupil:P2', source: 'lps', sourceRecordId: 'P2', givenName: 'Sam', familyName: 'Oduya', dateOfBirth: '2018-11-02', sex: 'male' },
    ]);
    expect(result.marks).toEqual([
      { line: 2, pupil: 'lps:pupil:A123456789012', pupilKey: 'A123456789012', date: '2024-09-02', session: 'AM', code: '/' },
      { line: 3, pupil: 'lps:pupil:A123456789012', pupilKey: 'A123456789012', date: '2024-09-02', session: 'PM', code: '\\' },
      { line: 4, pupil: 'lps:pupil:P2', pupilKey: 'P2', date: '2024-09-03', session: 'AM', code: 'L' },
    ]);
    expect(result.objects[1]!.original).toBe('A123456789012,P1,Ruby,Carter,2018-03-14,F,2024-09-02,AM,/');
    expect(result.problems).toEqual([]);
  });

  it('rejects bad rows by the line they start on (after a quoted field over two lines), naming the column, and reads the rest', async () => {
    const result = await readAll('attendance', fixture('attendance-bad-rows.csv'));
    expect(result.lines).toEqual([
      'line 5 [src:pupil:H801200001001] date: date "2024-13-02" is not a date (write it as YYYY-MM-DD or DD/MM/YYYY) (rejected)',
      'line 6 [src:pupil:H801200001001] code: code "H" is no longer a register code: agreed holiday; withdrawn in 2024 (leave is now C, an unauthorised holiday G) (rejected)',
      'line 7 [src:pupil:H801200001001] code: code "ZZ" is not a DfE register code (the codes in use from August 2024: docs/agency-feeds.md) (rejected)',
      'line 8 [src:pupil:H801200001001] session: session "EV" is not AM or PM (rejected)',
      'line 9 upn: upn and pupil_id are both empty: each row must name the pupil (rejected)',
      'line 10 -: this row has 7 fields, but the header has 9 (rejected)',
      'line 11 [src:pupil:H801200001001] family_name: family_name differs from line 2, where this pupil was first read; the details on that line are kept (warning)',
      'line 15 [src:pupil:Q801200005005] date_of_birth: date_of_birth "31/02/2018" is not a date (write it as YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY) (rejected)',
    ]);
    expect(result.objects.map((o) => [o.line, o.object.id])).toEqual([
      [1, 'src'],
      [2, 'src:pupil:H801200001001'],
      [3, 'src:pupil:Z801200009009'],
    ]);
    expect(objectWithId(result, 'src:pupil:Z801200009009').familyName).toBe('Ali-\nKhan');
    // The row naming Ruby by her school id alone (line 16) is hers: no second record.
    expect(result.marks.map((m) => [m.line, m.pupil])).toEqual([
      [2, 'src:pupil:H801200001001'],
      [3, 'src:pupil:Z801200009009'],
      [11, 'src:pupil:H801200001001'],
      [12, 'src:pupil:H801200001001'],
      [13, 'src:pupil:H801200001001'],
      [16, 'src:pupil:H801200001001'],
    ]);
    // A date in no half term and a session marked twice are the summary's to reject, by line too.
    expect(summariseAttendance(result.marks, DEFAULT_HALF_TERMS, { source: 'src', setting: 'school' }).problems).toEqual([
      { line: 12, field: 'date', message: 'date "2024-08-10" is not in any half term of the partnership\'s term dates' },
      { line: 13, field: 'session', message: 'session "AM" on 2024-09-02 already has a mark for this pupil on an earlier row; this one is not counted' },
    ]);
  });

  it('accepts every register code in use (in either case), and rejects the withdrawn ones by name', async () => {
    const codes = Object.keys(ATTENDANCE_CODES);
    const rows = codes.map((code, i) => `A123456789012,,,,,,2024-09-${String(2 + Math.floor(i / 2)).padStart(2, '0')},${i % 2 === 0 ? 'AM' : 'PM'},${code.toLowerCase()}`);
    const withdrawn = Object.keys(WITHDRAWN_ATTENDANCE_CODES).map((code) => `A123456789012,,,,,,2024-10-01,AM,${code}`);
    const result = await readAll('attendance', csv(HEADER, ...rows, ...withdrawn));
    expect(result.marks.map((m) => m.code)).toEqual(codes);
    expect(result.problems.map((p) => p.message)).toEqual([
      'code "H" is no longer a register code: agreed holiday; withdrawn in 2024 (leave is now C, an unauthorised holiday G)',
      'code "J" is no longer a register code: interview; withdrawn in 2024 (now J1)',
      'code "Y" is no longer a register code: unable to attend, exceptional circumstances; withdrawn in 2024 (now Y1 to Y7)',
      'code "F" is no longer a register code: extended holiday; withdrawn (an unauthorised holiday is G)',
    ]);
  });

  it('warns when a pupil\'s details differ between rows or the UPN is not in UPN format, never duplicating the record', async () => {
    const result = await readAll(
      'attendance',
      csv(
        HEADER,
        'a 12345678901 2,P1,Ruby,Carter,2018-03-14,F,2024-09-02,AM,/',
        'A123456789012,P1,Ruby,Carter,14/03/2018,female,2024-09-02,PM,/',
        'A123456789012,,,,2018-03-15,M,2024-09-03,AM,/',
        'BAD-UPN,P9,Bo,Lee,,,2024-09-03,AM,/',
      ),
    );
    expect(result.objects.filter((o) => o.object.object === 'record').map((o) => o.object.id)).toEqual(['src:pupil:A123456789012', 'src:pupil:BAD-UPN']);
    expect(objectWithId(result, 'src:pupil:A123456789012').upn).toBe('a 12345678901 2');
    expect(result.lines).toEqual([
      'line 4 [src:pupil:A123456789012] date_of_birth: date_of_birth differs from line 2, where this pupil was first read; the details on that line are kept (warning)',
      'line 4 [src:pupil:A123456789012] sex: sex differs from line 2, where this pupil was first read; the details on that line are kept (warning)',
      'line 5 [src:pupil:BAD-UPN] upn: upn is not in UPN format (13 characters: a letter, 11 digits, then a digit or a letter); kept as recorded (warning)',
    ]);
  });

  it('ignores a column it does not define, with a warning on line 1', async () => {
    const result = await readAll('attendance', csv(`${HEADER},Year Group`, 'A123456789012,P1,Ruby,Carter,2018-03-14,F,2024-09-02,AM,/,Y1'));
    expect(result.lines).toEqual(['line 1 year group: column "year group" is not a column of a school attendance CSV; ignored (warning)']);
    expect(result.marks).toHaveLength(1);
  });

  it('refuses a file that is not a school attendance CSV, before yielding anything', async () => {
    const cases: [string | Buffer, string, string][] = [
      ['', 'empty', 'it is empty'],
      ['\n\n\n', 'empty', 'it holds only blank lines'],
      [
        'incident_reference,incident_date,role\nNP-1,2024-01-01,victim\n',
        'no-header',
        'it is not a school attendance CSV: its first line must be the header upn,pupil_id,given_name,family_name,date_of_birth,sex,date,session,code (upn or pupil_id, date, session and code are missing)',
      ],
      ['upn,date,session\n', 'no-header', `it is not a school attendance CSV: its first line must be the header ${HEADER} (code is missing)`],
      ['{"resourceType": "Bundle"}\n', 'no-header', `it is not a school attendance CSV: its first line must be the header ${HEADER} (upn or pupil_id, date, session and code are missing)`],
      ['upn,UPN,date,session,code\n', 'no-header', 'its header names the column "upn" twice'],
      [Buffer.from([0x75, 0x70, 0x6e, 0xe9, 0x0a]), 'not-utf8', 'it is not UTF-8 text (save it as "CSV UTF-8")'],
    ];
    for (const [content, reason, why] of cases) {
      const path = folder.write('not-attendance.csv', content);
      const iterator = readFeed('attendance', path, { source: 'src', agency: 'school' })[Symbol.asyncIterator]();
      const error = await iterator.next().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FileRefusedError);
      expect([reason, (error as FileRefusedError).message]).toEqual([reason, `not-attendance.csv was refused as a whole: ${why}.`]);
      expect((error as FileRefusedError).reason).toBe(reason);
    }
  });
});

describe('the attendance sample', () => {
  it('imports with no rejections or warnings, its summaries too, and reads the same twice', async () => {
    const options = { source: 'lps', agency: 'school' as const, name: 'Larkfield Primary School' };
    const result = await readAll('attendance', sample('school-attendance.sample.csv'), options);
    expect(result.problems).toEqual([]);
    expect(result.marks).toHaveLength(270);
    const summary = summariseAttendance(result.marks, DEFAULT_HALF_TERMS, { source: 'lps', setting: 'school' });
    expect(summary.problems).toEqual([]);
    const checked = await validateObjects([...result.objects.map((o) => o.object), ...summary.events]);
    expect(checked.rejections).toEqual([]);
    expect(checked.warnings).toEqual([]);
    expect(summary.events.map((e) => [e.id, e.possibleSessions, e.attendedSessions, e.unauthorisedSessions, e.to])).toEqual([
      ['lps:attendance:H801200001001:2024-09-02', 80, 77, 0, '2024-10-25'],
      ['lps:attendance:H801200001001:2024-11-04', 10, 10, 0, '2024-11-08'],
      ['lps:attendance:K801200002002:2024-09-02', 80, 71, 6, '2024-10-25'],
      ['lps:attendance:K801200002002:2024-11-04', 10, 10, 0, '2024-11-08'],
      ['lps:attendance:M801200003003:2024-09-02', 80, 30, 20, '2024-10-25'],
      ['lps:attendance:M801200003003:2024-11-04', 10, 4, 1, '2024-11-08'],
    ]);
    const again = await readAll('attendance', sample('school-attendance.sample.csv'), options);
    expect(again.items).toEqual(result.items);
    expect(summariseAttendance(again.marks, DEFAULT_HALF_TERMS, { source: 'lps', setting: 'school' })).toEqual(summary);
  });
});
