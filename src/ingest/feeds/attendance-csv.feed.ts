// A school's attendance register export: one CSV row per pupil per session (morning or
// afternoon), with the DfE register code. The feed yields one person record per pupil (the first
// time the pupil's row can be read) and one attendance mark per row; summariseAttendance
// (attendance-summary.ts) then turns the marks into one attendance-summary event per pupil per
// half term, with the partnership's term dates. The marks are yielded rather than summarised here
// because the term dates are the partnership's setting, not the file's.
//
// Memory is bounded by the pupils, not the rows: per pupil only the details first read (to warn
// when a later row differs) are kept.
import { quote } from '../exchange-issues.js';
import { isAttendanceCode, WITHDRAWN_ATTENDANCE_CODES, type AttendanceCode, type AttendanceMark } from './attendance-summary.js';
import type { FeedItem, FeedProblem, ReadFeedOptions } from './feed.js';
import {
  cellReader,
  readCsvFeed,
  readDateOfBirth,
  readDay,
  readSex,
  rejected,
  rowFields,
  warning,
} from './feed-fields.js';

/** The columns of a school attendance CSV, in the order the header usually gives them (any order is read). */
export const ATTENDANCE_COLUMNS = ['upn', 'pupil_id', 'given_name', 'family_name', 'date_of_birth', 'sex', 'date', 'session', 'code'] as const;

/** Required columns: each group needs at least one of its columns in the header. */
const REQUIRED: readonly (readonly string[])[] = [['upn', 'pupil_id'], ['date'], ['session'], ['code']];
const WHAT = 'a school attendance CSV';

/** The columns that describe the pupil (compared between a pupil's rows). */
const DETAIL_COLUMNS = ['upn', 'pupil_id', 'given_name', 'family_name', 'date_of_birth', 'sex'] as const;
type DetailColumn = (typeof DETAIL_COLUMNS)[number];

/** A UPN: a check letter, 11 digits, and a digit (or, for a temporary UPN, a letter). */
const UPN_FORMAT = /^[A-Z]\d{11}[0-9A-Z]$/;

interface PupilSeen {
  line: number;
  details: Record<DetailColumn, string>;
}

/** The register code in a cell (case is ignored: `l` is L), or why it is not one. */
function readCode(text: string): { ok: true; value: AttendanceCode } | { ok: false; message: string } {
  if (text === '') return { ok: false, message: 'code is missing' };
  const code = text.toUpperCase();
  if (isAttendanceCode(code)) return { ok: true, value: code };
  const withdrawn = WITHDRAWN_ATTENDANCE_CODES[code];
  if (withdrawn !== undefined) return { ok: false, message: `code ${quote(text)} is no longer a register code: ${withdrawn}` };
  return { ok: false, message: `code ${quote(text)} is not a DfE register code (the codes in use from August 2024: docs/agency-feeds.md)` };
}

/** A detail as compared between rows: dates and sex as read, identifiers without spaces or case. */
function comparable(column: DetailColumn, value: string): string {
  if (value === '') return '';
  if (column === 'date_of_birth') {
    const reading = readDateOfBirth(column, value);
    return reading.ok ? reading.value : value;
  }
  if (column === 'sex') {
    const reading = readSex(column, value);
    return reading.ok ? reading.value : value;
  }
  if (column === 'upn' || column === 'pupil_id') return value.replace(/\s/g, '').toUpperCase();
  return value;
}

/**
 * Reads a school attendance CSV (columns: {@link ATTENDANCE_COLUMNS}): the source, a record per
 * pupil, and an `attendance-mark` per row. Rows that cannot be read are rejected, one problem per
 * column. Throws FileRefusedError when the file is empty or its header is not this feed's.
 */
