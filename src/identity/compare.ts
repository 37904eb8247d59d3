import { FIELDS, LEVELS, type FieldName } from './model.js';
import { areNicknames } from './nicknames.js';
import type { NormalisedDate, NormalisedName, NormalisedRecord } from './normalise.js';
import { editDistance, jaroWinkler } from './similarity.js';

/** Index of each field in `FIELDS` (and in a comparison vector). */
export const FIELD_INDEX = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<FieldName, number>;

/** Level index meaning "not recorded on one side or both": the field is left out of the score. */
export const MISSING = -1;

/** Why a level was chosen, when the level name alone would not say it to a reader. */
export type ComparisonNote =
  | 'nickname'
  | 'other name'
  | 'first name only'
  | 'shared part of the surname'
  | 'names swapped'
  | 'sounds alike'
  | 'initial only'
  | 'day and month swapped'
  | 'vague date';

/** The outcome of comparing two records field by field, before any weights. */
export interface PairLevels {
  /** One level index per field in `FIELDS` order (`MISSING` when not comparable). */
  levels: Int8Array;
  /** Notes on particular fields (only where there is something to explain). */
  notes: Partial<Record<FieldName, ComparisonNote>>;
}

function level<F extends FieldName>(field: F, name: (typeof LEVELS)[F][number]): number {
  return (LEVELS[field] as readonly string[]).indexOf(name);
}

const G = {
  exact: level('givenName', 'exact'),
  alias: level('givenName', 'alias'),
  close: level('givenName', 'close'),
  similar: level('givenName', 'similar'),
  disagree: level('givenName', 'disagree'),
};
const D = {
  exact: level('dateOfBirth', 'exact'),
  swapped: level('dateOfBirth', 'swapped'),
  typo: level('dateOfBirth', 'typo'),
  vague: level('dateOfBirth', 'vague'),
  near: level('dateOfBirth', 'near'),
  disagree: level('dateOfBirth', 'disagree'),
};

function spellingLevel(a: string, b: string, soundA: string, soundB: string): { level: number; note?: ComparisonNote } {
  const jw = jaroWinkler(a, b);
  if (jw >= 0.92) return { level: G.close };
  if (soundA !== '' && soundA === soundB) return { level: G.similar, note: 'sounds alike' };
  if (jw >= 0.8) return { level: G.similar };
  return { level: G.disagree };
}

/** Given names: exact, a known alias (nickname, other name, first of several), spelling, sound. */
function compareGiven(a: NormalisedRecord, b: NormalisedRecord): { level: number; note?: ComparisonNote } {
  const x = a.given;
  const y = b.given;
  if (!x || !y) return { level: MISSING };
  if (x.compact === y.compact && x.compact.length > 1) return { level: G.exact };
  // An initial against a name or another initial: weak, but not a disagreement ("J Smith" and
  // "John Smith"); two equal initials are not exact agreement on a name either.
  if (x.compact.length === 1 || y.compact.length === 1) {
    return x.compact[0] === y.compact[0] ? { level: G.similar, note: 'initial only' } : { level: G.disagree };
  }
  if (x.first === y.first || x.tokens.some((t) => y.tokens.includes(t))) return { level: G.alias, note: 'first name only' };
  if (areNicknames(x.first, y.first)) return { level: G.alias, note: 'nickname' };
  if (a.otherGiven.includes(y.first) || b.otherGiven.includes(x.first) || a.otherGiven.some((n) => b.otherGiven.includes(n))) {
    return { level: G.alias, note: 'other name' };
  }
  const whole = spellingLevel(x.compact, y.compact, x.sound, y.sound);
  if (whole.level !== G.disagree || (x.tokens.length === 1 && y.tokens.length === 1)) return whole;
  return spellingLevel(x.first, y.first, '', '');
}

/** Family names: exact, a shared part or former surname, spelling, sound. */
function compareFamily(a: NormalisedRecord, b: NormalisedRecord): { level: number; note?: ComparisonNote } {
  const x = a.family;
  const y = b.family;
  if (!x || !y) return { level: MISSING };
  if (x.compact === y.compact) return { level: G.exact };
  if (x.tokens.some((t) => t.length > 1 && y.tokens.includes(t))) return { level: G.alias, note: 'shared part of the surname' };
  if (a.otherFamily.includes(y.compact) || b.otherFamily.includes(x.compact) || a.otherFamily.some((n) => b.otherFamily.includes(n))) {
    return { level: G.alias, note: 'other name' };
  }
  return spellingLevel(x.compact, y.compact, x.sound, y.sound);
}

