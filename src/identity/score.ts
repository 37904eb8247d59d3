import { FIELD_INDEX, MISSING, type ComparisonNote, type PairLevels } from './compare.js';
import { FIELDS, LEVELS, levelWeight, type FieldName, type ModelParams } from './model.js';
import type { NormalisedDate, NormalisedRecord } from './normalise.js';
import type { FrequencyField, TermFrequencies } from './term-frequency.js';

/** How one field came out, in the words the review screen uses. */
export type FieldOutcome = 'agree' | 'partial' | 'disagree' | 'missing';

/** One row of the side-by-side comparison a reviewer sees. */
export interface FieldExplanation {
  field: FieldName;
  /** The field's name for people ("Date of birth"). */
  label: string;
  /** The value compared on each side, as normalised (null when not recorded). */
  left: string | null;
  right: string | null;
  outcome: FieldOutcome;
  /** The comparison level ("exact", "nickname", ...), null when missing. */
  level: string | null;
  /** Weight of evidence in bits: positive for "same person", negative for "different people". */
  weight: number;
  /** One plain sentence: what was found and how much it counted. */
  why: string;
}

/** Field weights of one pair, with the details explanations need. */
export interface PairWeights {
  /** Sum of the field weights (bits), prior not included. */
  weight: number;
  /** Per field, in `FIELDS` order: weight (0 when missing or not counted). */
  fieldWeights: Float64Array;
  /** Fields whose agreement was not counted because first names differ (household fields). */
  discounted: FieldName[];
}

const LABELS: Record<FieldName, string> = {
  nhsNumber: 'NHS number',
  givenName: 'First name',
  familyName: 'Surname',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  postcode: 'Postcode',
  address: 'Address',
  town: 'Town',
  phone: 'Telephone',
  email: 'Email',
  upn: 'Unique pupil number',
  otherIdentifier: 'Other identifier',
};

// Fields that the members of one household share. When first names plainly differ, agreement on
// these says "same family", not "same person", so it is not counted (see docs/identity-resolution.md).
const HOUSEHOLD_FIELDS: readonly FieldName[] = ['postcode', 'address', 'town', 'phone'];

const TF_FIELDS: Partial<Record<FieldName, FrequencyField>> = { givenName: 'given', familyName: 'family', town: 'town' };

/** Precomputed log2(m/u) for every field and level of a parameter set. */
export function levelWeightTable(params: ModelParams): Float64Array[] {
  return FIELDS.map((field) => {
    const levels = LEVELS[field] as readonly string[];
    const table = params.fields[field].levels as Record<string, { m: number; u: number }>;
    return Float64Array.from(levels.map((l) => levelWeight(table[l]!)));
  });
}

function tfValue(field: FrequencyField, r: NormalisedRecord): string | null {
  if (field === 'given') return r.given?.compact ?? null;
  if (field === 'family') return r.family?.compact ?? null;
  return r.town;
}

/**
 * The weight of evidence of each field for one pair. Exact agreement on a name or town is weighted
 * by how common the value is (term-frequency adjustment): log2(m / share of people with it).
 */
export function weighPair(a: NormalisedRecord, b: NormalisedRecord, pair: PairLevels, params: ModelParams, table: readonly Float64Array[], tf: TermFrequencies): PairWeights {
  const fieldWeights = new Float64Array(FIELDS.length);
  const discounted: FieldName[] = [];
  const firstNamesDiffer = pair.levels[FIELD_INDEX.givenName] === (LEVELS.givenName as readonly string[]).indexOf('disagree');
  let weight = 0;
  for (let i = 0; i < FIELDS.length; i += 1) {
    const level = pair.levels[i]!;
    if (level === MISSING) continue;
    const field = FIELDS[i]!;
    let w = table[i]![level]!;
    const tfField = TF_FIELDS[field];
    if (tfField && w > 0) {
      const m = (params.fields[field].levels as Record<string, { m: number }>).exact!.m;
      const x = tfValue(tfField, a);
      const y = tfValue(tfField, b);
      if (level === 0 && x) w = Math.log2(m / tf.share(tfField, x));
      else if (x && y) {
        // A near miss on a common name ("Schmidt"/"Schmitt") never counts for more than exact
        // agreement on the commoner of the two would.
        w = Math.min(w, Math.log2(m / Math.max(tf.share(tfField, x), tf.share(tfField, y))));
      }
    }
    if (w > 0 && firstNamesDiffer && HOUSEHOLD_FIELDS.includes(field)) {
      discounted.push(field);
      w = 0;
    }
    fieldWeights[i] = w;
    weight += w;
  }
  return { weight, fieldWeights, discounted };
}

