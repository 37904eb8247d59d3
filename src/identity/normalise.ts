import { foldText } from './fold.js';
import { checkNhsNumber } from './nhs-number.js';
import { forenameRoots } from './nicknames.js';
import { metaphone } from './phonetic.js';

// The fold lives in its own module so that the nickname data can use it without a circular import.
export { foldText };

/** An address as the exchange format records it (every part optional, as recorded). */
export interface IdentityAddressInput {
  line1?: string | null;
  line2?: string | null;
  town?: string | null;
  postcode?: string | null;
  uprn?: string | null;
}

/**
 * One source's record of one person, as the exchange format defines `records` (fields the matcher
 * does not use are allowed and ignored). `email` and `otherIdentifier` are not in the exchange
 * format: they let other person data (the development data sets) be matched with the same model.
 */
export interface IdentityRecordInput {
  id: string;
  source?: string | null;
  sourceRecordId?: string | null;
  kind?: 'person' | 'unborn' | null;
  givenName?: string | null;
  familyName?: string | null;
  otherNames?: readonly string[] | null;
  dateOfBirth?: string | null;
  expectedDate?: string | null;
  sex?: string | null;
  nhsNumber?: string | null;
  upn?: string | null;
  address?: IdentityAddressInput | null;
  phone?: string | null;
  email?: string | null;
  /** A national identifier without a check digit (weaker than an NHS number: compared, never trusted). */
  otherIdentifier?: string | null;
}

/** A name cut into folded tokens, with the forms the comparisons need precomputed. */
export interface NormalisedName {
  /** Tokens joined by one space: "smith jones". */
  full: string;
  /** Tokens joined with nothing: "smithjones" (so "Smith-Jones", "Smith Jones" and "SmithJones" agree). */
  compact: string;
  tokens: string[];
  /** The first token (the name a person is called by, usually). */
  first: string;
  /** Metaphone code of `compact`. */
  sound: string;
}

/** A date as recorded, with its precision kept (a vague date is never given an invented day). */
export interface NormalisedDate {
  /** "YYYYMMDD", "YYYYMM" or "YYYY" (the digits as recorded, even when the date is impossible). */
  digits: string;
  precision: 'day' | 'month' | 'year';
  year: number;
  month: number | null;
  day: number | null;
  /** False for an impossible date ("1990-02-30"): it is compared only as digits. */
  valid: boolean;
  /** Days since 1970-01-01 of the first day of the period, when valid. */
  dayNumber: number | null;
}

/** A postcode: a valid UK postcode in standard form ("SW1A 1AA"), or the text as recorded. */
export interface NormalisedPostcode {
  text: string;
  valid: boolean;
  /** Outward code ("SW1A"), valid postcodes only. */
  district: string | null;
  /** Outward code and first inward digit ("SW1A 1"), valid postcodes only. */
  sector: string | null;
}

/** A problem with a recorded value that the matcher worked round (reported, never fatal). */
export interface NormaliseWarning {
  field: string;
  message: string;
}

/** A record ready for comparison: every field folded, checked and precomputed once. */
export interface NormalisedRecord {
  id: string;
  source: string | null;
  sourceRecordId: string | null;
  kind: 'person' | 'unborn';
  given: NormalisedName | null;
  family: NormalisedName | null;
  /** Forenames from `otherNames` (aliases, nicknames, the first name of a former full name), compact. */
  otherGiven: string[];
  /** Surnames from `otherNames` (former surnames, the last name of an alias), compact. */
  otherFamily: string[];
  /** The full forenames the first given name may stand for (itself included). */
  givenRoots: string[];
  dateOfBirth: NormalisedDate | null;
  expectedDate: NormalisedDate | null;
  sex: 'female' | 'male' | null;
  /** A valid NHS number (ten digits); an invalid one is null here and reported in `warnings`. */
  nhsNumber: string | null;
  postcode: NormalisedPostcode | null;
  /** First address line, folded, abbreviations expanded, without spaces ("14cinderlane"). */
  addressLine: string | null;
  /** The same with spaces, for people to read ("14 cinder lane"). */
  addressText: string | null;
  /** House or flat numbers in the first line ("14", "4"). */
  houseNumbers: string[];
  /** The first line without its numbers, compact ("cinderlane"). */
  street: string | null;
  /** Second line (locality or building name), compact. */
  addressLine2: string | null;
  town: string | null;
  phone: string | null;
  email: string | null;
  upn: string | null;
  otherIdentifier: string | null;
  warnings: NormaliseWarning[];
}

const TITLES = new Set(['mr', 'mrs', 'miss', 'ms', 'mx', 'dr', 'master', 'sir', 'dame', 'rev', 'revd', 'prof', 'lady', 'lord']);

