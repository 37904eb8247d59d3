/**
 * NHS numbers: ten digits, the last a Modulus 11 check digit (NHS Data Dictionary, "NHS Number").
 *
 * An NHS number whose check digit is wrong is almost always a typing error, and a typing error in an
 * identifier is worse than no identifier: it can point at somebody else. So an invalid number is
 * reported (the import shows a warning) and is never used for matching.
 */

/** What came of reading one NHS number as recorded. */
export interface NhsNumberCheck {
  /** The ten digits, without spaces, when the number is valid; otherwise null. */
  value: string | null;
  /** Why the number is not used, in plain English; null when valid or absent. */
  problem: string | null;
}

/**
 * The Modulus 11 check digit for the first nine digits, or null when no digit can be valid (the
 * remainder gives 10, so no NHS number starts with these nine digits).
 */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new Error('nhsCheckDigit needs exactly nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** True when `digits` (ten digits, no spaces) carries a correct Modulus 11 check digit. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  // Ten identical digits pass the arithmetic (0000000000) but are placeholders systems type in
  // when the number is unknown; they identify nobody.
  if (/^(\d)\1{9}$/.test(digits)) return false;
  const check = nhsCheckDigit(digits.slice(0, 9));
  return check !== null && check === Number(digits[9]);
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
