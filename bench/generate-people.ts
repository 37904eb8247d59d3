/**
 * A seeded generator of invented people in English-looking households, for the identity benchmark
 * (matching one new record against 500,000 existing people). Deterministic: the same seed gives
 * the same people on every machine. All names are common English first names and surnames; all
 * addresses, postcodes and NHS numbers are invented (NHS numbers from the 999 range kept for
 * testing, with correct check digits).
 */
import { nhsCheckDigit } from '../src/identity/nhs-number.js';
import type { IdentityRecordInput } from '../src/identity/normalise.js';

/** Mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FEMALE = (
  'olivia amelia isla ava mia ivy lily isabella rosie sophia grace freya florence willow ella evie poppy charlotte emily ruby ' +
  'sophie chloe jessica lucy holly megan hannah lauren amy katie bethany ellie abigail molly daisy phoebe millie scarlett ' +
  'sarah emma laura rebecca gemma claire nicola michelle lisa kelly joanne louise victoria samantha rachel donna leanne ' +
  'karen julie susan tracey helen amanda angela deborah jacqueline elizabeth margaret patricia jean mary linda barbara ' +
  'jade kayleigh stacey chelsea courtney shannon jasmine aisha fatima zara maryam amira leah erin niamh caitlin kirsty'
).split(' ');
const MALE = (
  'oliver george noah arthur muhammad leo harry oscar archie henry theo freddie jack charlie thomas jacob alfie tommy ' +
  'james william joshua daniel samuel benjamin lewis ethan mason logan riley jayden tyler kai liam connor kieran callum ' +
  'david michael john paul mark richard andrew christopher stephen peter robert anthony kevin gary ian craig darren lee ' +
  'dean jason wayne scott carl neil simon martin matthew adam luke ryan jamie nathan aaron bradley jordan reece ' +
  'mohammed ali omar yusuf ibrahim hamza adam zain bilal ahmed dylan owen rhys finley reuben sebastian jenson'
).split(' ');
const SURNAMES = (
  'smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright walker white ' +
  'edwards hughes green hall lewis harris clarke patel jackson wood turner martin cooper hill ward morris moore clark ' +
  'lee king baker harrison morgan allen james scott phillips watson davis parker price bennett young griffiths mitchell ' +
  'kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan marshall anderson simpson ellis ' +
  'adams singh begum wilkinson foster chapman powell webb rogers gray mason ali hunt hussain campbell matthews owen palmer ' +
  'holmes mills barnes knight lloyd butler russell barker fisher stevens jenkins murray dixon harvey graham pearson ' +
  'atkinson bostock mellor fenwick whitfield robson carr doyle hutchinson nolan marsh brooks nowak kowalski mills ' +
  'armstrong bradley burton chambers cole dawson ferguson fletcher gardner gibson gordon grant hamilton hart hayes ' +
  'henderson holland howard hudson hunter jordan kennedy lane lawrence lawson marshall mcdonald newman oliver page ' +
  'payne pearce perry porter reid reynolds riley rose saunders shepherd spencer stewart stone sutton tucker wade ' +
  'wallace walsh watts webster wells west wheeler whittaker wilkins willis woods wyatt yates bibi akhtar ahmad rahman'
).split(' ');
const STREET_WORDS = (
  'mill church station park victoria albert queens kings high north south west east oak ash elm beech cedar willow ' +
  'meadow heron kingfisher linden ayresome cinder mossfield fenpark ashcombe fernlea tannery greenside beechwood ' +
  'windsor york cambridge oxford chester grange manor orchard valley brook river lake hill castle abbey priory'
).split(' ');
const STREET_TYPES = 'road street lane close avenue crescent drive way grove terrace gardens place court view walk'.split(' ');
const TOWNS = (
  'northmoor eastmoor westmoor southmoor kelby stoke-on-trent middlesbrough redcar stockton hartlepool darlington ' +
  'durham sunderland gateshead newcastle leeds bradford wakefield huddersfield halifax york hull sheffield doncaster ' +
  'rotherham barnsley derby nottingham leicester coventry birmingham wolverhampton walsall dudley telford shrewsbury'
).split(' ');
const AREAS = 'NM EM WX SX ST TS DL DH SR NE LS BD WF HD HX YO HU S DN DE NG LE CV B WV WS DY TF SY'.split(' ');

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

// Cumulative weights of a flattened Zipf law, 1/(rank + 10): early entries of a list are more
// common, as real names are, without one name taking a fifth of the population (the commonest
// surname in England and Wales, Smith, is held by about 1.2% of people).
const cumulative = new Map<number, Float64Array>();
function zipfTable(n: number): Float64Array {
  let table = cumulative.get(n);
  if (!table) {
    table = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r += 1) table[r] = sum += 1 / (r + 10);
    for (let r = 0; r < n; r += 1) table[r]! /= sum;
    cumulative.set(n, table);
  }
  return table;
}

/** Zipf-like pick from a list ordered commonest first. */
function pickCommon<T>(rng: () => number, list: readonly T[]): T {
  const table = zipfTable(list.length);
  const u = rng();
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return list[lo]!;
}

