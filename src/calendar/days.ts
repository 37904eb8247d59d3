// Calendar days as plain `YYYY-MM-DD` strings. The pattern rules count days, calendar months and
// working days (docs/working-days.md); doing it on strings keeps JavaScript's Date, and with it the
// machine's time zone and the clocks changing, out of every rule. Internally a day is its UTC
// epoch day number (1970-01-01 is 0), computed with integer arithmetic (Howard Hinnant's
// days_from_civil and civil_from_days), and parsed by charCodeAt: these functions run millions of
// times in the rule benchmarks, so no regular expressions and no Date objects on the hot path.

/** A calendar day, `YYYY-MM-DD` (years 0001 to 9999), e.g. `2020-04-09`. */
export type Day = string;

/** The first and last days a `Day` can name, as epoch day numbers. */
const MIN_EPOCH_DAY = -719_162; // 0001-01-01
const MAX_EPOCH_DAY = 2_932_896; // 9999-12-31

// '00' … '99', so formatting a day is two table look-ups and a concatenation.
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The epoch day of a valid year, month (1-12) and day of month. */
function epochFromCivil(year: number, month: number, dayOfMonth: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + dayOfMonth - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function badDay(s: unknown): RangeError {
  return new RangeError(`Not a calendar day (YYYY-MM-DD): ${JSON.stringify(s)}`);
}

/**
 * Parses `s` into [year, month, day of month], or returns null when it is not a valid `Day`.
 * Digits are read by charCodeAt (a non-digit gives a value outside 0-9, NaN past the end).
 */
function parse(s: string): [number, number, number] | null {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y0 = s.charCodeAt(0) - 48;
  const y1 = s.charCodeAt(1) - 48;
  const y2 = s.charCodeAt(2) - 48;
  const y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48;
  const m1 = s.charCodeAt(6) - 48;
  const d0 = s.charCodeAt(8) - 48;
  const d1 = s.charCodeAt(9) - 48;
  // `>>> 0 > 9` is "not a digit" for both negative and too-large codes in one comparison.
  if ((y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9) return null;
  if ((m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (d0 >>> 0) > 9 || (d1 >>> 0) > 9) return null;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const dayOfMonth = d0 * 10 + d1;
  if (year < 1 || month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) return null;
  return [year, month, dayOfMonth];
}

function parseOrThrow(day: Day): [number, number, number] {
  const parts = parse(day);
  if (parts === null) throw badDay(day);
  return parts;
}

function format(year: number, month: number, dayOfMonth: number): Day {
  const yearText = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${yearText}-${TWO_DIGITS[month]!}-${TWO_DIGITS[dayOfMonth]!}`;
}

function checkInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be a whole number, not ${String(n)}`);
}

/** True when `s` is a real calendar day written `YYYY-MM-DD` (so `2023-02-29` is not). */
export function isDay(s: unknown): s is Day {
  return typeof s === 'string' && parse(s) !== null;
}

/**
 * The day's UTC epoch day number (1970-01-01 is 0). For modules that do arithmetic in loops
 * (working days); rules should use the `Day` functions. Throws RangeError for an invalid day.
 */
export function toEpochDay(day: Day): number {
  const [year, month, dayOfMonth] = parseOrThrow(day);
  return epochFromCivil(year, month, dayOfMonth);
}

/** The `Day` of a UTC epoch day number; the inverse of `toEpochDay`. Throws RangeError outside years 1-9999. */
export function fromEpochDay(epochDay: number): Day {
  if (!Number.isInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw new RangeError(`Day number ${String(epochDay)} is outside the years 0001 to 9999`);
  }
  const z = epochDay + 719_468; // positive for every supported year, so plain division is floor
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return format(year, month, dayOfMonth);
}

/** The year (e.g. 2020) of a UTC epoch day number. */
export function yearOfEpochDay(epochDay: number): number {
  return Number(fromEpochDay(epochDay).slice(0, 4));
}

/**
 * The epoch day number of a year, month (1-12) and day of month, without building a string.
 * Throws RangeError when they do not make a day in the years 1-9999.
 */
export function epochDayOf(year: number, month: number, dayOfMonth: number): number {
  if (
    !Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(dayOfMonth) ||
    year < 1 || year > 9999 || month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)
  ) {
    throw new RangeError(`Not a calendar day: year ${year}, month ${month}, day ${dayOfMonth}`);
  }
  return epochFromCivil(year, month, dayOfMonth);
}

/** The day `n` days after `day` (`n` may be negative). Throws RangeError for an invalid day or a fractional `n`. */
export function addDays(day: Day, n: number): Day {
  checkInteger(n, 'The number of days');
  return fromEpochDay(toEpochDay(day) + n);
}

/** `b` minus `a` in days: 1 from a day to the next, negative when `b` is before `a`. */
export function daysBetween(a: Day, b: Day): number {
  return toEpochDay(b) - toEpochDay(a);
}

/**
 * -1, 0 or 1 as `a` is before, the same as or after `b`, so it sorts (`days.sort(compareDays)`).
 * `YYYY-MM-DD` orders as text, so this compares strings and does not validate: pass real days.
 */
export function compareDays(a: Day, b: Day): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The earliest of the days given (compared as `compareDays` does). */
export function minDay(first: Day, ...rest: Day[]): Day {
  let min = first;
  for (const day of rest) if (day < min) min = day;
  return min;
}

/** The latest of the days given (compared as `compareDays` does). */
export function maxDay(first: Day, ...rest: Day[]): Day {
  let max = first;
  for (const day of rest) if (day > max) max = day;
  return max;
}

/** The day of the week of an epoch day number: 0 Sunday, 1 Monday … 6 Saturday. */
export function dayOfWeekOfEpochDay(epochDay: number): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps days before 1970 in 0-6.
  return (((epochDay + 4) % 7) + 7) % 7;
}

