import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNhsNumber, isUkPostcodeFormat, nhsNumberCheckDigit } from '../../src/ingest/uk-identifiers.js';

const digits = (length: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

/** An independent statement of Modulus 11: with weights 10 down to 1 (1 for the check digit), a valid number sums to a multiple of 11. */
function modulus11Holds(ten: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i += 1) sum += Number(ten[i]) * (10 - i);
  return sum % 11 === 0;
}

describe('NHS number', () => {
  it('passes the worked example from the NHS Data Dictionary, with or without spaces', () => {
    expect(nhsNumberCheckDigit('943476591')).toBe(9);
    expect(checkNhsNumber('9434765919')).toEqual({ digits: '9434765919', valid: true, problem: null });
    expect(checkNhsNumber('943 476 5919')).toEqual({ digits: '9434765919', valid: true, problem: null });
    expect(checkNhsNumber('943 476 5918')).toEqual({ digits: '9434765918', valid: false, problem: 'check-digit' });
  });

  it('is valid exactly when the Modulus 11 sum holds', () => {
    fc.assert(
      fc.property(digits(10), (ten) => {
        expect(checkNhsNumber(ten).valid).toBe(modulus11Holds(ten));
      }),
      { numRuns: 2000 },
    );
  });

  it('completes any nine digits whose check is not 10, and then catches every single-digit error', () => {
    fc.assert(
      fc.property(digits(9), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nine, position, change) => {
        const check = nhsNumberCheckDigit(nine);
        fc.pre(check !== null);
        const number = `${nine}${check}`;
        expect(checkNhsNumber(number).valid).toBe(true);
        const wrong = `${number.slice(0, position)}${(Number(number[position]) + change) % 10}${number.slice(position + 1)}`;
        expect(checkNhsNumber(wrong).valid).toBe(false);
      }),
    );
  });

  it('never accepts nine digits whose check digit would be 10', () => {
    fc.assert(
      fc.property(digits(9), fc.integer({ min: 0, max: 9 }), (nine, last) => {
        fc.pre(nhsNumberCheckDigit(nine) === null);
        expect(checkNhsNumber(`${nine}${last}`).valid).toBe(false);
      }),
    );
  });

  it('allows spaces anywhere, but nothing else, and needs exactly ten digits', () => {
    fc.assert(
      fc.property(digits(10), fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 4 }), (ten, cuts) => {
        let spaced = ten;
        for (const cut of cuts.sort((a, b) => b - a)) spaced = `${spaced.slice(0, cut)} ${spaced.slice(cut)}`;
        expect(checkNhsNumber(spaced)).toEqual(checkNhsNumber(ten));
      }),
    );
    for (const text of ['943-476-5919', '943476591', '94347659190', 'NHS9434765919', '']) {
      expect(checkNhsNumber(text)).toEqual({ digits: null, valid: false, problem: 'not-ten-digits' });
    }
  });
});

describe('UK postcode format', () => {
  it('accepts every outward code shape, with or without the space, in either case', () => {
    for (const postcode of ['M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'W1A 0AX', 'EC1A 1BB', 'SW1A1AA', 'st6 3ex', 'GIR 0AA', ' TS4 3EW ', 'SX4 6PJ']) {
      expect(isUkPostcodeFormat(postcode), postcode).toBe(true);
    }
  });

  it('rejects what is not a postcode', () => {
    for (const postcode of ['NOT A POSTCODE', '', 'ST6', '3EX', 'ST6 3CX', 'QA1 1AA', 'ST6  3EX', '12345', 'ST6 3EXX', 'S-T6 3EX']) {
      expect(isUkPostcodeFormat(postcode), postcode).toBe(false);
    }
  });
});
