// Pieces every feed shares: the source object, refusing a file, reading dates, times and sex as
// agencies' systems write them, the warnings that never reject (NHS number, postcode), and the
// CSV header check. Messages follow the importer's (src/ingest/exchange-issues.ts): the field
// first, codes and dates quoted back, personal data (names, NHS numbers, postcodes) never.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseExchangeDate } from '../exchange-dates.js';
import { FileRefusedError, quote, type RefusalReason } from '../exchange-issues.js';
import { checkNhsNumber, isUkPostcodeFormat } from '../uk-identifiers.js';
import { UserFacingError } from '../../shared/errors.js';
import { DEFAULT_MAX_ROW_BYTES, readCsvRows, type CsvRow } from './csv-rows.js';
import type { FeedItem, FeedOptions, FeedProblem, ReadFeedOptions } from './feed.js';

/** A calendar day written `YYYY-MM-DD`. */
export type Day = string;

/** The `source` object every feed starts with (line 1). */
export function sourceObject(options: FeedOptions): Record<string, unknown> {
  const source: Record<string, unknown> = { object: 'source', id: options.source, agency: options.agency, name: options.name ?? options.source };
  if (options.authority !== undefined) source.authority = options.authority;
  return source;
}

/** The FileRefusedError for a file that is not the feed: `FILE was refused as a whole: WHY.` */
export function refuse(fileName: string, why: string, reason: RefusalReason): FileRefusedError {
  return new FileRefusedError(`${fileName} was refused as a whole: ${why}.`, reason);
}

/** The size of the file at `path`; refuses an empty file, and says plainly when it cannot be read. */
export async function feedFileSize(path: string, fileName: string): Promise<number> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserFacingError(`${fileName} cannot be imported: it is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission to read it was refused' : 'it could not be opened';
    throw new UserFacingError(`${path} cannot be imported: ${why}.`, { cause: error });
  }
  if (size === 0) throw refuse(fileName, 'it is empty', 'empty');
  return size;
}

/** A rejection of a row. */
export function rejected(line: number, field: string | null, message: string, id?: string): FeedProblem {
  return id === undefined ? { type: 'problem', line, field, message, severity: 'rejected' } : { type: 'problem', line, id, field, message, severity: 'rejected' };
}

/** A warning about a row that is still used. */
export function warning(line: number, field: string | null, message: string, id?: string): FeedProblem {
  return id === undefined ? { type: 'problem', line, field, message, severity: 'warning' } : { type: 'problem', line, id, field, message, severity: 'warning' };
}

/** What reading one field gave: its value, or the message (which starts with the field). */
export type FieldReading<T> = { ok: true; value: T } | { ok: false; message: string };

const UK_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** `DD/MM/YYYY` (UK order, as spreadsheets write dates) as `YYYY-MM-DD`, unchecked; else the text as it is. */
function fromUkOrder(text: string): string {
  const match = UK_DAY.exec(text);
  return match ? `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}` : text;
}

/**
 * A calendar day in a CSV column: `YYYY-MM-DD` or `DD/MM/YYYY`, read as `YYYY-MM-DD`. An
 * impossible day (2019-13-02, 30/02/2019) is not a date.
 */
export function readDay(field: string, text: string): FieldReading<Day> {
  const iso = fromUkOrder(text);
  const reading = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? parseExchangeDate(iso) : null;
  if (reading?.ok === true) return { ok: true, value: iso };
  return { ok: false, message: `${field} ${quote(text)} is not a date (write it as YYYY-MM-DD or DD/MM/YYYY)` };
}

/**
 * A date of birth in a CSV column: a day (`YYYY-MM-DD`, `DD/MM/YYYY`), or the vaguer `YYYY-MM`
 * and `YYYY` the exchange format keeps (police often know only a year of birth).
 */
export function readDateOfBirth(field: string, text: string): FieldReading<string> {
  const iso = fromUkOrder(text);
  const reading = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(iso) ? parseExchangeDate(iso) : null;
  if (reading?.ok === true) return { ok: true, value: iso };
  return { ok: false, message: `${field} ${quote(text)} is not a date (write it as YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY)` };
}

const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const UK_LOCAL_DATETIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const LONDON_WALL_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The London wall-clock time of an instant, as `YYYY-MM-DDTHH:MM:SS`. */
function londonWallTime(instant: Date): string {
  const parts = LONDON_WALL_TIME.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}

/**
 * A local London time (`YYYY-MM-DDTHH:MM:SS`) with its UTC offset, or why it cannot be given one:
 * in the hour the clocks go back it happened twice, and in the hour they go forward it never did.
 */
function withLondonOffset(local: string): { ok: true; value: string } | { ok: false; problem: 'ambiguous' | 'missing' } {
  const [datePart, timePart] = local.split('T') as [string, string];
  const [y, m, d] = datePart.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss] = timePart.split(':').map(Number) as [number, number, number];
  const matches: string[] = [];
  for (const offsetHours of [0, 1]) {
    const instant = new Date(0);
    instant.setUTCFullYear(y, m - 1, d);
    instant.setUTCHours(hh - offsetHours, mm, ss, 0);
    if (londonWallTime(instant) === local) matches.push(offsetHours === 0 ? '+00:00' : '+01:00');
  }
  if (matches.length === 1) return { ok: true, value: `${local}${matches[0]}` };
  return { ok: false, problem: matches.length === 0 ? 'missing' : 'ambiguous' };
}

/**
 * When an incident happened, in a CSV column: a day (`YYYY-MM-DD`, `DD/MM/YYYY`), an ISO 8601
 * date-time with its offset (kept as written), or a local UK date and time (`YYYY-MM-DD HH:MM`,
 * `DD/MM/YYYY HH:MM`), which police systems export in clock time: it is given its Europe/London
 * offset. The hour the clocks go back happened twice, so a local time in it is refused rather
 * than guessed (as the exchange format refuses a time without an offset).
 */
export function readDateOrDateTime(field: string, text: string): FieldReading<string> {
  const day = readDay(field, text);
  if (day.ok) return day;
  if (/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const reading = parseExchangeDate(text.replace(' ', 'T'));
    if (reading.ok) return { ok: true, value: reading.date.value };
    return { ok: false, message: `${field} ${quote(text)} is not a date and time` };
  }
  let local: string | null = null;
  let match = LOCAL_DATETIME.exec(text);
  if (match) local = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? '00'}`;
  match = local === null ? UK_LOCAL_DATETIME.exec(text) : null;
  if (match) local = `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}T${match[4]!.padStart(2, '0')}:${match[5]}:${match[6] ?? '00'}`;
  if (local !== null && parseExchangeDate(`${local}Z`).ok) {
    const timed = withLondonOffset(local);
    if (timed.ok) return { ok: true, value: timed.value };
    return {
      ok: false,
      message:
        timed.problem === 'ambiguous'
          ? `${field} ${quote(text)} is in the hour the clocks went back, so it happened twice; add the offset (+01:00 or +00:00)`
          : `${field} ${quote(text)} is in the hour the clocks went forward, which did not happen in the UK`,
    };
  }
  return { ok: false, message: `${field} ${quote(text)} is not a date (write it as YYYY-MM-DD or DD/MM/YYYY, with a time HH:MM if known)` };
}