function namesSwapped(x: NormalisedName | null, y: NormalisedName | null, p: NormalisedName | null, q: NormalisedName | null): boolean {
  if (!x || !y || !p || !q) return false;
  // A swap with a typing error in a first letter as well is too rare to pay for the comparisons.
  if (x.compact[0] !== q.compact[0] || y.compact[0] !== p.compact[0]) return false;
  return jaroWinkler(x.compact, q.compact) >= 0.92 && jaroWinkler(y.compact, p.compact) >= 0.92;
}

/** Dates of birth: exact, day and month swapped, one typing error, vague but consistent, near. */
export function compareDates(x: NormalisedDate | null, y: NormalisedDate | null): { level: number; note?: ComparisonNote } {
  if (!x || !y) return { level: MISSING };
  if (x.precision === 'day' && y.precision === 'day') {
    if (x.digits === y.digits) return { level: D.exact };
    if (x.year === y.year && x.month === y.day && x.day === y.month) return { level: D.swapped, note: 'day and month swapped' };
    const distance = editDistance(x.digits, y.digits, 2);
    if (distance <= 1) return { level: D.typo };
    if (distance === 2) return { level: D.near };
    if (x.dayNumber !== null && y.dayNumber !== null && Math.abs(x.dayNumber - y.dayNumber) <= 31) return { level: D.near };
    return { level: D.disagree };
  }
  // At least one is vague ("2019", "2019-05"): consistent when the vaguer one is a prefix.
  const [short, long] = x.digits.length <= y.digits.length ? [x, y] : [y, x];
  if (long.digits.startsWith(short.digits)) return { level: D.vague, note: 'vague date' };
  if (x.year === y.year) return { level: D.near, note: 'vague date' };
  return { level: D.disagree };
}

function comparePostcode(a: NormalisedRecord, b: NormalisedRecord): number {
  const x = a.postcode;
  const y = b.postcode;
  if (!x || !y) return MISSING;
  if (x.text === y.text) return 0;
  if (x.valid && y.valid) {
    if (x.sector === y.sector) return 1;
    if (x.district === y.district) return 2;
    return 3;
  }
  // Not UK postcodes (or only one is): compared as text, one typing error counting as near.
  return editDistance(x.text.replace(/ /g, ''), y.text.replace(/ /g, ''), 1) <= 1 ? 1 : 3;
}

function compareAddress(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.addressLine && b.addressLine) {
    if (a.addressLine === b.addressLine) return 0;
    if (a.street && b.street && (a.street === b.street || jaroWinkler(a.street, b.street) >= 0.9)) {
      const sameNumber = a.houseNumbers.length === 0 || b.houseNumbers.length === 0 || a.houseNumbers.some((n) => b.houseNumbers.includes(n));
      return sameNumber ? 1 : 2;
    }
    if (jaroWinkler(a.addressLine, b.addressLine) >= 0.92) return 1;
    if (a.addressLine2 && b.addressLine2 && a.addressLine2 === b.addressLine2) return 2;
    return 3;
  }
  // Only the second line (a building or locality) on one side or both.
  if (a.addressLine2 && b.addressLine2) return a.addressLine2 === b.addressLine2 ? 2 : MISSING;
  return MISSING;
}

function compareTown(a: string | null, b: string | null): number {
  if (!a || !b) return MISSING;
  if (a === b) return 0;
  if (jaroWinkler(a, b) >= 0.9 || (Math.min(a.length, b.length) >= 6 && editDistance(a, b, 2) <= 2)) return 1;
  return 2;
}

function compareEmail(a: string | null, b: string | null): number {
  if (!a || !b) return MISSING;
  if (a === b) return 0;
  const localA = a.split('@')[0]!;
  const localB = b.split('@')[0]!;
  if (localA === localB || jaroWinkler(a, b) >= 0.92) return 1;
  return 2;
}

function exactOrNot(a: string | null, b: string | null): number {
  if (!a || !b) return MISSING;
  return a === b ? 0 : 1;
}

/**
 * Compares two normalised records field by field and returns the level of each (no weights: the
 * same levels feed both parameter estimation and scoring).
 */
