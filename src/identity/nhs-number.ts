/**
 * NHS numbers: ten digits, the last a Modulus 11 check digit (NHS Data Dictionary, "NHS Number").
 *
 * An NHS number whose check digit is wrong is almost always a typing error, and a typing error in an
 * identifier is worse than no identifier: it can point at somebody else. So an invalid number is
 * reported (the import shows a warning) and is never used for matching.
 */

import { isValidNhsNumber, nhsCheckDigit } from '../shared/nhs-number.js';

export { isValidNhsNumber, nhsCheckDigit };

/** What came of reading one NHS number as recorded. */
export interface NhsNumberCheck {
  /** The ten digits, without spaces, when the number is valid; otherwise null. */
  value: string | null;
  /** Why the number is not used, in plain English; null when valid or absent. */
  problem: string | null;
}

/**
 * Reads an NHS number as an agency recorded it: spaces and hyphens are ignored ("943 476 5919",
 * "943-476-5919"); anything else that is not ten digits with a correct check digit is a problem.
 */
export function checkNhsNumber(recorded: string | null | undefined): NhsNumberCheck {
  if (recorded === null || recorded === undefined || recorded.trim() === '') return { value: null, problem: null };
  const digits = recorded.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) return { value: null, problem: 'the NHS number has characters other than digits' };
  if (digits.length !== 10) return { value: null, problem: `the NHS number has ${digits.length} digits, not 10` };
  if (/^(\d)\1{9}$/.test(digits)) return { value: null, problem: 'the NHS number is a placeholder (ten identical digits)' };
  if (!isValidNhsNumber(digits)) return { value: null, problem: 'the NHS number check digit is wrong' };
  return { value: digits, problem: null };
}