/** The calendar day (Europe/London) of a date the exchange format accepts; null when it is not one. */
export function dayOf(date: string): Day | null {
  const reading = parseExchangeDate(date);
  return reading.ok ? reading.date.sortKey : null;
}

const SEX_WORDS: Record<string, 'female' | 'male' | 'unknown'> = {
  female: 'female',
  f: 'female',
  male: 'male',
  m: 'male',
  unknown: 'unknown',
  u: 'unknown',
  'not known': 'unknown',
  'not specified': 'unknown',
  other: 'unknown',
  indeterminate: 'unknown',
  x: 'unknown',
};

/** Sex in a CSV column: the exchange words or the one-letter codes systems export (table in docs/agency-feeds.md). */
export function readSex(field: string, text: string): FieldReading<'female' | 'male' | 'unknown'> {
  const sex = SEX_WORDS[text.trim().toLowerCase()];
  if (sex !== undefined) return { ok: true, value: sex };
  return { ok: false, message: `${field} ${quote(text)} is not one of: female, male, unknown (or F, M, U)` };
}

/** The day someone born on `birthKey` (a sort key, the start of a vague period) turns 18. */
export function eighteenthBirthday(birthKey: Day): Day {
  return `${String(Number(birthKey.slice(0, 4)) + 18).padStart(4, '0')}${birthKey.slice(4)}`;
}

/** True when someone born on `birthKey` was under 18 on `day` (a vague date of birth counts from the start of its period, as the validator counts it). */
export function isUnder18On(birthKey: Day, day: Day): boolean {
  return day < eighteenthBirthday(birthKey);
}

/** The warning for an NHS number that is kept but not trusted for matching, or null when it is sound. */
export function nhsNumberProblem(field: string, value: string): string | null {
  const check = checkNhsNumber(value);
  if (check.problem === 'not-ten-digits') return `${field} is not 10 digits (spaces allowed); kept, but not used for matching`;
  if (check.problem === 'check-digit') return `${field} fails the Modulus 11 check digit; kept, but not used for matching`;
  return null;
}

/** The warning for a postcode not in UK format (kept and compared as text), or null. */
export function postcodeProblem(field: string, value: string): string | null {
  return isUkPostcodeFormat(value) ? null : `${field} is not in UK postcode format; kept and compared as text`;
}

