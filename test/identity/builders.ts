import { nhsCheckDigit } from '../../src/identity/nhs-number.js';
import type { IdentityRecordInput } from '../../src/identity/normalise.js';

let serial = 0;

/** A record with a fresh id and source unless given; every other field as passed. */
export function rec(fields: Partial<IdentityRecordInput> = {}): IdentityRecordInput {
  serial += 1;
  return { id: `t${serial}`, source: `source-${serial}`, ...fields };
}

/** A valid NHS number (test range 999...) made from `n`, spaced as agencies often type it. */
export function validNhs(n: number): string {
  for (let k = n; ; k += 1) {
    const nine = `999${String(k % 1_000_000).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine.slice(0, 3)} ${nine.slice(3, 6)} ${nine.slice(6)}${check}`;
  }
}
