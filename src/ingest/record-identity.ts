// The identity fields of an exchange-format record, as the matcher and the search keys read them.
// One function so that the importer and replay cannot drift apart on which fields identify a person.
import type { IdentityRecordInput } from '../identity/normalise.js';
import type { NormalisedRecord } from './exchange-schema.js';

/**
 * The identity of record `r`. With `nhsNumbers: 'valid-only'` an NHS number whose check digit is
 * wrong is left out (it is never trusted for matching); with 'as-received' it is kept, so a
 * practitioner who types the number as the agency wrote it still finds the record.
 */
export function recordIdentity(r: NormalisedRecord, nhsNumbers: 'valid-only' | 'as-received'): IdentityRecordInput {
  return {
    id: r.id,
    source: r.source,
    sourceRecordId: r.sourceRecordId ?? null,
    kind: r.kind,
    givenName: r.givenName ?? null,
    familyName: r.familyName ?? null,
    otherNames: r.otherNames ?? null,
    dateOfBirth: r.dateOfBirth?.value ?? null,
    expectedDate: r.expectedDate?.value ?? null,
    sex: r.sex ?? null,
    nhsNumber: nhsNumbers === 'as-received' || r.nhsNumber?.valid ? (r.nhsNumber?.value ?? null) : null,
    upn: r.upn ?? null,
    address: r.address ? { line1: r.address.line1, line2: r.address.line2, town: r.address.town, postcode: r.address.postcode, uprn: r.address.uprn } : null,
    phone: r.phone ?? null,
  };
}
