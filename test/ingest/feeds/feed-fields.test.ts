import { describe, expect, it } from 'vitest';
import { isUnder18On, readDateOfBirth, readDay, readSex, sourceObject } from '../../../src/ingest/feeds/feed-fields.js';

const value = <T>(reading: { ok: true; value: T } | { ok: false; message: string }) => (reading.ok ? reading.value : reading.message);

describe('feed fields', () => {
  it('reads sex as the exchange words, from the words and letters systems export', () => {
    const table: Record<string, string> = {
      female: 'female', F: 'female', f: 'female', Male: 'male', M: 'male',
      unknown: 'unknown', U: 'unknown', 'Not known': 'unknown', 'not specified': 'unknown', other: 'unknown', indeterminate: 'unknown', X: 'unknown',
    };
    for (const [text, sex] of Object.entries(table)) expect([text, value(readSex('sex', text))]).toEqual([text, sex]);
    expect(value(readSex('sex', '2'))).toBe('sex "2" is not one of: female, male, unknown (or F, M, U)');
  });

  it('reads days as YYYY-MM-DD or DD/MM/YYYY, and dates of birth also as YYYY-MM or YYYY', () => {
    expect(value(readDay('date', '2024-09-02'))).toBe('2024-09-02');
    expect(value(readDay('date', '2/9/2024'))).toBe('2024-09-02');
    expect(value(readDay('date', '09/02/2024'))).toBe('2024-02-09');
    expect(value(readDay('date', '2024-02-30'))).toBe('date "2024-02-30" is not a date (write it as YYYY-MM-DD or DD/MM/YYYY)');
    expect(value(readDay('date', '2024-09'))).toMatch(/is not a date/);
    expect(value(readDateOfBirth('date_of_birth', '1988'))).toBe('1988');
    expect(value(readDateOfBirth('date_of_birth', '1988-04'))).toBe('1988-04');
    expect(value(readDateOfBirth('date_of_birth', '29/02/2019'))).toMatch(/is not a date/);
  });

  it('counts a child as under 18 until the day of their eighteenth birthday', () => {
    expect(isUnder18On('2006-03-05', '2024-03-04')).toBe(true);
    expect(isUnder18On('2006-03-05', '2024-03-05')).toBe(false);
  });

  it('makes the source object from the options', () => {
    expect(sourceObject({ source: 'np', agency: 'police' })).toEqual({ object: 'source', id: 'np', agency: 'police', name: 'np' });
  });
});