export async function* readAttendanceCsvFeed(path: string, options: ReadFeedOptions): AsyncGenerator<FeedItem> {
  yield* readCsvFeed(path, options, { what: WHAT, columns: ATTENDANCE_COLUMNS, required: REQUIRED }, async function* (header, rows) {
    const pupils = new Map<string, PupilSeen>();
    // A pupil may be named by UPN on one row and by the school's id on another: either finds them.
    const aliases = new Map<string, string>();

    for (let next = await rows.next(); next.done !== true; next = await rows.next()) {
      const row = next.value;
      const { line } = row;
      const fields = rowFields(row, header);
      if (typeof fields === 'string') {
        yield rejected(line, null, fields);
        continue;
      }
      const cell = cellReader(header, fields);
      const upn = comparable('upn', cell('upn'));
      const pupilId = cell('pupil_id');
      if (upn === '' && pupilId === '') {
        yield rejected(line, header.index.has('upn') ? 'upn' : 'pupil_id', 'upn and pupil_id are both empty: each row must name the pupil');
        continue;
      }
      const key = (pupilId !== '' ? aliases.get(`id:${pupilId}`) : undefined) ?? (upn !== '' ? aliases.get(`upn:${upn}`) : undefined) ?? (upn !== '' ? upn : pupilId);
      const recordId = `${options.source}:pupil:${key}`;
      const seen = pupils.get(key);

      const problems: FeedProblem[] = [];
      const reject = (field: string, message: string) => problems.push(rejected(line, field, message, recordId));
      const details = Object.fromEntries(DETAIL_COLUMNS.map((column) => [column, cell(column)])) as Record<DetailColumn, string>;
      let dateOfBirth: string | undefined;
      let sex: string | undefined;
      if (details.date_of_birth !== '') {
        const reading = readDateOfBirth('date_of_birth', details.date_of_birth);
        if (reading.ok) dateOfBirth = reading.value;
        else reject('date_of_birth', reading.message);
      }
      if (details.sex !== '') {
        const reading = readSex('sex', details.sex);
        if (reading.ok) sex = reading.value;
        else reject('sex', reading.message);
      }
      let date: string | undefined;
      const dateText = cell('date');
      if (dateText === '') reject('date', 'date is missing');
      else {
        const reading = readDay('date', dateText);
        if (reading.ok) date = reading.value;
        else reject('date', reading.message);
      }
      const sessionText = cell('session').toUpperCase();
      if (sessionText === '') reject('session', 'session is missing');
      else if (sessionText !== 'AM' && sessionText !== 'PM') reject('session', `session ${quote(cell('session'))} is not AM or PM`);
      const code = readCode(cell('code'));
      if (!code.ok) reject('code', code.message);
      if (problems.length > 0) {
        yield* problems;
        continue;
      }

      if (seen === undefined) {
        const record: Record<string, unknown> = { object: 'record', id: recordId, source: options.source };
        if (pupilId !== '') record.sourceRecordId = pupilId;
        if (details.given_name !== '') record.givenName = details.given_name;
        if (details.family_name !== '') record.familyName = details.family_name;
        if (dateOfBirth !== undefined) record.dateOfBirth = dateOfBirth;
        if (sex !== undefined) record.sex = sex;
        if (upn !== '') record.upn = cell('upn');
        yield { type: 'object', line, object: record, original: row.text ?? '' };
        if (upn !== '' && !UPN_FORMAT.test(upn)) {
          yield warning(line, 'upn', 'upn is not in UPN format (13 characters: a letter, 11 digits, then a digit or a letter); kept as recorded', recordId);
        }
        pupils.set(key, { line, details });
        if (pupilId !== '') aliases.set(`id:${pupilId}`, key);
        if (upn !== '') aliases.set(`upn:${upn}`, key);
      } else {
        for (const column of DETAIL_COLUMNS) {
          const value = comparable(column, details[column]);
          if (value !== '' && value !== comparable(column, seen.details[column])) {
            yield warning(line, column, `${column} differs from line ${seen.line}, where this pupil was first read; the details on that line are kept`, recordId);
          }
        }
        // A pupil first named by one identifier and now also by the other is found by both from here on.
        if (pupilId !== '' && !aliases.has(`id:${pupilId}`)) aliases.set(`id:${pupilId}`, key);
        if (upn !== '' && !aliases.has(`upn:${upn}`)) aliases.set(`upn:${upn}`, key);
      }
      const mark: AttendanceMark = { line, pupil: recordId, pupilKey: key, date: date!, session: sessionText as 'AM' | 'PM', code: (code as { value: AttendanceCode }).value };
      yield { type: 'attendance-mark', line, mark, original: row.text ?? '' };
    }
  });
}
