// Keys for finding a person by name (fuzzy), date of birth, NHS number or postcode. Each record
// stores its keys (an indexed text array); a search turns the query into the same kind of keys and
// asks for records sharing any of them, then ranks what it found. The keys come from the same
// normalisers as matching, so "Jon Smyth", "John Smith" and "Johnny Smith" meet.
import { forenameRoots } from './nicknames.js';
import { normaliseDate, normaliseName, normalisePostcode, normaliseRecord, type IdentityRecordInput } from './normalise.js';
import { metaphone } from './phonetic.js';
import { checkNhsNumber } from './nhs-number.js';

/** The keys stored with a record. */
export function recordSearchKeys(input: IdentityRecordInput): string[] {
  const n = normaliseRecord(input);
  const keys = new Set<string>();
  const family = [n.family?.compact, ...n.otherFamily].filter((x): x is string => !!x);
  for (const f of family) {
    keys.add(`f:${f}`);
    keys.add(`fs:${metaphone(f)}`);
  }
  for (const token of n.family?.tokens ?? []) keys.add(`fs:${metaphone(token)}`);
  const given = [...n.givenRoots, ...n.otherGiven];
  for (const g of given) {
    keys.add(`g:${g}`);
    keys.add(`gs:${metaphone(g)}`);
  }
  if (n.dateOfBirth?.valid) keys.add(`d:${n.dateOfBirth.digits}`);
  if (n.expectedDate?.valid) keys.add(`d:${n.expectedDate.digits}`);
  if (n.nhsNumber) keys.add(`n:${n.nhsNumber}`);
  if (n.postcode) keys.add(`p:${n.postcode.text.replace(/ /g, '')}`);
  return [...keys].filter((k) => !k.endsWith(':')).sort();
}

/** What a person typed into the search form. */
export interface SearchQuery {
  name?: string | null;
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  postcode?: string | null;
}

/** The keys to look for, grouped by what they stand for (a result must match every group given). */
export interface QueryKeys {
  /** Any of these finds a record by name (each name the person typed is one group). */
  names: string[][];
  dateOfBirth: string[] | null;
  nhsNumber: string | null;
  postcode: string | null;
}

/**
 * The keys for a query. A date of birth also matches with day and month swapped (a common slip);
 * an NHS number must be valid to be searched for. Returns null for groups not asked about.
 */
export function querySearchKeys(query: SearchQuery): QueryKeys {
  const names: string[][] = [];
  const name = normaliseName(query.name ?? null);
  for (const token of name?.tokens ?? []) {
    const group = new Set<string>([`f:${token}`, `fs:${metaphone(token)}`, `gs:${metaphone(token)}`]);
    for (const root of forenameRoots(token)) group.add(`g:${root}`);
    names.push([...group]);
  }
  const date = normaliseDate(query.dateOfBirth?.trim() || null);
  let dateOfBirth: string[] | null = null;
  if (date?.valid) {
    dateOfBirth = [`d:${date.digits}`];
    if (date.day !== null && date.month !== null && date.day <= 12 && date.day !== date.month) {
      dateOfBirth.push(`d:${date.year}${String(date.day).padStart(2, '0')}${String(date.month).padStart(2, '0')}`);
    }
  }
  const nhs = checkNhsNumber(query.nhsNumber ?? null).value;
  const postcode = normalisePostcode(query.postcode ?? null);
  return { names, dateOfBirth, nhsNumber: nhs, postcode: postcode ? postcode.text.replace(/ /g, '') : null };
}

/** Every key a query could match, for the index lookup (the groups are checked after). */
export function anyQueryKey(keys: QueryKeys): string[] {
  return [...keys.names.flat(), ...(keys.dateOfBirth ?? []), ...(keys.nhsNumber ? [`n:${keys.nhsNumber}`] : []), ...(keys.postcode ? [`p:${keys.postcode}`] : [])];
}

/**
 * How well a record's keys answer the query: null when a group given is not matched at all;
 * otherwise a score (exact names count more than names that only sound alike).
 */
export function scoreSearchKeys(recordKeys: ReadonlySet<string>, keys: QueryKeys): number | null {
  let score = 0;
  for (const group of keys.names) {
    const exact = group.some((k) => (k.startsWith('f:') || k.startsWith('g:')) && recordKeys.has(k));
    const sound = group.some((k) => recordKeys.has(k));
    if (!sound) return null;
    score += exact ? 3 : 1;
  }
  if (keys.dateOfBirth) {
    if (recordKeys.has(keys.dateOfBirth[0]!)) score += 4;
    else if (keys.dateOfBirth.slice(1).some((k) => recordKeys.has(k))) score += 2;
    else return null;
  }
  if (keys.nhsNumber) {
    if (!recordKeys.has(`n:${keys.nhsNumber}`)) return null;
    score += 10;
  }
  if (keys.postcode) {
    if (!recordKeys.has(`p:${keys.postcode}`)) return null;
    score += 2;
  }
  return score;
}
