import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNhsNumber, isValidNhsNumber, nhsCheckDigit } from '../../src/identity/nhs-number.js';

describe('NHS number Modulus 11 check digit', () => {
  it('accepts valid numbers, with or without spaces and hyphens', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(checkNhsNumber('943 476 5919')).toEqual({ value: '9434765919', problem: null });
    expect(checkNhsNumber('943-476-5919').value).toBe('9434765919');
    expect(checkNhsNumber(' 999 104 0005 ').value).toBe('9991040005');
  });

  it('rejects a wrong check digit, the wrong length, letters and placeholders, saying why', () => {
    expect(checkNhsNumber('943 476 5918')).toEqual({ value: null, problem: 'the NHS number check digit is wrong' });
    expect(checkNhsNumber('943 476 591').problem).toBe('the NHS number has 9 digits, not 10');
    expect(checkNhsNumber('943 476 591X').problem).toBe('the NHS number has characters other than digits');
    expect(checkNhsNumber('0000000000').problem).toMatch(/placeholder/);
    expect(isValidNhsNumber('0000000000')).toBe(false);
  });

  it('treats a missing number as absent, not as a problem', () => {
    expect(checkNhsNumber(undefined)).toEqual({ value: null, problem: null });
    expect(checkNhsNumber('   ')).toEqual({ value: null, problem: null });
  });

  it('computes check digits, including the remainder that makes a number impossible', () => {
    expect(nhsCheckDigit('943476591')).toBe(9);
    expect(nhsCheckDigit('999104000')).toBe(5);
    // Weights 10..2: 1 × 10 = 10, remainder 10, check 11 − 10 = 1.
    expect(nhsCheckDigit('100000000')).toBe(1);
    // 1 × 10 + 1 × 2 = 12, remainder 1, check 10: no valid number starts with these nine digits.
    expect(nhsCheckDigit('100000001')).toBe(null);
  });

  it('detects every single-digit typing error in a valid number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nine, position, delta) => {
        const check = nhsCheckDigit(nine);
        fc.pre(check !== null && !/^(\d)\1{8}$/.test(nine));
        const valid = `${nine}${check}`;
        expect(isValidNhsNumber(valid)).toBe(true);
        const digits = valid.split('');
        digits[position] = String((Number(digits[position]) + delta) % 10);
        expect(isValidNhsNumber(digits.join(''))).toBe(false);
      }),
    );
  });
});
