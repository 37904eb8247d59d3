import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  ageInYears,
  compareDays,
  dayOfWeek,
  daysBetween,
  eachDay,
  epochDayOf,
  fromEpochDay,
  isDay,
  maxDay,
  minDay,
  toEpochDay,
  todayInLondon,
} from '../../src/calendar/days.js';

const dayArb = fc.integer({ min: toEpochDay('0001-01-01'), max: toEpochDay('9999-12-31') }).map(fromEpochDay);
const modernDayArb = fc.integer({ min: toEpochDay('1900-01-01'), max: toEpochDay('2200-12-31') }).map(fromEpochDay);

/** What Date says, in UTC, as a cross-check (the module itself never uses Date). */
function viaDate(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

describe('days', () => {
  it('recognises real calendar days only', () => {
    for (const day of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2023-12-31']) expect(isDay(day), day).toBe(true);
    for (const bad of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01',
      '2024-1-01', '2024/01/01', '20240101', ' 2024-01-01', '2024-01-01T00:00', '2024-0a-01', '', null, 20240101]) {
      expect(isDay(bad), String(bad)).toBe(false);
    }
  });

  it('adds days and counts the days between', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2024-03-31', 0)).toBe('2024-03-31');
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(daysBetween('2024-12-31', '2024-01-01')).toBe(-365);
    // Across the clocks changing (31 March 2024 in the UK) a day is still a day.
    expect(daysBetween('2024-03-30', '2024-04-01')).toBe(2);
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(epochDayOf(1970, 1, 2)).toBe(1);
  });

  it('refuses bad input with a RangeError', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2024-02-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => daysBetween('yesterday', '2024-01-01')).toThrow(/Not a calendar day/);
    expect(() => addMonths('2024-01-31', Number.NaN)).toThrow(RangeError);
    expect(() => epochDayOf(2023, 2, 29)).toThrow(RangeError);
  });

  it('compares, sorts and takes the earliest and latest', () => {
    expect(compareDays('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareDays('2024-01-02', '2024-01-02')).toBe(0);
    expect(compareDays('2025-01-01', '2024-12-31')).toBe(1);
    expect(['2024-03-01', '2023-12-31', '2024-02-29'].sort(compareDays)).toEqual(['2023-12-31', '2024-02-29', '2024-03-01']);
    expect(minDay('2024-03-01', '2023-12-31', '2024-02-29')).toBe('2023-12-31');
    expect(maxDay('2024-03-01', '2023-12-31', '2024-02-29')).toBe('2024-03-01');
    expect(minDay('2024-03-01')).toBe('2024-03-01');
  });

  it('gives the day of the week, 0 Sunday to 6 Saturday', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('2020-04-09')).toBe(4);
    expect(dayOfWeek('2024-06-09')).toBe(0);
    expect(dayOfWeek('2024-06-15')).toBe(6);
    expect(dayOfWeek('1969-12-28')).toBe(0); // before 1970 too
    expect(dayOfWeek('0001-01-01')).toBe(1); // proleptic Gregorian Monday
  });

  it('adds calendar months: same day number, or the month\'s last day', () => {
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-01-31', 3)).toBe('2024-04-30');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-05-15', 9)).toBe('2025-02-15'); // a plan open 9 months
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2024-01-15', -13)).toBe('2022-12-15');
    expect(addMonths('2024-01-15', 0)).toBe('2024-01-15');
  });

  it('adds years, 29 February to 28 February outside leap years', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2024-02-29', -100)).toBe('1924-02-29');
    expect(addYears('2000-02-29', 100)).toBe('2100-02-28');
    expect(addYears('2023-06-01', -2)).toBe('2021-06-01');
  });

  it('works out ages in whole years', () => {
    expect(ageInYears('2019-06-10', '2024-06-09')).toBe(4);
    expect(ageInYears('2019-06-10', '2024-06-10')).toBe(5); // on the birthday
    expect(ageInYears('2024-06-10', '2024-06-10')).toBe(0);
    expect(ageInYears('2024-06-10', '2024-06-09')).toBe(-1); // not yet born
    // Born on 29 February: a year older on 1 March when there is no 29 February.
    expect(ageInYears('2020-02-29', '2021-02-28')).toBe(0);
    expect(ageInYears('2020-02-29', '2021-03-01')).toBe(1);
    expect(ageInYears('2020-02-29', '2024-02-28')).toBe(3);
    expect(ageInYears('2020-02-29', '2024-02-29')).toBe(4);
  });

  it('gives the calendar day in London, with British Summer Time', () => {
    expect(todayInLondon(new Date('2024-06-30T23:30:00Z'))).toBe('2024-07-01'); // BST: 00:30 on 1 July
    expect(todayInLondon(new Date('2024-12-31T23:30:00Z'))).toBe('2024-12-31'); // GMT
    expect(todayInLondon(new Date('2024-03-31T00:59:59Z'))).toBe('2024-03-31');
    expect(todayInLondon(new Date('2024-10-26T23:00:00Z'))).toBe('2024-10-27'); // 00:00 BST
    expect(isDay(todayInLondon())).toBe(true);
  });

  it('lists every day in a span, both ends included', () => {
    expect([...eachDay('2024-02-27', '2024-03-01')]).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect([...eachDay('2024-03-01', '2024-03-01')]).toEqual(['2024-03-01']);
    expect([...eachDay('2024-03-02', '2024-03-01')]).toEqual([]);
  });

  describe('properties', () => {
    it('addDays and daysBetween are inverses', () => {
      fc.assert(
        fc.property(modernDayArb, fc.integer({ min: -100_000, max: 100_000 }), (day, n) => {
          const later = addDays(day, n);
          expect(isDay(later)).toBe(true);
          expect(daysBetween(day, later)).toBe(n);
          expect(addDays(later, -n)).toBe(day);
        }),
      );
    });

    it('agrees with Date in UTC and round-trips epoch days, over all years', () => {
      fc.assert(
        fc.property(dayArb, (day) => {
          expect(fromEpochDay(toEpochDay(day))).toBe(day);
          if (day >= '1000-01-01' && day < '9999-12-31') expect(addDays(day, 1)).toBe(viaDate(day, 1));
          expect(dayOfWeek(day)).toBe(new Date(`${day}T00:00:00Z`).getUTCDay());
          expect(compareDays(day, addDays(day, day === '9999-12-31' ? 0 : 1))).toBe(day === '9999-12-31' ? 0 : -1);
        }),
        { numRuns: 500 },
      );
    });

    it('addMonths keeps the day number or takes the month\'s last day', () => {
      fc.assert(
        fc.property(modernDayArb, fc.integer({ min: -240, max: 240 }), (day, n) => {
          const result = addMonths(day, n);
          const dayNumber = Number(day.slice(8));
          const resultNumber = Number(result.slice(8));
          const monthsApart = (Number(result.slice(0, 4)) - Number(day.slice(0, 4))) * 12 + Number(result.slice(5, 7)) - Number(day.slice(5, 7));
          expect(monthsApart).toBe(n);
          if (resultNumber !== dayNumber) {
            expect(resultNumber).toBeLessThan(dayNumber);
            expect(addDays(result, 1).slice(8)).toBe('01'); // the month's last day
          }
        }),
        { numRuns: 500 },
      );
    });

    it('ageInYears goes up by one on each birthday', () => {
      fc.assert(
        fc.property(modernDayArb, fc.integer({ min: 0, max: 110 }), (born, years) => {
          const birthday = addYears(born, years);
          if (born.slice(5) === '02-29' && birthday.slice(5) === '02-28') {
            expect(ageInYears(born, birthday)).toBe(years - 1); // the leap-day birthday is 1 March
            expect(ageInYears(born, addDays(birthday, 1))).toBe(years);
          } else {
            expect(ageInYears(born, birthday)).toBe(years);
            expect(ageInYears(born, addDays(birthday, -1))).toBe(years - 1);
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  it('is fast: a million addDays well under a second', () => {
    const began = performance.now();
    let day = '2000-01-01';
    for (let i = 0; i < 1_000_000; i += 1) day = addDays(day, i % 2 === 0 ? 3 : -2);
    expect(day).toBe(addDays('2000-01-01', 500_000));
    expect(performance.now() - began).toBeLessThan(3000); // generous: the machine is shared
  });
});
