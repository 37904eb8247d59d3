// Bank holidays in England and Wales, computed for any year from the rules that have held since
// 1978 (when the early May holiday began), plus the table of moved and one-off holidays in
// data/bank-holiday-changes.ts. Computing rather than listing means there is no last year after
// which working days silently stop skipping holidays; a one-off announced later is one line in
// the changes table. Years before 2000 get the computed rules only, without a guarantee: the
// table starts in 2000 (so, for example, 31 December 1999 and the 1995 VE Day move are missing).

import { BANK_HOLIDAY_CHANGES, type BankHolidayChange, type RegularBankHoliday } from './data/bank-holiday-changes.js';
import {
  dayOfWeekOfEpochDay,
  epochDayOf,
  fromEpochDay,
  toEpochDay,
  yearOfEpochDay,
  type Day,
} from './days.js';

/** One bank holiday: its day and its name as GOV.UK gives it (substitute days say so). */
export type BankHoliday = Readonly<{ date: Day; name: string }>;

const REGULAR_NAMES: Readonly<Record<RegularBankHoliday, string>> = {
  'new-year': "New Year's Day",
  'good-friday': 'Good Friday',
  'easter-monday': 'Easter Monday',
  'early-may': 'Early May bank holiday',
  spring: 'Spring bank holiday',
  summer: 'Summer bank holiday',
  christmas: 'Christmas Day',
  'boxing-day': 'Boxing Day',
};

const SUBSTITUTE = ' (substitute day)';
const SATURDAY = 6;
const SUNDAY = 0;
const MONDAY = 1;
const FRIDAY = 5;

/** Easter Sunday's epoch day, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return epochDayOf(year, month, dayOfMonth);
}

function firstMonday(year: number, month: number): number {
  const first = epochDayOf(year, month, 1);
  return first + ((MONDAY - dayOfWeekOfEpochDay(first) + 7) % 7);
}

function lastMonday(year: number, month: number, daysInMonth: number): number {
  const last = epochDayOf(year, month, daysInMonth);
  return last - ((dayOfWeekOfEpochDay(last) - MONDAY + 7) % 7);
}

// `holiday` is null for a one-off extra day (nothing can move it).
type Computed = { holiday: RegularBankHoliday | null; epochDay: number; name: string };

/** The usual holidays of `year` with the substitute-day rules applied, before the changes table. */
function regularHolidays(year: number): Computed[] {
  const regular = (holiday: RegularBankHoliday, epochDay: number, substitute = false): Computed => ({
    holiday,
    epochDay,
    name: REGULAR_NAMES[holiday] + (substitute ? SUBSTITUTE : ''),
  });
  const list: Computed[] = [];

  // New Year's Day at a weekend moves to the Monday after (3 January from a Saturday, 2 from a Sunday).
  const newYear = epochDayOf(year, 1, 1);
  const newYearWeekday = dayOfWeekOfEpochDay(newYear);
  if (newYearWeekday === SATURDAY) list.push(regular('new-year', newYear + 2, true));
  else if (newYearWeekday === SUNDAY) list.push(regular('new-year', newYear + 1, true));
  else list.push(regular('new-year', newYear));

  const easter = easterSunday(year);
  list.push(regular('good-friday', easter - 2));
  list.push(regular('easter-monday', easter + 1));
  list.push(regular('early-may', firstMonday(year, 5)));
  list.push(regular('spring', lastMonday(year, 5, 31)));
  list.push(regular('summer', lastMonday(year, 8, 31)));

  // Christmas and Boxing Day: a holiday at a weekend moves to the next weekday not already a holiday.
  // Saturday Christmas → Monday 27 (Christmas) and Tuesday 28 (Boxing Day); Sunday Christmas →
  // Boxing Day stays Monday 26, Christmas moves to Tuesday 27; Friday Christmas → Boxing Day Monday 28.
  const christmas = epochDayOf(year, 12, 25);
  const christmasWeekday = dayOfWeekOfEpochDay(christmas);
  if (christmasWeekday === SATURDAY) {
    list.push(regular('christmas', christmas + 2, true), regular('boxing-day', christmas + 3, true));
  } else if (christmasWeekday === SUNDAY) {
    list.push(regular('boxing-day', christmas + 1), regular('christmas', christmas + 2, true));
  } else if (christmasWeekday === FRIDAY) {
    list.push(regular('christmas', christmas), regular('boxing-day', christmas + 3, true));
  } else {
    list.push(regular('christmas', christmas), regular('boxing-day', christmas + 1));
  }
  return list;
}

// The changes table grouped by year once, so a year's list is a Map look-up away.
let changesByYear: Map<number, BankHolidayChange[]> | undefined;

function changesFor(year: number): BankHolidayChange[] {
  if (changesByYear === undefined) {
    changesByYear = new Map();
    for (const change of BANK_HOLIDAY_CHANGES) {
      const changeYear = Number(change.date.slice(0, 4));
      if (change.kind === 'moved' && change.year !== changeYear) {
        throw new Error(`Bank holiday change for ${change.year} is dated ${change.date}, in another year`);
      }
      const list = changesByYear.get(changeYear) ?? [];
      list.push(change);
      changesByYear.set(changeYear, list);
    }
  }
  return changesByYear.get(year) ?? [];
}

