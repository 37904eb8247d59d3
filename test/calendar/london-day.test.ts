import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { londonDay } from '../../src/ingest/exchange-dates.js';

/** London's day for an instant, worked out afresh each time (what londonDay remembers by the hour). */
function londonDayAfresh(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

describe('londonDay', () => {
  it('gives the London day either side of midnight and of the clock changes', () => {
    expect(londonDay(new Date('2024-03-30T23:59:59Z'))).toBe('2024-03-30'); // GMT: still Saturday
    expect(londonDay(new Date('2024-03-31T00:59:59Z'))).toBe('2024-03-31');
    expect(londonDay(new Date('2024-03-31T01:00:00Z'))).toBe('2024-03-31'); // clocks go forward
    expect(londonDay(new Date('2024-06-30T22:59:59Z'))).toBe('2024-06-30'); // BST
    expect(londonDay(new Date('2024-06-30T23:00:00Z'))).toBe('2024-07-01'); // midnight in BST
    expect(londonDay(new Date('2024-10-26T23:00:00Z'))).toBe('2024-10-27'); // BST midnight before the change
    expect(londonDay(new Date('2024-10-27T23:30:00Z'))).toBe('2024-10-27'); // GMT again
  });

  it('agrees with the time zone database for any instant, however often an hour is asked again', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 3_599_999 }), (instant, within) => {
        const hourStart = Math.floor(instant.getTime() / 3_600_000) * 3_600_000;
        // Ask for one instant of the hour first, then another: the second must not take the first's day wrongly.
        expect(londonDay(instant)).toBe(londonDayAfresh(instant));
        const other = new Date(hourStart + within);
        expect(londonDay(other)).toBe(londonDayAfresh(other));
      }),
      { numRuns: 2000 },
    );
  });
});