// Words agencies type where a name is not known yet: "Baby Fenwick", "Twin 1 Bostock", "Unborn".
// They are not names, and two babies both called "Baby" are not evidence of anything.
const PLACEHOLDERS = new Set([
  'baby', 'babyboy', 'babygirl', 'twin', 'triplet', 'unborn', 'unknown', 'unnamed', 'infant', 'newborn', 'nk', 'notknown',
  'boy', 'girl', 'male', 'female', 'bb', 'x', 'xx', 'xxx', 'na', 'none', 'null', 'tbc', 'tba', 'child', 'of', 'not', 'known',
]);

/**
 * Normalises a recorded name (given or family): folded, cut at spaces, hyphens and other
 * punctuation, titles and placeholder words ("Baby", "Twin 1", "Unknown") removed. Null when
 * nothing that is a name is left.
 */
export function normaliseName(recorded: string | null | undefined): NormalisedName | null {
  if (!recorded) return null;
  let tokens = foldText(recorded).split(' ').filter((t) => t !== '' && !/^\d+$/.test(t) && !PLACEHOLDERS.has(t));
  while (tokens.length > 1 && TITLES.has(tokens[0]!)) tokens = tokens.slice(1);
  if (tokens.length === 0) return null;
  const compact = tokens.join('');
  return { full: tokens.join(' '), compact, tokens, first: tokens[0]!, sound: metaphone(compact) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Reads a recorded date: "YYYY-MM-DD" (or an ISO date-time), "YYYYMMDD", "DD/MM/YYYY" (UK order),
 * or the vague "YYYY-MM" and "YYYY". Null when it is none of these. An impossible day or month is
 * kept (valid: false), because its digits still help to recognise a typing error.
 */
export function normaliseDate(recorded: string | null | undefined): NormalisedDate | null {
  if (!recorded) return null;
  const text = recorded.trim();
  let y: number;
  let m: number | null = null;
  let d: number | null = null;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(text)) || (match = /^(\d{4})(\d{2})(\d{2})$/.exec(text))) {
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  } else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text))) {
    y = Number(match[3]);
    m = Number(match[2]);
    d = Number(match[1]);
  } else if ((match = /^(\d{4})-(\d{2})$/.exec(text))) {
    y = Number(match[1]);
    m = Number(match[2]);
  } else if ((match = /^(\d{4})$/.exec(text))) {
    y = Number(match[1]);
  } else {
    return null;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const precision = d !== null ? 'day' : m !== null ? 'month' : 'year';
  const digits = `${y}${m !== null ? pad(m) : ''}${d !== null ? pad(d) : ''}`;
  const monthOk = m === null || (m >= 1 && m <= 12);
  const valid = y >= 1850 && y <= 2200 && monthOk && (d === null || (m !== null && d >= 1 && d <= daysInMonth(y, m)));
  const dayNumber = valid ? Math.round(Date.UTC(y, (m ?? 1) - 1, d ?? 1) / 86_400_000) : null;
  return { digits, precision, year: y, month: m, day: d, valid, dayNumber };
}

const UK_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

/**
 * Normalises a postcode: a valid UK postcode is upper case with one space before the inward code
 * ("st86qx" → "ST8 6QX"); anything else is kept as recorded (upper case, spaces collapsed) and
 * compared as text, never rejected.
 */
export function normalisePostcode(recorded: string | null | undefined): NormalisedPostcode | null {
  if (!recorded) return null;
  const upper = recorded.toUpperCase().replace(/\s+/g, ' ').trim();
  if (upper === '') return null;
  const squeezed = upper.replace(/[^A-Z0-9]/g, '');
  const match = UK_POSTCODE.exec(squeezed) ?? (squeezed === 'GIR0AA' ? (['GIR0AA', 'GIR', '0AA'] as unknown as RegExpExecArray) : null);
  if (!match) return { text: upper, valid: false, district: null, sector: null };
  const outward = match[1]!;
  const inward = match[2]!;
  return { text: `${outward} ${inward}`, valid: true, district: outward, sector: `${outward} ${inward[0]}` };
}

// Street-type abbreviations, expanded so that "Cinder Ln" and "Cinder Lane" agree.
const STREET_WORDS: Record<string, string> = {
  rd: 'road', st: 'street', str: 'street', ave: 'avenue', av: 'avenue', cres: 'crescent', cresc: 'crescent', cl: 'close',
  ln: 'lane', dr: 'drive', ct: 'court', crt: 'court', gdns: 'gardens', gdn: 'gardens', pl: 'place', sq: 'square',
  tce: 'terrace', terr: 'terrace', gr: 'grove', gro: 'grove', pk: 'park', wy: 'way', blvd: 'boulevard', hse: 'house',
  cct: 'circuit', cir: 'circuit', pde: 'parade', hwy: 'highway', mt: 'mount', apt: 'flat', apartment: 'flat',
};