export function compareRecords(a: NormalisedRecord, b: NormalisedRecord): PairLevels {
  const levels = new Int8Array(FIELDS.length).fill(MISSING);
  const notes: Partial<Record<FieldName, ComparisonNote>> = {};
  levels[FIELD_INDEX.nhsNumber] = exactOrNot(a.nhsNumber, b.nhsNumber);
  let given = compareGiven(a, b);
  let family = compareFamily(a, b);
  // Given and family names written the wrong way round (a common data-entry slip).
  if (given.level >= G.close && family.level >= G.close && namesSwapped(a.given, a.family, b.given, b.family)) {
    given = { level: G.alias, note: 'names swapped' };
    family = given;
  }
  setLevel(levels, notes, 'givenName', given);
  setLevel(levels, notes, 'familyName', family);
  setLevel(levels, notes, 'dateOfBirth', compareDates(a.dateOfBirth, b.dateOfBirth));
  levels[FIELD_INDEX.sex] = a.sex && b.sex ? (a.sex === b.sex ? 0 : 1) : MISSING;
  levels[FIELD_INDEX.postcode] = comparePostcode(a, b);
  levels[FIELD_INDEX.address] = compareAddress(a, b);
  levels[FIELD_INDEX.town] = compareTown(a.town, b.town);
  levels[FIELD_INDEX.phone] = exactOrNot(a.phone, b.phone);
  levels[FIELD_INDEX.email] = compareEmail(a.email, b.email);
  levels[FIELD_INDEX.upn] = exactOrNot(a.upn, b.upn);
  levels[FIELD_INDEX.otherIdentifier] =
    a.otherIdentifier && b.otherIdentifier ? (a.otherIdentifier === b.otherIdentifier ? 0 : editDistance(a.otherIdentifier, b.otherIdentifier, 1) <= 1 ? 1 : 2) : MISSING;
  return { levels, notes };
}

function setLevel(levels: Int8Array, notes: Partial<Record<FieldName, ComparisonNote>>, field: FieldName, result: { level: number; note?: ComparisonNote }): void {
  levels[FIELD_INDEX[field]] = result.level;
  if (result.note && result.level !== MISSING) notes[field] = result.note;
}

/** What the twin check found: clearly twins, possibly twins (similar first names), or neither. */
export type TwinVerdict = 'twins' | 'possible-twins' | null;

/**
 * Twins (or other multiple births): the same full date of birth, the same surname, the same home
 * (or no address to tell them apart), and first names that are plainly different: a different
 * first letter ("Ava"/"Eva") or no likeness at all ("Mason"/"Riley"). First names that are similar
 * but not one typing error apart ("Ellie"/"Elsie", or a badly mistyped name) are "possible twins":
 * never linked automatically, left to a person. One typing error ("Mason"/"Masen") is not twins.
 */
export function twinCheck(a: NormalisedRecord, b: NormalisedRecord, pair: PairLevels): TwinVerdict {
  if (a.kind !== 'person' || b.kind !== 'person') return null;
  const dob = pair.levels[FIELD_INDEX.dateOfBirth];
  if (dob !== D.exact || a.dateOfBirth?.precision !== 'day') return null;
  const family = pair.levels[FIELD_INDEX.familyName]!;
  if (family !== G.exact && family !== G.alias) return null;
  const postcode = pair.levels[FIELD_INDEX.postcode]!;
  const address = pair.levels[FIELD_INDEX.address]!;
  const sameHome = postcode === 0 || address === 0 || address === 1;
  const knownApart = (postcode !== MISSING && postcode !== 0) || (address !== MISSING && address > 1);
  if (!sameHome && knownApart) return null;
  // Twins never share a personal identifier: an identical national number, pupil number or email
  // says one person whose first name was recorded differently.
  for (const field of ['otherIdentifier', 'upn', 'email'] as const) if (pair.levels[FIELD_INDEX[field]] === 0) return null;
  const given = pair.levels[FIELD_INDEX.givenName];
  if (given === MISSING || given === G.exact || given === G.alias) return null;
  const x = a.given!.compact;
  const y = b.given!.compact;
  if (x.length === 1 || y.length === 1) return null;
  if (x[0] !== y[0] || given === G.disagree) return 'twins';
  return editDistance(x, y, 1) <= 1 ? null : 'possible-twins';
}
