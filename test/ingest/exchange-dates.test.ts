import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, parseExchangeDate } from '../../src/ingest/exchange-dates.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const year = fc.integer({ min: 1, max: 9999 });
const month = fc.integer({ min: 1, max: 12 });
/** A real calendar day, as YYYY-MM-DD. */
const validDay = fc
  .tuple(year, month, fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(Math.min(d, daysInMonth(y, m)), 2)}`);

describe('exchange dates', () => {
  it('reads every valid YYYY-MM-DD back exactly, at day precision, sorting on itself', () => {
    fc.assert(
      fc.property(validDay, (text) => {
        expect(parseExchangeDate(text)).toEqual({ ok: true, date: { value: text, precision: 'day', sortKey: text } });
      }),
    );
  });

  it('agrees with the calendar: a YYYY-MM-DD is a date exactly when that day exists', () => {
    // An independent oracle: Date rolls impossible days over (2019-02-30 becomes 2 March), so a day
    // exists exactly when Date gives the same year, month and day back.
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        const asDate = new Date(`${text}T00:00:00Z`);
        const exists = m >= 1 && m <= 12 && d >= 1 && !Number.isNaN(asDate.getTime()) && asDate.toISOString().slice(0, 10) === text;
        expect(parseExchangeDate(text).ok).toBe(exists);
      }),
    );
  });

  it('keeps the precision of a vague date and sorts it at the start of its period, never inventing a day', () => {
    fc.assert(
      fc.property(year, month, (y, m) => {
        const monthText = `${pad(y, 4)}-${pad(m, 2)}`;
        expect(parseExchangeDate(monthText)).toEqual({ ok: true, date: { value: monthText, precision: 'month', sortKey: `${monthText}-01` } });
        const yearText = pad(y, 4);
        expect(parseExchangeDate(yearText)).toEqual({ ok: true, date: { value: yearText, precision: 'year', sortKey: `${yearText}-01-01` } });
      }),
    );
  });

  it('refuses impossible and malformed dates, saying what is wrong', () => {
    for (const text of ['2019-13-02', '2019-02-30', '2019-02-29', '2019-00-10', '2019-04-31', '2019-13', '0000', '0000-01-01']) {
      expect(parseExchangeDate(text)).toEqual({ ok: false, problem: 'is not a date' });
    }
    expect(parseExchangeDate('2020-02-29').ok).toBe(true);
    expect(parseExchangeDate('2000-02-29').ok).toBe(true);
    expect(parseExchangeDate('1900-02-29').ok).toBe(false);
    for (const text of ['02/05/2019', '2019-5-2', '20190502', '', ' 2019-05-02', '2019-05-02Z', 'May 2019']) {
      expect(parseExchangeDate(text)).toMatchObject({ ok: false, problem: expect.stringMatching(/^is not a date \(write it as/) });
    }
    expect(parseExchangeDate('2019-05-02T10:00')).toMatchObject({ ok: false, problem: expect.stringContaining('no UTC offset') });
    expect(parseExchangeDate('2019-05-02T10:00:00')).toMatchObject({ ok: false, problem: expect.stringContaining('no UTC offset') });
    for (const text of ['2019-05-02T24:00:00Z', '2019-05-02T10:60:00Z', '2019-05-02T10:00:60Z', '2019-02-30T10:00:00Z', '2019-05-02T10:00:00+24:00']) {
      expect(parseExchangeDate(text)).toEqual({ ok: false, problem: 'is not a date' });
    }
  });

  it('sorts a date-time on its calendar day in Europe/London (GMT in winter, BST in summer)', () => {
    const day = (text: string) => {
      const reading = parseExchangeDate(text);
      if (!reading.ok) throw new Error(reading.problem);
      expect(reading.date.precision).toBe('datetime');
      expect(reading.date.value).toBe(text);
      return reading.date.sortKey;
    };
    expect(day('2020-10-14T21:40:00+01:00')).toBe('2020-10-14');
    expect(day('2019-06-30T23:30:00Z')).toBe('2019-07-01'); // 00:30 BST
    expect(day('2019-12-31T23:30:00Z')).toBe('2019-12-31'); // GMT
    expect(day('2019-12-31T20:00:00-05:00')).toBe('2020-01-01');
    expect(day('2020-03-29T00:30:00Z')).toBe('2020-03-29'); // clocks go forward at 01:00 GMT
    expect(day('2020-10-24T23:30:00Z')).toBe('2020-10-25'); // still BST
    expect(day('2020-10-25T23:30:00Z')).toBe('2020-10-25'); // GMT again
    expect(day('2022-11-24T03:12:00+00:00')).toBe('2022-11-24');
    expect(day('2022-11-24T03:12Z')).toBe('2022-11-24');
    expect(day('2022-11-24T03:12:00.123456+05:30')).toBe('2022-11-23');
  });

  it('gives a date-time the London day of its instant, whatever the offset it is written with', () => {
    const london = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (instant, offsetMinutes) => {
          const shifted = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const text = `${shifted}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
          const reading = parseExchangeDate(text);
          const expected = london.format(new Date(Math.floor(instant.getTime() / 1000) * 1000));
          expect(reading).toEqual({ ok: true, date: { value: text, precision: 'datetime', sortKey: expected } });
        },
      ),
    );
  });
});
