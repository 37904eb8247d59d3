import { metaphone } from './phonetic.js';
import type { NormalisedRecord } from './normalise.js';

/**
 * Blocking: which pairs of records are worth comparing at all. Comparing every pair grows with the
 * square of the records held (500,000 people would be 125 billion pairs), so each record gets a
 * few keys, and only records that share a key are compared. A true pair is found when any one key
 * survives the errors in its records, so the keys are chosen to fail independently: identifiers,
 * date of birth, name sounds with birth year, name sounds together, postcode, address line.
 *
 * Most keys are symmetric: a record is filed under them and looks itself up under them. Two are
 * not: every record is filed under the sound of its first name and of its surname alone, but only
 * a record missing the other name looks those up ("Liam", no surname, against every Liam), so that
 * these large blocks are read only when there is nothing better.
 */
export interface BlockingKeys {
  /** Keys the record is filed under. */
  index: string[];
  /** Keys the record looks up when searching for candidates. */
  query: string[];
}

function shortSound(name: string): string {
  return metaphone(name, 4);
}

/** The blocking keys of one record. */
export function blockingKeys(r: NormalisedRecord): BlockingKeys {
  const both = new Set<string>();
  if (r.source && r.sourceRecordId) both.add(`S|${r.source}|${r.sourceRecordId}`);
  // An unborn record meets others only through its source's own id (or through the mother, later).
  if (r.kind === 'unborn') {
    const keys = [...both];
    return { index: keys, query: keys };
  }
  if (r.nhsNumber) both.add(`N|${r.nhsNumber}`);
  if (r.phone) both.add(`P|${r.phone}`);
  if (r.upn) both.add(`U|${r.upn}`);
  if (r.email) {
    both.add(`E|${r.email}`);
    const local = r.email.split('@')[0]!;
    if (local.length >= 4) both.add(`EL|${local}`);
  }
  if (r.otherIdentifier) both.add(`O|${r.otherIdentifier}`);
  const dob = r.dateOfBirth;
  if (dob && dob.precision === 'day') {
    both.add(`D|${dob.digits}`);
    if (dob.day !== null && dob.month !== null && dob.day <= 12 && dob.day !== dob.month) {
      // Filed under its day/month-swapped twin as well, so a swapped date still meets the true one.
      const swapped = `${dob.year}${String(dob.day).padStart(2, '0')}${String(dob.month).padStart(2, '0')}`;
      both.add(`D|${swapped}`);
    }
  }
  // The names' own sound codes are precomputed (metaphone stops at its length limit, so the first
  // four characters of the longer code are the short code).
  const familySounds = new Set<string>();
  if (r.family) familySounds.add(r.family.sound.slice(0, 4));
  for (const f of r.otherFamily) familySounds.add(shortSound(f));
  familySounds.delete('');
  const givenSounds = new Set<string>();
  if (r.given) {
    givenSounds.add(r.given.sound.slice(0, 4));
    for (const root of r.givenRoots) if (root !== r.given.compact) givenSounds.add(shortSound(root));
  }
  for (const g of r.otherGiven) givenSounds.add(shortSound(g));
  givenSounds.delete('');
  if (dob) {
    for (const f of familySounds) both.add(`FY|${f}|${dob.year}`);
    for (const g of givenSounds) both.add(`GY|${g}|${dob.year}`);
  }
  // Spelling prefixes as well as sounds: a typing error late in a name changes its sound code
  // more often than its first letters.
  if (r.family && r.given && r.family.compact.length >= 3) both.add(`NP|${r.family.compact.slice(0, 3)}|${r.given.compact.slice(0, 2)}`);
  for (const f of familySounds) {
    for (const g of givenSounds) both.add(f < g ? `FG|${f}|${g}` : `FG|${g}|${f}`);
  }
  if (r.postcode) both.add(`PC|${r.postcode.text}`);
  if (r.addressLine && r.houseNumbers.length > 0) both.add(`AL|${r.addressLine}`);
  const index = [...both];
  const query = [...both];
  const firstSound = r.given ? r.given.sound.slice(0, 4) : '';
  const familySound = r.family ? r.family.sound.slice(0, 4) : '';
  if (firstSound) index.push(`G|${firstSound}`);
  if (familySound) index.push(`F|${familySound}`);
  if (firstSound && !r.family) query.push(`G|${firstSound}`);
  if (familySound && !r.given) query.push(`F|${familySound}`);
  return { index, query };
}

/**
 * An inverted index of blocking keys to record positions, with a size limit: a key shared by more
 * than `maxBlockSize` records (a placeholder date, a very common name sound) is too unspecific to
 * narrow anything down, and is skipped when looking up (other keys still find the true pairs).
 */
export class BlockingIndex {
  private readonly postings = new Map<string, number[]>();
  /** Lookups skipped because the block was larger than the limit. */
  skippedLookups = 0;

  constructor(readonly maxBlockSize: number) {}

  /** Files record `position` under its keys. */
  add(position: number, keys: readonly string[]): void {
    for (const key of keys) {
      const list = this.postings.get(key);
      if (list) list.push(position);
      else this.postings.set(key, [position]);
    }
  }

  /** Removes record `position` from its keys (a record replaced by a new version). */
  remove(position: number, keys: readonly string[]): void {
    for (const key of keys) {
      const list = this.postings.get(key);
      if (!list) continue;
      const i = list.indexOf(position);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.postings.delete(key);
    }
  }

  /** The positions filed under `key`, or an empty list when the block is too large to use. */
  lookup(key: string): readonly number[] {
    const list = this.postings.get(key);
    if (!list) return [];
    if (list.length > this.maxBlockSize) {
      this.skippedLookups += 1;
      return [];
    }
    return list;
  }
}