/** The columns of a CSV header, checked against a feed's columns. */
export interface CsvHeader {
  /** Column name → its index in each row. */
  index: ReadonlyMap<string, number>;
  /** How many fields a row has. */
  width: number;
  /** Warnings for columns the feed does not define (ignored). */
  warnings: FeedProblem[];
}

/**
 * Checks a CSV header (line `line`) against a feed's `columns`: names are matched without regard
 * to case or surrounding spaces; a required column missing, or a name used twice, refuses the
 * file (it is not this feed); a column the feed does not define is ignored with a warning.
 * `required` lists groups: each group needs at least one of its columns.
 */
export function checkCsvHeader(
  fileName: string,
  line: number,
  fields: readonly string[] | null,
  feed: { what: string; columns: readonly string[]; required: readonly (readonly string[])[] },
): CsvHeader {
  const expected = `its first line must be the header ${feed.columns.join(',')}`;
  if (fields === null) throw refuse(fileName, `it is not ${feed.what}: ${expected}, but the first line could not be read`, 'no-header');
  const index = new Map<string, number>();
  const warnings: FeedProblem[] = [];
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (index.has(name)) throw refuse(fileName, `its header names the column ${quote(name)} twice`, 'no-header');
    index.set(name, i);
    if (!feed.columns.includes(name)) warnings.push(warning(line, name, `column ${quote(name)} is not a column of ${feed.what}; ignored`));
  });
  const missing = feed.required.filter((group) => !group.some((column) => index.has(column))).map((group) => group.join(' or '));
  if (missing.length > 0) {
    const list = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
    throw refuse(fileName, `it is not ${feed.what}: ${expected} (${list} ${missing.length === 1 ? 'is' : 'are'} missing)`, 'no-header');
  }
  return { index, width: fields.length, warnings };
}

/** A row's fields by column name: the trimmed value, or '' when the column is absent or empty. */
export function cellReader(header: CsvHeader, fields: readonly string[]): (column: string) => string {
  return (column) => {
    const i = header.index.get(column);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
}

/** The message for a row that could not be read at all. */
export function unreadableRowMessage(problem: 'not-utf8' | 'too-long' | 'unclosed-quote' | 'stray-quote', maxRowBytes: number): string {
  switch (problem) {
    case 'not-utf8':
      return 'this row is not UTF-8 text (save the file as "CSV UTF-8")';
    case 'too-long':
      return `this row is longer than ${Math.round(maxRowBytes / 1024)} KB, too long to be one row; it was not read (a quote that is never closed makes one row of the rest of the file)`;
    case 'unclosed-quote':
      return 'this row has a quoted field that is never closed: the file ends inside it';
    case 'stray-quote':
      return 'this row has a quoted field followed by other text before the next comma (inside quotes, write a quote as "")';
  }
}

/** The message for a row with the wrong number of fields. */
export function widthMessage(found: number, expected: number): string {
  return `this row has ${found} field${found === 1 ? '' : 's'}, but the header has ${expected}`;
}

/**
 * A data row's fields, or — as a string — why the row cannot be used: it could not be read at
 * all, or it has a different number of fields from the header.
 */
export function rowFields(row: CsvRow, header: CsvHeader): string[] | string {
  if (row.fields === null) return unreadableRowMessage(row.problem!, DEFAULT_MAX_ROW_BYTES);
  if (row.fields.length !== header.width) return widthMessage(row.fields.length, header.width);
  return row.fields;
}

/**
 * Reads a CSV feed: refuses the file when it is empty, not UTF-8 or its header is not the feed's;
 * yields the source and the header's warnings; then hands the data rows to `body`, which yields the
 * feed's items. The rows are streamed, and the file is closed however the reading ends.
 */
export async function* readCsvFeed(
  path: string,
  options: ReadFeedOptions,
  feed: { what: string; columns: readonly string[]; required: readonly (readonly string[])[] },
  body: (header: CsvHeader, rows: AsyncIterator<CsvRow>) => AsyncGenerator<FeedItem>,
): AsyncGenerator<FeedItem> {
  const fileName = basename(path);
  const totalBytes = await feedFileSize(path, fileName);
  const onBytes = options.onProgress === undefined ? undefined : (bytesRead: number) => options.onProgress?.({ bytesRead, totalBytes });
  const rows = readCsvRows(path, { onBytes })[Symbol.asyncIterator]();
  try {
    const first = await rows.next();
    if (first.done === true) throw refuse(fileName, 'it holds only blank lines', 'empty');
    if (first.value.problem === 'not-utf8') throw refuse(fileName, 'it is not UTF-8 text (save it as "CSV UTF-8")', 'not-utf8');
    const header = checkCsvHeader(fileName, first.value.line, first.value.fields, feed);
    const source = sourceObject(options);
    yield { type: 'object', line: 1, object: source, original: JSON.stringify(source) };
    yield* header.warnings;
    yield* body(header, rows);
  } finally {
    await rows.return?.(undefined);
  }
}
