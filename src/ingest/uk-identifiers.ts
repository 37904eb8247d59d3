import { isValidNhsNumber, nhsCheckDigit } from '../shared/nhs-number.js';

// Checks on UK identifiers in person records. Neither check ever rejects a record: the spec keeps
// what the source recorded, and a failed check only means the value is not trusted for matching
// (NHS number) or is compared as plain text (postcode).

/** What an NHS number check found: the ten digits (spaces removed) when there are ten, and whether the check digit is right. */
export interface NhsNumberCheck {
  digits: string | null;
  valid: boolean;
  problem: 'not-ten-digits' | 'check-digit' | null;
}

/** The Modulus 11 check digit for the first nine digits (null: no valid number starts so). */
export const nhsNumberCheckDigit = nhsCheckDigit;

/** Checks an NHS number as recorded: ten digits, spaces allowed anywhere (`943 476 5919`), with a correct check digit. */
export function checkNhsNumber(text: string): NhsNumberCheck {
  const digits = text.replace(/ /g, '');
  if (!/^\d{10}$/.test(digits)) return { digits: null, valid: false, problem: 'not-ten-digits' };
  const valid = isValidNhsNumber(digits);
  return { digits, valid, problem: valid ? null : 'check-digit' };
}

// The UK postcode format (as in the government's published pattern): an outward code A9, A99,
// AA9, AA99, A9A or AA9A, an optional single space, and an inward code 9AA, with the letters each
// position may hold; plus the special GIR 0AA. Letters are accepted in either case.
const POSTCODE =
  /^(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$/i;

/** True when `text` (surrounding spaces ignored) is in UK postcode format. The format only: it does not say the postcode exists. */
export function isUkPostcodeFormat(text: string): boolean {
  return POSTCODE.test(text.trim());
}
