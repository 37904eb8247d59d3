import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBankHoliday } from '../../src/calendar/bank-holidays.js';
import { addDays, dayOfWeek, daysBetween, eachDay, fromEpochDay, toEpochDay } from '../../src/calendar/days.js';
import { addWorkingDays, isWorkingDay, nextWorkingDay, workingDaysBetween } from '../../src/calendar/working-days.js';

// Days from 1990 to 2100: a range the rules will meet, with several one-off holidays inside it.
const dayArb = fc.integer({ min: toEpochDay('1990-01-01'), max: toEpochDay('2100-12-31') }).map(fromEpochDay);

/** The slow, obviously right answer: walk day by day. */
function walkWorkingDays(day: string, n: number): string {
  let current = day;
  if (n === 0) {
    while (!isWorkingDay(current)) current = addDays(current, 1);
    return current;
  }
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) left -= 1;
  }
  return current;
}

describe('working days', () => {
  it('knows weekends and bank holidays are not working days', () => {
    expect(isWorkingDay('2020-04-09')).toBe(true); // Thursday before Easter
    expect(isWorkingDay('2020-04-10')).toBe(false); // Good Friday
    expect(isWorkingDay('2020-04-11')).toBe(false); // Saturday
    expect(isWorkingDay('2020-04-13')).toBe(false); // Easter Monday
    expect(isWorkingDay('2020-04-14')).toBe(true);
    expect(isWorkingDay('2022-09-19')).toBe(false); // State Funeral
    expect(isWorkingDay('2021-12-27')).toBe(false); // Christmas substitute
  });

  describe('across Easter and Christmas', () => {
    it.each([
      // [day, n, expected]
      ['2020-04-09', 1, '2020-04-14'], // Thursday 9 April 2020 + 1 → Tuesday 14 April (Easter)
      ['2020-04-09', 0, '2020-04-09'],
      ['2020-04-10', 0, '2020-04-14'], // Good Friday rolls forward to the Tuesday
      ['2020-04-08', 2, '2020-04-14'],
      ['2020-04-09', 5, '2020-04-20'],
      ['2020-12-24', 1, '2020-12-29'], // Christmas Friday, Boxing Day substitute Monday 28
      ['2021-12-24', 1, '2021-12-29'], // Saturday Christmas: 27 and 28 substituted
      ['2022-12-23', 1, '2022-12-28'], // Sunday Christmas: Boxing Day 26, Christmas 27
      ['2022-12-23', 3, '2022-12-30'],
      ['2022-12-30', 1, '2023-01-03'], // over New Year's Day substitute (Monday 2 January 2023)
      ['2022-06-01', 1, '2022-06-06'], // Platinum Jubilee: Thursday 2 and Friday 3 June
      ['2023-05-05', 1, '2023-05-09'], // coronation Monday 8 May
      ['2024-04-05', 10, '2024-04-19'], // no holidays in the span
      ['2020-04-11', 1, '2020-04-14'], // from a Saturday, 1 on is the first working day
      ['2020-04-11', 0, '2020-04-14'],
    ] as const)('%s + %i working days is %s', (day, n, expected) => {
      expect(addWorkingDays(day, n)).toBe(expected);
    });

    it('counts working days between two days', () => {
      expect(workingDaysBetween('2020-04-09', '2020-04-14')).toBe(1);
      expect(workingDaysBetween('2020-04-09', '2020-04-09')).toBe(0);
      expect(workingDaysBetween('2020-04-09', '2020-04-13')).toBe(0);
      expect(workingDaysBetween('2020-04-14', '2020-04-09')).toBe(-1);
      expect(workingDaysBetween('2022-12-23', '2023-01-03')).toBe(4); // 28, 29, 30 Dec and 3 Jan
      expect(workingDaysBetween('2023-12-31', '2024-12-31')).toBe(254); // 262 weekdays − 8 holidays
    });

    it('gives the next working day', () => {
      expect(nextWorkingDay('2020-04-09')).toBe('2020-04-14');
      expect(nextWorkingDay('2024-06-07')).toBe('2024-06-10'); // Friday → Monday
      expect(nextWorkingDay('2024-06-10')).toBe('2024-06-11');
    });
  });

  it('refuses a negative or fractional number of working days', () => {
    expect(() => addWorkingDays('2024-06-10', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-06-10', 1.5)).toThrow(RangeError);
    expect(() => isWorkingDay('2024-02-30')).toThrow(RangeError);
  });

  it('counts a whole year of working days as the day-by-day walk does', () => {
    for (const year of [2002, 2012, 2020, 2022, 2023]) {
      let walked = 0;
      for (const day of eachDay(`${year}-01-01`, `${year}-12-31`)) if (isWorkingDay(day)) walked += 1;
      expect(workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`)).toBe(walked);
    }
  });

  describe('properties', () => {
    it('addWorkingDays agrees with walking day by day', () => {
      fc.assert(
        fc.property(dayArb, fc.integer({ min: 0, max: 60 }), (day, n) => {
          expect(addWorkingDays(day, n)).toBe(walkWorkingDays(day, n));
        }),
        { numRuns: 500 },
      );
    });

    it('addWorkingDays never lands on a weekend or a bank holiday, and never before the day', () => {
      fc.assert(
        fc.property(dayArb, fc.integer({ min: 0, max: 250 }), (day, n) => {
          const result = addWorkingDays(day, n);
          expect([0, 6]).not.toContain(dayOfWeek(result));
          expect(isBankHoliday(result)).toBe(false);
          expect(daysBetween(day, result)).toBeGreaterThanOrEqual(n === 0 ? 0 : 1);
        }),
        { numRuns: 1000 },
      );
    });

    it('workingDaysBetween(a, addWorkingDays(a, n)) is n for a working day a', () => {
      fc.assert(
        fc.property(dayArb, fc.integer({ min: 0, max: 500 }), (start, n) => {
          const a = addWorkingDays(start, 0); // a working day
          expect(workingDaysBetween(a, addWorkingDays(a, n))).toBe(n);
        }),
        { numRuns: 1000 },
      );
    });

    it('workingDaysBetween is antisymmetric and adds up over a middle day', () => {
      fc.assert(
        fc.property(dayArb, dayArb, dayArb, (a, b, c) => {
          expect(workingDaysBetween(b, a) + workingDaysBetween(a, b)).toBe(0);
          expect(workingDaysBetween(a, b) + workingDaysBetween(b, c)).toBe(workingDaysBetween(a, c));
        }),
        { numRuns: 500 },
      );
    });
  });

  it('is fast: 200,000 addWorkingDays of up to 60 days well under a second', () => {
    const start = toEpochDay('2000-01-01');
    const began = performance.now();
    let last = '';
    for (let i = 0; i < 200_000; i += 1) last = addWorkingDays(fromEpochDay(start + (i % 9000)), i % 61);
    expect(last).not.toBe('');
    expect(performance.now() - began).toBeLessThan(2000); // generous: the machine is shared
  });
});