/** The first address line folded for comparison, its numbers, and the rest (the street). */
export function normaliseAddressLine(line: string | null | undefined): { line: string; text: string; numbers: string[]; street: string | null } | null {
  if (!line) return null;
  const tokens = foldText(line).split(' ').filter((t) => t !== '');
  if (tokens.length === 0) return null;
  // "St" is "Street" at the end of a line and "Saint" elsewhere ("St James Road").
  const words = tokens.map((t, i) => (t === 'st' && i < tokens.length - 1 ? 'saint' : (STREET_WORDS[t] ?? t)));
  const numbers = words.filter((t) => /\d/.test(t));
  const street = words.filter((t) => !/\d/.test(t) && t !== 'flat').join('');
  return { line: words.join(''), text: words.join(' '), numbers, street: street === '' ? null : street };
}

/** A telephone number as digits in national form ("+44 7700 900123" → "07700900123"); null if too short to identify anyone. */
export function normalisePhone(recorded: string | null | undefined): string | null {
  if (!recorded) return null;
  let digits = recorded.replace(/\D/g, '');
  if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('44') && digits.length === 12) digits = `0${digits.slice(2)}`;
  return digits.length >= 9 ? digits : null;
}

function normaliseSex(recorded: string | null | undefined): 'female' | 'male' | null {
  if (!recorded) return null;
  const s = recorded.trim().toLowerCase();
  // NHS Data Dictionary person stated gender codes: 1 male, 2 female (9 not specified, 0 not known).
  if (s === 'm' || s === 'male' || s === '1' || s === 'man' || s === 'boy') return 'male';
  if (s === 'f' || s === 'female' || s === '2' || s === 'woman' || s === 'girl') return 'female';
  return null;
}

function compactText(text: string | null | undefined): string | null {
  if (!text) return null;
  const folded = foldText(text).replace(/ /g, '');
  return folded === '' ? null : folded;
}

/**
 * Normalises one record for matching. Never throws on bad values: an invalid NHS number, a
 * postcode not in UK format or an unreadable date becomes a warning, and the record is still used.
 */
export function normaliseRecord(raw: IdentityRecordInput): NormalisedRecord {
  const warnings: NormaliseWarning[] = [];
  const given = normaliseName(raw.givenName);
  const family = normaliseName(raw.familyName);
  const otherGiven = new Set<string>();
  const otherFamily = new Set<string>();
  for (const other of raw.otherNames ?? []) {
    const name = normaliseName(other);
    if (!name) continue;
    if (name.tokens.length === 1) {
      // One word could be a nickname or a former surname: keep it as either.
      otherGiven.add(name.compact);
      otherFamily.add(name.compact);
    } else {
      otherGiven.add(name.tokens[0]!);
      for (const t of name.tokens.slice(1, -1)) otherGiven.add(t);
      otherFamily.add(name.tokens[name.tokens.length - 1]!);
    }
  }
  const dateOfBirth = normaliseDate(raw.dateOfBirth);
  if (raw.dateOfBirth && (!dateOfBirth || !dateOfBirth.valid)) warnings.push({ field: 'dateOfBirth', message: `"${raw.dateOfBirth}" is not a date` });
  const expectedDate = normaliseDate(raw.expectedDate);
  if (raw.expectedDate && (!expectedDate || !expectedDate.valid)) warnings.push({ field: 'expectedDate', message: `"${raw.expectedDate}" is not a date` });
  const nhs = checkNhsNumber(raw.nhsNumber);
  if (nhs.problem) warnings.push({ field: 'nhsNumber', message: `${nhs.problem}; it is not used for matching` });
  const postcode = normalisePostcode(raw.address?.postcode);
  if (postcode && !postcode.valid) warnings.push({ field: 'address.postcode', message: `"${raw.address?.postcode}" is not a UK postcode; it is compared as text` });
  const line1 = normaliseAddressLine(raw.address?.line1);
  const upn = raw.upn ? raw.upn.replace(/\s/g, '').toUpperCase() : '';
  const email = raw.email ? raw.email.trim().toLowerCase() : '';
  const otherId = raw.otherIdentifier ? raw.otherIdentifier.replace(/[^0-9A-Za-z]/g, '').toUpperCase() : '';
  return {
    id: raw.id,
    source: raw.source ?? null,
    sourceRecordId: raw.sourceRecordId ?? null,
    kind: raw.kind === 'unborn' ? 'unborn' : 'person',
    given,
    family,
    otherGiven: [...otherGiven],
    otherFamily: [...otherFamily],
    givenRoots: given ? forenameRoots(given.first) : [],
    dateOfBirth,
    expectedDate,
    sex: normaliseSex(raw.sex),
    nhsNumber: nhs.value,
    postcode,
    addressLine: line1?.line ?? null,
    addressText: line1?.text ?? null,
    houseNumbers: line1?.numbers ?? [],
    street: line1?.street ?? null,
    addressLine2: compactText(raw.address?.line2),
    town: compactText(raw.address?.town),
    phone: normalisePhone(raw.phone),
    email: email === '' ? null : email,
    upn: upn === '' ? null : upn,
    otherIdentifier: otherId === '' ? null : otherId,
    warnings,
  };
}
