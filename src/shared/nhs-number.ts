// The NHS number's Modulus 11 check (NHS Data Dictionary, "NHS Number"), shared by the importer
// (which warns about a bad number) and identity resolution (which never matches on one).

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