const SYLLABLES = 'ash bar ber brook by cal dale den don er ford gar ham har ing kin lan ley low mar mer mor ner ock rid ton wick win wood'.split(' ');

/** A surname: usually a common one, sometimes (a third) a rare invented one, as in a real population. */
function pickSurname(rng: () => number): string {
  if (rng() < 0.66) return pickCommon(rng, SURNAMES);
  return `${pick(rng, SYLLABLES)}${pick(rng, SYLLABLES)}${rng() < 0.5 ? pick(rng, SYLLABLES) : ''}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function letter(rng: () => number): string {
  return 'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(rng() * 20)]!;
}

function dateBetween(rng: () => number, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear, 11, 31);
  return new Date(start + Math.floor(rng() * (end - start))).toISOString().slice(0, 10);
}

/**
 * `count` invented people living in households (a family shares surname, address and postcode),
 * with ages from newborn to 90. About 60% have an NHS number.
 */
export function generatePeople(count: number, seed: number): IdentityRecordInput[] {
  const rng = mulberry32(seed);
  const people: IdentityRecordInput[] = [];
  let nhsSerial = Math.floor(rng() * 1_000_000);
  const nextNhs = (): string => {
    for (;;) {
      nhsSerial = (nhsSerial + 1) % 1_000_000;
      const nine = `999${pad(nhsSerial, 6)}`;
      const check = nhsCheckDigit(nine);
      if (check !== null) return `${nine}${check}`;
    }
  };
  let household = 0;
  while (people.length < count) {
    household += 1;
    const surname = pickSurname(rng);
    const town = pick(rng, TOWNS);
    const postcode = `${pick(rng, AREAS)}${1 + Math.floor(rng() * 30)} ${Math.floor(rng() * 10)}${letter(rng)}${letter(rng)}`;
    const address = { line1: `${1 + Math.floor(rng() * 200)} ${pick(rng, STREET_WORDS)} ${pick(rng, STREET_TYPES)}`, town, postcode };
    const adults = rng() < 0.35 ? 1 : 2;
    const children = Math.floor(rng() * rng() * 5);
    for (let i = 0; i < adults + children && people.length < count; i += 1) {
      const child = i >= adults;
      const sex = rng() < 0.5 ? 'female' : 'male';
      const given = pickCommon(rng, sex === 'female' ? FEMALE : MALE);
      const dob = child ? dateBetween(rng, 2008, 2025) : dateBetween(rng, 1935, 2004);
      people.push({
        id: `gen-${household}-${i}`,
        source: pick(rng, ['gp', 'school', 'csc', 'hv', 'police', 'hosp']),
        givenName: given,
        familyName: i === 1 && rng() < 0.3 ? pickSurname(rng) : surname,
        dateOfBirth: dob,
        sex,
        nhsNumber: rng() < 0.6 ? nextNhs() : null,
        address,
      });
    }
  }
  return people;
}

const NICK: Record<string, string> = {
  william: 'bill', thomas: 'tom', rebecca: 'becky', elizabeth: 'liz', alfred: 'alfie', robert: 'rob', james: 'jim',
  samantha: 'sam', daniel: 'dan', michael: 'mike', jessica: 'jess', christopher: 'chris', margaret: 'maggie', benjamin: 'ben',
};

function typo(rng: () => number, s: string): string {
  if (s.length < 3) return s;
  const i = 1 + Math.floor(rng() * (s.length - 2));
  const r = rng();
  if (r < 0.33) return s.slice(0, i) + s.slice(i + 1);
  if (r < 0.66) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  return s.slice(0, i) + 'aeiou'[Math.floor(rng() * 5)] + s.slice(i + 1);
}

/**
 * Another agency's record of the same person: a new id and source, and the errors agencies make
 * (a nickname, a misspelt surname, a date typed wrong or with day and month swapped, an old
 * address, no NHS number).
 */
export function corruptCopy(person: IdentityRecordInput, rng: () => number, id: string): IdentityRecordInput {
  let given = person.givenName ?? null;
  let family = person.familyName ?? null;
  let dob = person.dateOfBirth ?? null;
  if (given && NICK[given] && rng() < 0.5) given = NICK[given]!;
  if (family && rng() < 0.25) family = typo(rng, family);
  const dateError = rng();
  if (dob && dateError < 0.1) dob = `${dob.slice(0, 5)}${dob.slice(8, 10)}-${dob.slice(5, 7)}`;
  else if (dob && dateError < 0.2) dob = `${dob.slice(0, 9)}${(Number(dob[9]) + 1) % 10}`;
  if (dob && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(dob)) dob = person.dateOfBirth ?? null;
  return {
    id,
    source: 'probe',
    givenName: given,
    familyName: family,
    dateOfBirth: rng() < 0.1 ? null : dob,
    sex: person.sex ?? null,
    nhsNumber: rng() < 0.5 ? (person.nhsNumber ?? null) : null,
    address: rng() < 0.3 ? null : (person.address ?? null),
  };
}
