// A person's display details, worked out from the records that make them up: the value most
// sources agree on, the latest record breaking a tie; a valid NHS number before an invalid one;
// restricted if any source restricted them (the safe choice: one refuge address is enough).
import type { Selectable } from 'kysely';
import type { RecordsTable } from '../db/schema.js';

/** What a record contributes to its person's details (columns of a stored record). */
export type MatchableRecord = Pick<
  Selectable<RecordsTable>,
  'kind' | 'given_name' | 'family_name' | 'date_of_birth' | 'expected_date' | 'sex' | 'nhs_number' | 'nhs_number_valid' | 'address' | 'phone' | 'restricted' | 'updated_at'
>;

/** What a person's row shows (persons table columns). */
export interface PersonDetails {
  kind: 'person' | 'unborn';
  given_name: string | null;
  family_name: string | null;
  date_of_birth: string | null;
  expected_date: string | null;
  sex: 'female' | 'male' | 'unknown';
  nhs_number: string | null;
  restricted: boolean;
  address: string | null;
  phone: string | null;
}

/** The most common non-empty value; ties go to the most recently updated record. */
function mostCommon<T>(records: readonly MatchableRecord[], pick: (r: MatchableRecord) => T | null | undefined, key: (v: T) => string = String): T | null {
  const counts = new Map<string, { value: T; n: number; latest: number }>();
  for (const r of records) {
    const v = pick(r);
    if (v === null || v === undefined || v === '') continue;
    const k = key(v);
    const at = new Date(r.updated_at).getTime();
    const c = counts.get(k);
    if (c) {
      c.n += 1;
      c.latest = Math.max(c.latest, at);
    } else counts.set(k, { value: v, n: 1, latest: at });
  }
  let best: { value: T; n: number; latest: number } | null = null;
  for (const c of counts.values()) if (!best || c.n > best.n || (c.n === best.n && c.latest > best.latest)) best = c;
  return best?.value ?? null;
}

function latest<T>(records: readonly MatchableRecord[], pick: (r: MatchableRecord) => T | null | undefined): T | null {
  let best: { value: T; at: number; from: string } | null = null;
  for (const r of records) {
    const v = pick(r);
    if (v === null || v === undefined) continue;
    // An address's own "from" date is the best sign of which one is newest; else when it arrived.
    const from = typeof v === 'object' && v !== null && 'from' in v ? String((v as { from?: unknown }).from ?? '') : '';
    const at = new Date(r.updated_at).getTime();
    if (!best || from > best.from || (from === best.from && at > best.at)) best = { value: v, at, from };
  }
  return best?.value ?? null;
}

/** A person's details from their records (at least one). */
export function personDetailsFrom(records: readonly MatchableRecord[]): PersonDetails {
  const born = records.filter((r) => r.kind === 'person');
  const named = born.length > 0 ? born : records;
  const dayDates = (r: MatchableRecord) => (r.date_of_birth && r.date_of_birth.length === 10 ? r.date_of_birth : null);
  const address = latest(records, (r) => (r.address ? (typeof r.address === 'string' ? JSON.parse(r.address) : r.address) : null));
  return {
    kind: born.length > 0 ? 'person' : 'unborn',
    given_name: mostCommon(named, (r) => r.given_name?.trim()),
    family_name: mostCommon(named, (r) => r.family_name?.trim()),
    date_of_birth: mostCommon(born, dayDates) ?? mostCommon(born, (r) => r.date_of_birth),
    expected_date: born.length > 0 ? null : mostCommon(records, (r) => r.expected_date),
    sex: mostCommon(records, (r) => (r.sex === 'unknown' ? null : r.sex)) ?? 'unknown',
    nhs_number: mostCommon(records, (r) => (r.nhs_number_valid ? r.nhs_number : null)),
    restricted: records.some((r) => r.restricted),
    address: address ? JSON.stringify(address) : null,
    phone: latest(records, (r) => r.phone),
  };
}
