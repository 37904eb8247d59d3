import { describe, expect, it } from 'vitest';
import { problemsFromZod } from '../../src/ingest/exchange-issues.js';
import {
  AGENCIES,
  CIN_FACTOR_CODES,
  CONCERN_CODES,
  EVENT_SCHEMAS,
  EVENT_TYPES,
  EXTRA_FACTOR_CODES,
  FACTOR_CODES,
  recordSchema,
  REFERRAL_SOURCE_CODES,
  RELATIONSHIP_TYPES,
  relationshipSchema,
} from '../../src/ingest/exchange-schema.js';

const base = { id: 'x:e1', source: 'x', date: '2024-02-03', subjects: ['x:p'] };

/** The problems (one-line messages) of parsing `value` with `schema`, or [] when it passes. */
function problems(schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : problemsFromZod(result.error as never).map((p) => p.message);
}

describe('exchange schema', () => {
  it('has every code list of the spec, complete and without repeats', () => {
    expect(AGENCIES).toHaveLength(21);
    expect(REFERRAL_SOURCE_CODES).toHaveLength(22);
    expect(CIN_FACTOR_CODES).toHaveLength(34);
    expect(EXTRA_FACTOR_CODES).toHaveLength(7);
    expect(CONCERN_CODES).toHaveLength(20);
    expect(RELATIONSHIP_TYPES).toHaveLength(10);
    expect(EVENT_TYPES).toHaveLength(28);
    for (const list of [AGENCIES, REFERRAL_SOURCE_CODES, FACTOR_CODES, CONCERN_CODES, RELATIONSHIP_TYPES, EVENT_TYPES]) {
      expect(new Set(list).size).toBe(list.length);
    }
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('lets a father link leave out `from` only when the father is recorded as not known', () => {
    const link = { id: 'r', source: 's', to: 'x:child', type: 'father' };
    expect(problems(relationshipSchema, { ...link, fatherUnknown: true })).toEqual([]);
    expect(problems(relationshipSchema, link)).toEqual(['from is missing (only a father link with fatherUnknown: true may leave it out)']);
    expect(problems(relationshipSchema, { ...link, from: 'x:dad', fatherUnknown: true })).toEqual([
      'fatherUnknown is true, but from names the father (leave from out when the father is not known)',
    ]);
    expect(problems(relationshipSchema, { ...link, type: 'mother', fatherUnknown: true })).toEqual(['fatherUnknown is only for a father link, not "mother"']);
  });

  it('fills in the defaults and normal forms the spec gives', () => {
    expect(EVENT_SCHEMAS.meeting.parse({ ...base, type: 'meeting', kind: 'core-group' }).held).toBe(true);
    expect(EVENT_SCHEMAS.pregnancy.parse({ ...base, type: 'pregnancy', unborn: 'x:unborn' }).unborn).toEqual(['x:unborn']);
    expect(EVENT_SCHEMAS.pregnancy.parse({ ...base, type: 'pregnancy', unborn: ['x:t1', 'x:t2'] }).unborn).toEqual(['x:t1', 'x:t2']);
    const record = recordSchema.parse({ id: 'x:p', source: 'x', address: { uprn: 100012345678 } });
    expect(record.kind).toBe('person');
    expect(record.address?.uprn).toBe('100012345678');
  });

  it('requires each event type’s defining fields, and only those', () => {
    expect(problems(EVENT_SCHEMAS.appointment, { ...base, type: 'appointment' })).toEqual(['status is missing']);
    expect(problems(EVENT_SCHEMAS.factor, { ...base, type: 'factor', code: 'debt' })).toEqual(['status is missing']);
    expect(problems(EVENT_SCHEMAS.household, { ...base, type: 'household' })).toEqual(['change is missing', 'person is missing']);
    expect(problems(EVENT_SCHEMAS.contact, { ...base, type: 'contact' })).toEqual([]);
    expect(problems(EVENT_SCHEMAS.concern, { ...base, type: 'concern' })).toEqual([]);
    expect(problems(EVENT_SCHEMAS.referral, { ...base, type: 'referral', from: 6 })).toEqual(['from must be a referral-source code, not the number 6']);
  });
});
