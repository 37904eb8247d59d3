// Dates in the exchange format (spec, "Dates"). Agency data is often vague, so a date may be a day,
// a month or a year, or an exact moment with its UTC offset. The precision is kept, a vague date
// sorts at the start of its period, and a day is never invented: "2019-05" stays May 2019.
//
// Calendar checks are done here by arithmetic, not with `Date`, because `Date` silently rolls
// 2019-02-30 over to 2 March and reads years 0-99 as 1900-1999.

/** How exact a date is: a whole day, a month, a year, or a moment (date, time and offset). */
export type DatePrecision = 'day' | 'month' | 'year' | 'datetime';

/**
 * A date as the exchange format holds it: `value` exactly as received, its precision, and a sort
 * key (`YYYY-MM-DD`, the first day of the period; for a moment, its calendar day in Europe/London).
 */
export interface NormalisedDate {
  value: string;
  precision: DatePrecision;
  sortKey: string;
}

/** The result of reading one date: the normalised date, or why the text is not a date. */
export type DateReading = { ok: true; date: NormalisedDate } | { ok: false; problem: string };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;
// ISO 8601 extended format: a time to the minute or second (with an optional fraction), then the
// offset, which is required: "Z" or ±HH:MM. Without an offset a time is ambiguous across the
// clock change, so it is refused rather than guessed.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const DATETIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?$/;

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** True for leap years in the (proleptic) Gregorian calendar. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validDay(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

const HOUR_MS = 3_600_000;
/** London days already worked out, by UTC hour (bounded: cleared when it grows large). */
const londonDayByHour = new Map<number, string>();

/** The Europe/London calendar day (`YYYY-MM-DD`) of an instant. */
export function londonDay(instant: Date): string {
  // London is always a whole number of hours from UTC and changes its clocks on the hour, so
  // every instant in one UTC hour falls on the same London day: one lookup per hour, not per
  // instant (Intl formatting is slow, and a family's events were mostly received together).
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  const known = londonDayByHour.get(hour);
  if (known !== undefined) return known;
  const parts = LONDON_DAY.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const day = `${pad(part('year'), 4)}-${pad(part('month'), 2)}-${pad(part('day'), 2)}`;
  if (londonDayByHour.size >= 50_000) londonDayByHour.clear();
  londonDayByHour.set(hour, day);
  return day;
}

const NOT_A_DATE = 'is not a date';

/**
 * Reads one exchange-format date: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or an ISO 8601 date-time with
 * its offset (`2020-10-14T21:40:00+01:00`, `...Z`). Impossible dates (2019-13-02, 2019-02-30) are
 * not dates. The problem text follows the value in messages: `date "2019-13-02" is not a date`.
 */
export function parseExchangeDate(text: string): DateReading {
  let match = DAY.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (!validDay(year, month, day)) return { ok: false, problem: NOT_A_DATE };
    return { ok: true, date: { value: text, precision: 'day', sortKey: text } };
  }
  match = MONTH.exec(text);
  if (match) {
    const [year, month] = [Number(match[1]), Number(match[2])];
    if (!validDay(year, month, 1)) return { ok: false, problem: NOT_A_DATE };
    return { ok: true, date: { value: text, precision: 'month', sortKey: `${text}-01` } };
  }
  match = YEAR.exec(text);
  if (match) {
    if (Number(match[1]) < 1) return { ok: false, problem: NOT_A_DATE };
    return { ok: true, date: { value: text, precision: 'year', sortKey: `${text}-01-01` } };
  }
  match = DATETIME.exec(text);
  if (match) {
    const instant = instantOf(match);
    if (instant === null) return { ok: false, problem: NOT_A_DATE };
    return { ok: true, date: { value: text, precision: 'datetime', sortKey: londonDay(instant) } };
  }
  if (DATETIME_WITHOUT_OFFSET.test(text)) {
    return { ok: false, problem: 'has a time but no UTC offset (add one, for example "Z" or "+01:00")' };
  }
  return { ok: false, problem: `${NOT_A_DATE} (write it as YYYY-MM-DD, YYYY-MM, YYYY, or a date and time with its offset)` };
}

/** The instant a matched date-time names, or null when any part is out of range. */
function instantOf(match: RegExpExecArray): Date | null {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = match[8]!;
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const [offsetHours, offsetMins] = [Number(offset.slice(1, 3)), Number(offset.slice(4, 6))];
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (offsetHours * 60 + offsetMins) * (offset.startsWith('-') ? -1 : 1);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 onto 1900-1999.
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute - offsetMinutes, second, millis);
  return instant;
}

function isNormalisedDate(value: unknown): value is NormalisedDate {
  return typeof value === 'object' && value !== null && 'sortKey' in value && 'precision' in value && 'value' in value;
}

/**
 * A stored value (an event's details, say) with every normalised date in it replaced: by its first
 * day (`sortKey`, for arithmetic) or by the text as recorded (`value`, for display).
 */
export function replaceDates(value: unknown, by: 'sortKey' | 'value'): unknown {
  if (isNormalisedDate(value)) return value[by];
  if (Array.isArray(value)) return value.map((v) => replaceDates(v, by));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDates(v, by)]));
  return value;
}