function computeYear(year: number): readonly BankHoliday[] {
  const list = regularHolidays(year);
  for (const change of changesFor(year)) {
    if (change.kind === 'moved') {
      const entry = list.find((h) => h.holiday === change.holiday);
      if (entry === undefined) throw new Error(`No ${change.holiday} holiday to move in ${year}`);
      entry.epochDay = toEpochDay(change.date);
      entry.name = change.name ?? REGULAR_NAMES[change.holiday];
    } else {
      list.push({ holiday: null, epochDay: toEpochDay(change.date), name: change.name });
    }
  }
  list.sort((a, b) => a.epochDay - b.epochDay);
  const result: BankHoliday[] = [];
  for (const entry of list) {
    const date = fromEpochDay(entry.epochDay);
    const previous = result[result.length - 1];
    // Two holidays on one day would be one day off; keep one entry, naming both.
    if (previous !== undefined && previous.date === date) {
      result[result.length - 1] = Object.freeze({ date, name: `${previous.name} and ${entry.name}` });
    } else {
      result.push(Object.freeze({ date, name: entry.name }));
    }
  }
  return Object.freeze(result);
}

const byYear = new Map<number, readonly BankHoliday[]>();

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`A year from 1 to 9999 is needed, not ${String(year)}`);
  }
}

/**
 * The bank holidays in England and Wales in `year`, in date order, each with its name; substitute
 * days are named "… (substitute day)". Computed, so any year works; from 2000 the moved and
 * one-off holidays of data/bank-holiday-changes.ts are applied, and earlier years are the
 * computed rules only, without a guarantee. Memoised per year; the array is frozen and shared.
 */
export function bankHolidays(year: number): readonly BankHoliday[] {
  let list = byYear.get(year);
  if (list === undefined) {
    checkYear(year);
    list = computeYear(year);
    byYear.set(year, list);
  }
  return list;
}

// For the hot paths (isBankHoliday, working days): every holiday of a contiguous run of loaded
// years by epoch day, and the sorted epoch days of those on weekdays (for counting by binary
// search). Contiguous, so "is this day in a loaded year" is two comparisons; the price is that a
// far-off year loads every year between (about 10 holidays a year: a millisecond per century).
const names = new Map<number, string>();
let weekdayHolidays: number[] = [];
let loadedFromYear = 0;
let loadedToYear = -1;
let loadedFromEpochDay = 1;
let loadedToEpochDay = 0; // empty: every day is outside

function holidaysOfYears(fromYear: number, toYear: number): number[] {
  const weekdays: number[] = [];
  for (let year = fromYear; year <= toYear; year += 1) {
    for (const holiday of bankHolidays(year)) {
      const epochDay = toEpochDay(holiday.date);
      names.set(epochDay, holiday.name);
      const weekday = dayOfWeekOfEpochDay(epochDay);
      if (weekday !== SATURDAY && weekday !== SUNDAY) weekdays.push(epochDay);
    }
  }
  return weekdays;
}

/** Makes sure the years from `fromEpochDay`'s to `toEpochDay`'s (and any between them and those already loaded) are loaded. */
function ensureLoaded(fromEpochDay: number, toEpochDay: number): void {
  if (fromEpochDay >= loadedFromEpochDay && toEpochDay <= loadedToEpochDay) return;
  const fromYear = yearOfEpochDay(fromEpochDay);
  const toYear = yearOfEpochDay(toEpochDay);
  if (loadedToYear < loadedFromYear) {
    weekdayHolidays = holidaysOfYears(fromYear, toYear);
    loadedFromYear = fromYear;
    loadedToYear = toYear;
  } else {
    if (fromYear < loadedFromYear) {
      weekdayHolidays = holidaysOfYears(fromYear, loadedFromYear - 1).concat(weekdayHolidays);
      loadedFromYear = fromYear;
    }
    if (toYear > loadedToYear) {
      weekdayHolidays = weekdayHolidays.concat(holidaysOfYears(loadedToYear + 1, toYear));
      loadedToYear = toYear;
    }
  }
  loadedFromEpochDay = epochDayOf(loadedFromYear, 1, 1);
  loadedToEpochDay = epochDayOf(loadedToYear, 12, 31);
}

/** How many entries of the sorted `weekdayHolidays` are on or before `epochDay`. */
function weekdayHolidaysThrough(epochDay: number): number {
  let low = 0;
  let high = weekdayHolidays.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (weekdayHolidays[mid]! <= epochDay) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** True when the epoch day number is a bank holiday in England and Wales. For loops over epoch days. */
export function isBankHolidayEpochDay(epochDay: number): boolean {
  if (epochDay < loadedFromEpochDay || epochDay > loadedToEpochDay) ensureLoaded(epochDay, epochDay);
  return names.has(epochDay);
}

/**
 * The number of bank holidays falling on a weekday (Monday to Friday) after epoch day `a` up to and
 * including epoch day `b`; negative (the count from `b` to `a`) when `b` is before `a`. What
 * working-day counting subtracts from the weekdays in the same span.
 */
export function weekdayBankHolidaysBetween(a: number, b: number): number {
  if (b < a) return 0 - weekdayBankHolidaysBetween(b, a) || 0; // `|| 0`: never -0
  if (a < loadedFromEpochDay || b > loadedToEpochDay) ensureLoaded(a, b);
  return weekdayHolidaysThrough(b) - weekdayHolidaysThrough(a);
}

/** True when `day` is a bank holiday in England and Wales (a substitute day counts; the weekend day it replaces does not). */
export function isBankHoliday(day: Day): boolean {
  return isBankHolidayEpochDay(toEpochDay(day));
}

/** The name of the bank holiday on `day` (e.g. "Boxing Day (substitute day)"), or null when it is not one. */
export function bankHolidayName(day: Day): string | null {
  const epochDay = toEpochDay(day);
  if (epochDay < loadedFromEpochDay || epochDay > loadedToEpochDay) ensureLoaded(epochDay, epochDay);
  return names.get(epochDay) ?? null;
}