function showDate(d: NormalisedDate | null): string | null {
  if (!d) return null;
  const s = d.digits;
  return s.length === 8 ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}` : s.length === 6 ? `${s.slice(0, 4)}-${s.slice(4)}` : s;
}

function withAliases(name: string, aliases: string[]): string {
  return aliases.length > 0 ? `${name} (also ${aliases.join(', ')})` : name;
}

function valueOf(field: FieldName, r: NormalisedRecord): string | null {
  switch (field) {
    case 'nhsNumber':
      return r.nhsNumber ? `${r.nhsNumber.slice(0, 3)} ${r.nhsNumber.slice(3, 6)} ${r.nhsNumber.slice(6)}` : null;
    case 'givenName':
      return r.given ? withAliases(r.given.full, r.otherGiven.filter((n) => !r.given!.tokens.includes(n) && n !== r.given!.compact)) : null;
    case 'familyName':
      return r.family ? withAliases(r.family.full, r.otherFamily.filter((n) => n !== r.family!.compact && !r.family!.tokens.includes(n))) : null;
    case 'dateOfBirth':
      return showDate(r.dateOfBirth);
    case 'sex':
      return r.sex;
    case 'postcode':
      return r.postcode?.text ?? null;
    case 'address':
      return r.addressText ?? r.addressLine2;
    case 'town':
      return r.town;
    case 'phone':
      return r.phone;
    case 'email':
      return r.email;
    case 'upn':
      return r.upn;
    case 'otherIdentifier':
      return r.otherIdentifier;
  }
}

const PARTIAL_WORDS: Record<string, string> = {
  alias: 'a known other form',
  close: 'a close spelling',
  similar: 'a similar spelling or sound',
  swapped: 'the same with day and month swapped',
  typo: 'one digit different (a likely typing error)',
  vague: 'consistent (one date is only a month or a year)',
  near: 'near (within a month, or two digits different)',
  sector: 'near (same postcode sector, or one character different)',
  district: 'in the same postcode district',
  partial: 'on the same street or building, not the same house',
};

const NOTE_WORDS: Record<ComparisonNote, string> = {
  nickname: 'a nickname of the other',
  'other name': 'matches a recorded other name',
  'first name only': 'the first of the names matches',
  'shared part of the surname': 'shares part of a double-barrelled surname',
  'names swapped': 'first name and surname recorded the wrong way round',
  'sounds alike': 'sounds alike',
  'initial only': 'only an initial is recorded, and it matches',
  'day and month swapped': 'day and month swapped',
  'vague date': 'one date is only a month or a year',
};

function strength(weight: number): string {
  const w = Math.abs(weight);
  if (w >= 10) return 'very strong';
  if (w >= 5) return 'strong';
  if (w >= 2) return 'moderate';
  return 'weak';
}

/** The side-by-side rows for one compared pair: every field, agreeing or not, with its weight and why. */
export function explainFields(a: NormalisedRecord, b: NormalisedRecord, pair: PairLevels, weights: PairWeights): FieldExplanation[] {
  return FIELDS.map((field, i) => {
    const level = pair.levels[i]!;
    const left = valueOf(field, a);
    const right = valueOf(field, b);
    const label = LABELS[field];
    if (level === MISSING) {
      return { field, label, left, right, outcome: 'missing', level: null, weight: 0, why: `${label}: not recorded on ${left === null && right === null ? 'either record' : 'one record'}, so not counted.` };
    }
    const levelName = (LEVELS[field] as readonly string[])[level]!;
    const weight = Math.round(weights.fieldWeights[i]! * 100) / 100;
    const note = pair.notes[field];
    const outcome: FieldOutcome = levelName === 'exact' || levelName === 'agree' ? 'agree' : levelName === 'disagree' ? 'disagree' : 'partial';
    let why: string;
    if (weights.discounted.includes(field)) {
      why = `${label}: the same, but not counted, because the first names differ and people in one household share it.`;
    } else if (outcome === 'agree') {
      why = `${label}: the same (${strength(weight)} evidence of the same person${field === 'givenName' || field === 'familyName' || field === 'town' ? ', allowing for how common it is' : ''}).`;
    } else if (outcome === 'disagree') {
      why = `${label}: different (${strength(weight)} evidence of different people).`;
    } else {
      const what = note ? NOTE_WORDS[note] : (PARTIAL_WORDS[levelName] ?? levelName);
      why = `${label}: ${what} (${strength(weight)} evidence ${weight >= 0 ? 'of the same person' : 'of different people'}).`;
    }
    return { field, label, left, right, outcome, level: note ?? levelName, weight, why };
  });
}