/** The day of the week: 0 Sunday, 1 Monday … 6 Saturday (as Date's getUTCDay). */
export function dayOfWeek(day: Day): number {
  return dayOfWeekOfEpochDay(toEpochDay(day));
}

/**
 * `n` calendar months after `day` (`n` may be negative): the same day number, or the month's last
 * day when it has no such day, as the rule catalogue counts "N months". So 31 January + 1 month is
 * 28 February (29 in a leap year), and 31 March − 1 month is the same day. Months do not chain:
 * addMonths(addMonths(d, 1), 1) can differ from addMonths(d, 2) (31 Jan → 28 Feb → 28 Mar, not 31 Mar).
 */
export function addMonths(day: Day, n: number): Day {
  checkInteger(n, 'The number of months');
  const [year, month, dayOfMonth] = parseOrThrow(day);
  const total = year * 12 + (month - 1) + n;
  const newYear = Math.floor(total / 12);
  const newMonth = total - newYear * 12 + 1;
  if (newYear < 1 || newYear > 9999) throw new RangeError(`${day} plus ${n} months is outside the years 0001 to 9999`);
  return format(newYear, newMonth, Math.min(dayOfMonth, daysInMonth(newYear, newMonth)));
}

/** `n` years after `day` (`n` may be negative); 29 February becomes 28 February in a year that is not a leap year. */
export function addYears(day: Day, n: number): Day {
  checkInteger(n, 'The number of years');
  return addMonths(day, n * 12);
}

/**
 * Whole years completed on `day` by someone born on `dateOfBirth`: a birthday counts from the
 * birthday itself. Someone born on 29 February turns a year older on 1 March in a year that is
 * not a leap year (still the younger age on 28 February): the anniversary of a 29 February birth
 * has not arrived until 28 February has passed, which is how English law is generally read
 * (Family Law Reform Act 1969, s. 9: an age is attained at the start of the anniversary of birth).
 * Note this differs from `addYears(dateOfBirth, n)`, which lands on 28 February.
 * Before the birth the result is negative (−1 in the year before it), so "under 5" holds for an
 * unborn baby too.
 */
export function ageInYears(dateOfBirth: Day, day: Day): number {
  const [birthYear, birthMonth, birthDay] = parseOrThrow(dateOfBirth);
  const [year, month, dayOfMonth] = parseOrThrow(day);
  const hadBirthdayThisYear = month > birthMonth || (month === birthMonth && dayOfMonth >= birthDay);
  return year - birthYear - (hadBirthdayThisYear ? 0 : 1);
}

// One formatter for the whole process: building an Intl.DateTimeFormat is slow (tens of µs).
let londonFormatter: Intl.DateTimeFormat | undefined;

/**
 * The calendar day in England (Europe/London, so British Summer Time counts) at the instant
 * `now`, whatever the machine's own time zone: 2024-06-30T23:30Z is 2024-07-01 in London.
 */
export function todayInLondon(now: Date = new Date()): Day {
  londonFormatter ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  let year = '';
  let month = '';
  let dayOfMonth = '';
  // formatToParts rather than format: the joined text ("01/07/2024") depends on the locale data.
  for (const part of londonFormatter.formatToParts(now)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') dayOfMonth = part.value;
  }
  const day = `${year.padStart(4, '0')}-${month}-${dayOfMonth}`;
  if (!isDay(day)) throw new RangeError(`Could not work out the day in London at ${String(now)}`);
  return day;
}

/** Every day from `from` to `to`, both included, in order; nothing when `to` is before `from`. */
export function* eachDay(from: Day, to: Day): Generator<Day, void, undefined> {
  const last = toEpochDay(to);
  for (let epochDay = toEpochDay(from); epochDay <= last; epochDay += 1) yield fromEpochDay(epochDay);
}
