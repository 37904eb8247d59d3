// Working days: Monday to Friday, except bank holidays in England and Wales (bank-holidays.ts).
// Rules that say "N working days" (the `timescale` and `plan-drift` rules) count with these.
//
// Counting is arithmetic, not a walk: the weekdays between two days come from whole weeks, and the
// bank holidays on weekdays between them from a binary search, so workingDaysBetween costs the
// same for a week as for a decade, and addWorkingDays jumps to the nth weekday and then steps on
// once for each holiday it crossed (a couple of rounds at most for n up to 60).

import { isBankHolidayEpochDay, weekdayBankHolidaysBetween } from './bank-holidays.js';
import { dayOfWeekOfEpochDay, fromEpochDay, toEpochDay, type Day } from './days.js';

/**
 * The number of weekdays from a fixed Monday up to and including epoch day `epochDay` (any
 * consistent origin works, because only differences are used). 1969-12-29, epoch day −3, was a
 * Monday, so `epochDay + 3` counts days from a Monday.
 */
function weekdaysThrough(epochDay: number): number {
  const fromMonday = epochDay + 3;
  const weeks = Math.floor(fromMonday / 7);
  const dayInWeek = fromMonday - weeks * 7; // 0 Monday … 6 Sunday
  return weeks * 5 + (dayInWeek < 5 ? dayInWeek + 1 : 5);
}

/** The weekday `count` numbers, the inverse of `weekdaysThrough`: the earliest day with that count. */
function weekdayNumbered(count: number): number {
  const weeks = Math.floor((count - 1) / 5);
  const dayInWeek = count - 1 - weeks * 5; // 0 Monday … 4 Friday
  return weeks * 7 + dayInWeek - 3;
}

function isWorkingEpochDay(epochDay: number): boolean {
  const weekday = dayOfWeekOfEpochDay(epochDay);
  return weekday !== 0 && weekday !== 6 && !isBankHolidayEpochDay(epochDay);
}

/** The `n`th working day after epoch day `start` (`n` ≥ 1). */
function nthWorkingDayAfter(start: number, n: number): number {
  let from = start;
  let remaining = n;
  for (;;) {
    // The `remaining`th weekday after `from`; every bank holiday on a weekday in between (the
    // landing day included) pushes the answer one working day further on.
    const landing = weekdayNumbered(weekdaysThrough(from) + remaining);
    const holidays = weekdayBankHolidaysBetween(from, landing);
    if (holidays === 0) return landing;
    from = landing;
    remaining = holidays;
  }
}

/** True when `day` is a working day: Monday to Friday and not a bank holiday in England and Wales. */
export function isWorkingDay(day: Day): boolean {
  return isWorkingEpochDay(toEpochDay(day));
}

/**
 * The `n`th working day after `day` (`n` a whole number, 0 or more), as the rules count "N working
 * days after": 1 working day after Thursday 9 April 2020 is Tuesday 14 April 2020 (Good Friday and
 * Easter Monday are skipped). `day` itself is never counted, so from a Saturday 1 working day on is
 * the Monday (when not a holiday). With `n` = 0 the answer is `day` when it is a working day, and
 * otherwise the next working day (a weekend or holiday "rolls forward"). Throws RangeError for a
 * negative or fractional `n`.
 */
export function addWorkingDays(day: Day, n: number): Day {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`The number of working days must be a whole number, 0 or more, not ${String(n)}`);
  const start = toEpochDay(day);
  if (n === 0) return isWorkingEpochDay(start) ? day : fromEpochDay(nthWorkingDayAfter(start, 1));
  return fromEpochDay(nthWorkingDayAfter(start, n));
}

/**
 * The number of working days after `a` up to and including `b`: 0 when `b` is `a`, 1 from a working
 * day to the next. When `b` is before `a` the result is negative: minus the working days after `b`
 * up to and including `a`. For a working day `a`, workingDaysBetween(a, addWorkingDays(a, n)) is `n`.
 */
export function workingDaysBetween(a: Day, b: Day): number {
  const from = toEpochDay(a);
  const to = toEpochDay(b);
  return weekdaysThrough(to) - weekdaysThrough(from) - weekdayBankHolidaysBetween(from, to);
}

/** The first working day after `day` (never `day` itself); the same as addWorkingDays(day, 1). */
export function nextWorkingDay(day: Day): Day {
  return fromEpochDay(nthWorkingDayAfter(toEpochDay(day), 1));
}
