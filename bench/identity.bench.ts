/**
 * Identity resolution benchmark: `npm run bench:identity -- [--json] [options]`.
 *
 * For each development file (../shared/data/linkage-dev by default): re-key every record with a
 * random id, shuffle the rows (the files leak the answers in their ids and order), hide the answer
 * column from the matcher, resolve, and score the final persons against the answer pairwise
 * (precision, recall, F1; pairs left in the review queue count as not linked, and true pairs never
 * compared because of blocking count as misses). Then times matching one new record against
 * 500,000 invented people from the seeded generator (bench/generate-people.ts).
 *
 * Then each file again through the real importer and database (PGlite): F1 from the persons as
 * stored, and records per second end to end; and a 20,000-record generated batch the same way.
 *
 * Options:
 *   --json                 print one JSON object on stdout (the default prints a short table)
 *   --data DIR             folder of development files (default ../shared/data/linkage-dev)
 *   --files a.csv,b.csv    which files (default febrl1.csv,febrl2.csv,fake_1000.csv, and
 *                          rldata10000.csv when present); any CSV with recognisable column names works
 *   --answer COLUMN        the answer column (default: cluster, true_id, ... or FEBRL's rec_id)
 *   --people N             size of the population for the single-record timing (default 500000; 0 skips)
 *   --probes N             single-record matches timed (default 1000)
 *   --seed N               seed for re-keying, shuffling and the generator (default 20250601)
 *   --diagnose N           print up to N missed true pairs and N false merges per file (stderr),
 *                          each with the matcher's explanation
 *   --tune                 try a grid of thresholds on the development files and print F1 for each
 *   --estimate             estimate m and u from the development files and print them
 *   --write                with --estimate: write src/identity/data/model-params.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { blockingKeys } from '../src/identity/blocking.js';
import { compareRecords } from '../src/identity/compare.js';
import { MODEL_PARAMS } from '../src/identity/data/model-params.js';
import { Matcher } from '../src/identity/matcher.js';
import { FIELDS, LEVELS, type FieldName, type ModelParams } from '../src/identity/model.js';
import { normaliseRecord, type IdentityRecordInput, type NormalisedRecord } from '../src/identity/normalise.js';
import { levelWeightTable, weighPair } from '../src/identity/score.js';
import { TermFrequencies } from '../src/identity/term-frequency.js';
import { corruptCopy, generatePeople, mulberry32 } from './generate-people.js';
import { importAndExport, timeEndToEnd } from './import-timing.js';

interface Args {
  json: boolean;
  data: string;
  files: string[] | null;
  answer: string | null;
  people: number;
  probes: number;
  seed: number;
  estimate: boolean;
  write: boolean;
  diagnose: number;
  tune: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, data: resolve(process.env.THROUGHLINE_LINKAGE_DATA ?? '../shared/data/linkage-dev'), files: null, answer: null, people: 500_000, probes: 1000, seed: 20250601, estimate: false, write: false, diagnose: 0, tune: false };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') args.json = true;
    else if (a === '--data') args.data = resolve(value());
    else if (a === '--files') args.files = value().split(',');
    else if (a === '--answer') args.answer = value();
    else if (a === '--people') args.people = Number(value());
    else if (a === '--probes') args.probes = Number(value());
    else if (a === '--seed') args.seed = Number(value());
    else if (a === '--estimate') args.estimate = true;
    else if (a === '--write') args.write = true;
    else if (a === '--tune') args.tune = true;
    else if (a === '--diagnose') args.diagnose = Number(value());
    else throw new Error(`Unknown option ${a} (see the comment at the top of bench/identity.bench.ts)`);
  }
  return args;
}

const tty = process.stderr.isTTY === true;
function progress(text: string): void {
  if (tty) process.stderr.write(`\r\x1b[K${text}`);
}
function progressDone(): void {
  if (tty) process.stderr.write('\r\x1b[K');
}

// ---------------------------------------------------------------------------------------------
// Loading any person CSV by its column names

/** RFC 4180 CSV (quotes, doubled quotes); cells trimmed, because FEBRL separates with ", ". */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      row.push(cell.trim());
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell.trim());
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell.trim());
    rows.push(row);
  }
  return rows;
}

const COLUMNS: Record<string, string[]> = {
  given: ['givenname', 'firstname', 'forename', 'forenames', 'fname', 'fnamec1', 'firstnames'],
  given2: ['fnamec2', 'middlename', 'middlenames', 'secondname'],
  family: ['surname', 'lastname', 'familyname', 'lname', 'lnamec1'],
  family2: ['lnamec2'],
  dob: ['dateofbirth', 'dob', 'birthdate'],
  by: ['by', 'birthyear'],
  bm: ['bm', 'birthmonth'],
  bd: ['bd', 'birthday'],
  sex: ['sex', 'gender'],
  nhs: ['nhsnumber', 'nhsno', 'nhs'],
  postcode: ['postcode', 'postalcode', 'zip', 'zipcode'],
  number: ['streetnumber', 'housenumber'],
  line1: ['address1', 'addressline1', 'address', 'street', 'line1'],
  line2: ['address2', 'addressline2', 'line2'],
  town: ['suburb', 'town', 'city', 'locality'],
  phone: ['phone', 'telephone', 'phonenumber', 'mobile'],
  email: ['email', 'emailaddress'],
  other: ['socsecid', 'ssn', 'nino', 'nationalinsurancenumber'],
};
const ANSWERS = ['cluster', 'trueid', 'personid', 'entityid', 'clusterid', 'matchid'];

interface Dataset {
  name: string;
  records: IdentityRecordInput[];
  /** Answer (true person) of each record, by the record's new random id. */
  truth: Map<string, string>;
  columns: Record<string, string>;
}

function loadCsv(path: string, answerColumn: string | null, seed: number): Dataset {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const header = rows[0]!.map((h) => h.toLowerCase().replace(/[^a-z0-9]/g, ''));
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const at: Record<string, number> = {};
  const columns: Record<string, string> = {};
  for (const [field, names] of Object.entries(COLUMNS)) {
    const i = col(names);
    if (i >= 0) {
      at[field] = i;
      columns[field] = rows[0]![i]!;
    }
  }
  let answerAt = answerColumn ? header.indexOf(answerColumn.toLowerCase().replace(/[^a-z0-9]/g, '')) : col(ANSWERS);
  let answerOf = (row: string[]) => row[answerAt]!;
  if (answerAt < 0) {
    // FEBRL: the entity number inside rec_id ("rec-12-org" and "rec-12-dup-0" are one person).
    answerAt = col(['recid']);
    if (answerAt < 0) throw new Error(`${path}: no answer column found (use --answer)`);
    answerOf = (row) => /^rec-(\d+)-/.exec(row[answerAt]!)?.[1] ?? row[answerAt]!;
  }
  columns.answer = rows[0]![answerAt]!;
  const rng = mulberry32(seed);
  const body = rows.slice(1);
  // Shuffle (Fisher–Yates) and re-key with random ids, so neither order nor id tells the answer.
  for (let i = body.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [body[i], body[j]] = [body[j]!, body[i]!];
  }
  const truth = new Map<string, string>();
  const records: IdentityRecordInput[] = body.map((row) => {
    const get = (field: string): string | null => {
      const i = at[field];
      if (i === undefined) return null;
      const v = row[i]?.trim() ?? '';
      return v === '' || v === 'NA' ? null : v;
    };
    const id = `r${Math.floor(rng() * 2 ** 52).toString(36)}`;
    truth.set(id, answerOf(row));
    let dob = get('dob');
    if (!dob && get('by')) {
      const y = get('by')!;
      const m = get('bm');
      const d = get('bd');
      dob = m && d ? `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : m ? `${y}-${m.padStart(2, '0')}` : y;
    }
    const join2 = (a: string | null, b: string | null) => (a && b ? `${a} ${b}` : (a ?? b));
    const line1 = join2(get('number'), get('line1'));
    const hasAddress = line1 || get('line2') || get('town') || get('postcode');
    return {
      id,
      source: 'file',
      givenName: join2(get('given'), get('given2')),
      familyName: join2(get('family'), get('family2')),
      dateOfBirth: dob,
      sex: get('sex'),
      nhsNumber: get('nhs'),
      address: hasAddress ? { line1, line2: get('line2'), town: get('town'), postcode: get('postcode') } : null,
      phone: get('phone'),
      email: get('email'),
      otherIdentifier: get('other'),
    };
  });
  return { name: basename(path), records, truth, columns };
}

// ---------------------------------------------------------------------------------------------
// Scoring

/** Pairwise precision, recall and F1 of `persons` against the answers; and false merges. */
function scorePersons(ds: Dataset, persons: string[][]) {
  const truthSizes = new Map<string, number>();
  for (const t of ds.truth.values()) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1);
  const truePairs = [...truthSizes.values()].reduce((s, n) => s + pairs(n), 0);
  let predicted = 0;
  let correct = 0;
  for (const person of persons) {
    predicted += pairs(person.length);
    const counts = new Map<string, number>();
    for (const id of person) counts.set(ds.truth.get(id)!, (counts.get(ds.truth.get(id)!) ?? 0) + 1);
    for (const n of counts.values()) correct += pairs(n);
  }
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  return { precision: r4(precision), recall: r4(recall), f1: r4(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)), falseMerges: predicted - correct };
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

interface FileResult {
  file: string;
  records: number;
  truePersons: number;
  truePairs: number;
  precision: number;
  recall: number;
  f1: number;
  falseMerges: number;
  falseMergesBetweenChildren: number;
  missedPairs: number;
  pairsLostByBlocking: number;
  reviewQueue: number;
  truePairsInReview: number;
  comparisons: number;
  comparisonsShareOfAllPairs: number;
  /** Median of three timed runs after the first (the JavaScript engine has compiled the hot code by then). */
  recordsPerSecond: number;
  /** The first run in this process, including the engine's warm-up. */
  recordsPerSecondFirstRun: number;
  seconds: number;
  columns: Record<string, string>;
}

/** Seconds for one batch end to end: normalise, index, block, compare, decide, cluster. */
function timeBatch(ds: Dataset, evaluationDate: string, params: ModelParams): number {
  const started = performance.now();
  const matcher = new Matcher(params, { evaluationDate });
  matcher.add(ds.records);
  matcher.resolve();
  return (performance.now() - started) / 1000;
}

function evaluate(ds: Dataset, evaluationDate: string, diagnose = 0, params: ModelParams = MODEL_PARAMS, timed = true): FileResult {
  const started = performance.now();
  const matcher = new Matcher(params, {
    evaluationDate,
    onProgress: (stage, done, total) => progress(`${ds.name}: ${stage} ${done}/${total}`),
  });
  matcher.add(ds.records);
  const result = matcher.resolve();
  const seconds = (performance.now() - started) / 1000;
  progressDone();

  const truthSizes = new Map<string, number>();
  for (const t of ds.truth.values()) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1);
  const truePairs = [...truthSizes.values()].reduce((s, n) => s + pairs(n), 0);
  let predicted = 0;
  let correct = 0;
  let childFalse = 0;
  const isChild = (id: string) => {
    const r = matcher.record(id)!;
    const d = r.dateOfBirth;
    if (!d) return false;
    const y = Number(evaluationDate.slice(0, 4));
    const md = Number(evaluationDate.slice(5, 7)) * 100 + Number(evaluationDate.slice(8, 10));
    return y - d.year - (md < (d.month ?? 1) * 100 + (d.day ?? 1) ? 1 : 0) < 18;
  };
  for (const person of result.persons) {
    predicted += pairs(person.length);
    const counts = new Map<string, number>();
    for (const id of person) counts.set(ds.truth.get(id)!, (counts.get(ds.truth.get(id)!) ?? 0) + 1);
    for (const n of counts.values()) correct += pairs(n);
    if (person.length > 1 && counts.size > 1) {
      for (let i = 0; i < person.length; i += 1) {
        for (let j = i + 1; j < person.length; j += 1) {
          if (ds.truth.get(person[i]!) !== ds.truth.get(person[j]!) && isChild(person[i]!) && isChild(person[j]!)) childFalse += 1;
        }
      }
    }
  }
  // Diagnostics: true pairs that share no blocking key (never compared), and true pairs in review.
  const normalised = ds.records.map(normaliseRecord);
  const keyed = normalised.map((r) => ({ id: r.id, keys: blockingKeys(r) }));
  const byTruth = new Map<string, typeof keyed>();
  for (const k of keyed) {
    const t = ds.truth.get(k.id)!;
    const list = byTruth.get(t);
    if (list) list.push(k);
    else byTruth.set(t, [k]);
  }
  let lost = 0;
  for (const group of byTruth.values()) {
    for (let i = 0; i < group.length; i += 1) {
      for (let j = i + 1; j < group.length; j += 1) {
        const a = group[i]!.keys;
        const b = group[j]!.keys;
        const meet = a.query.some((k) => b.index.includes(k)) || b.query.some((k) => a.index.includes(k));
        if (!meet) lost += 1;
      }
    }
  }
  if (diagnose > 0) {
    const personOf = new Map<string, number>();
    result.persons.forEach((p, i) => p.forEach((id) => personOf.set(id, i)));
    const show = (title: string, a: string, b: string) => {
      const e = matcher.compare(a, b);
      process.stderr.write(`\n${title}: ${e.basis} ${e.band} p=${e.probability} w=${e.weight} prior=${e.prior}\n  ${e.summary}\n`);
      for (const f of e.fields) if (f.outcome !== 'missing' || f.left || f.right) process.stderr.write(`  ${f.label.padEnd(16)} ${String(f.left).padEnd(32)} ${String(f.right).padEnd(32)} ${f.outcome} ${f.level ?? ''} ${f.weight}\n`);
    };
    let shown = 0;
    for (const group of byTruth.values()) {
      for (let i = 0; i < group.length && shown < diagnose; i += 1) {
        for (let j = i + 1; j < group.length && shown < diagnose; j += 1) {
          if (personOf.get(group[i]!.id) !== personOf.get(group[j]!.id)) {
            show('MISSED', group[i]!.id, group[j]!.id);
            shown += 1;
          }
        }
      }
    }
    shown = 0;
    for (const person of result.persons) {
      for (let i = 0; i < person.length && shown < diagnose; i += 1) {
        for (let j = i + 1; j < person.length && shown < diagnose; j += 1) {
          if (ds.truth.get(person[i]!) !== ds.truth.get(person[j]!)) {
            show('FALSE MERGE', person[i]!, person[j]!);
            shown += 1;
          }
        }
      }
    }
  }
  const inReview = result.reviewQueue.filter((item) => ds.truth.get(item.records[0]) === ds.truth.get(item.records[1])).length;
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  const warm = timed ? [0, 1, 2].map(() => timeBatch(ds, evaluationDate, params)).sort((a, b) => a - b)[1]! : seconds;
  return {
    file: ds.name,
    records: ds.records.length,
    truePersons: truthSizes.size,
    truePairs,
    precision: r4(precision),
    recall: r4(recall),
    f1: r4(f1),
    falseMerges: predicted - correct,
    falseMergesBetweenChildren: childFalse,
    missedPairs: truePairs - correct,
    pairsLostByBlocking: lost,
    reviewQueue: result.reviewQueue.length,
    truePairsInReview: inReview,
    comparisons: result.stats.comparisons,
    comparisonsShareOfAllPairs: Number((result.stats.comparisons / result.stats.allPairs).toPrecision(3)),
    recordsPerSecond: Math.round(ds.records.length / warm),
    recordsPerSecondFirstRun: Math.round(ds.records.length / seconds),
    seconds: Math.round(warm * 1000) / 1000,
    columns: ds.columns,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function singleRecordTiming(people: number, probes: number, seed: number, evaluationDate: string) {
  const t0 = performance.now();
  const population = generatePeople(people, seed);
  const generated = performance.now();
  const matcher = new Matcher(MODEL_PARAMS, { evaluationDate });
  for (let i = 0; i < population.length; i += 10_000) {
    matcher.add(population.slice(i, i + 10_000));
    progress(`population: ${Math.min(population.length, i + 10_000)}/${population.length} indexed`);
  }
  const indexed = performance.now();
  const rng = mulberry32(seed + 1);
  const strangers = generatePeople(Math.ceil(probes / 2), seed + 2);
  const times: number[] = [];
  let copiesFound = 0;
  let copies = 0;
  let strangersLinked = 0;
  for (let i = 0; i < probes; i += 1) {
    const copy = i % 2 === 0;
    const original = copy ? population[Math.floor(rng() * population.length)]! : null;
    const probe = original ? corruptCopy(original, rng, `probe-${i}`) : { ...strangers[i >> 1]!, id: `probe-${i}` };
    const start = performance.now();
    const candidates = matcher.matchOne(probe);
    times.push(performance.now() - start);
    if (original) {
      copies += 1;
      if (candidates[0]?.recordId === original.id && candidates[0].band === 'auto') copiesFound += 1;
    } else if (candidates.some((c) => c.band === 'auto')) strangersLinked += 1;
    if (i % 50 === 0) progress(`single-record matches: ${i}/${probes}`);
  }
  progressDone();
  times.sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x * 100) / 100;
  return {
    population: people,
    probes,
    p50Ms: ms(percentile(times, 0.5)),
    p95Ms: ms(percentile(times, 0.95)),
    p99Ms: ms(percentile(times, 0.99)),
    maxMs: ms(times[times.length - 1]!),
    generateSeconds: Math.round(generated - t0) / 1000,
    indexSeconds: Math.round(indexed - generated) / 1000,
    heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    corruptedCopiesLinkedToTheRightPerson: `${copiesFound}/${copies}`,
    newPeopleWronglyLinked: `${strangersLinked}/${probes - copies}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Estimating m and u (see docs/identity-resolution.md)

/** Fields the development data has; the others (sex, NHS number, phone, UPN) keep assumed values. */
const ESTIMATED: FieldName[] = ['givenName', 'familyName', 'dateOfBirth', 'postcode', 'address', 'town', 'email', 'otherIdentifier'];

/**
 * Training blocking rules. EM runs on the pairs each rule picks; the fields a rule picks pairs by
 * are biased within it (every pair agrees on them), so their m is not estimated from that rule.
 */
const TRAINING_RULES: { name: string; key: (r: NormalisedRecord) => string | null; excludes: FieldName[] }[] = [
  { name: 'same date of birth', key: (r) => (r.dateOfBirth?.precision === 'day' ? r.dateOfBirth.digits : null), excludes: ['dateOfBirth'] },
  {
    name: 'same surname and first-name sounds',
    key: (r) => (r.family && r.given ? `${r.family.sound.slice(0, 4)}|${r.given.sound.slice(0, 4)}` : null),
    excludes: ['givenName', 'familyName'],
  },
  {
    name: 'same email or postcode',
    key: (r) => r.email ?? (r.postcode ? `pc ${r.postcode.text}` : null),
    excludes: ['postcode', 'address', 'town', 'email'],
  },
];

/** Fewer expected pairs than this at a level, and its probability is assumed rather than estimated. */
const MIN_EVIDENCE = 5;

/**
 * Values set by hand: the starting point of EM, and the answer for the fields and levels the
 * development data does not have (NHS number, sex, telephone, UPN; UK postcode districts; vague
 * dates of birth). Reasoning for each is in docs/identity-resolution.md.
 */
const ASSUMED: Pick<ModelParams, 'fields'> = {
  fields: {
    nhsNumber: { origin: 'assumed', levels: { exact: { m: 0.995, u: 1e-7 }, disagree: { m: 0.005, u: 1 } } },
    givenName: { origin: 'assumed', levels: { exact: { m: 0.85, u: 0.005 }, alias: { m: 0.05, u: 0.002 }, close: { m: 0.04, u: 0.003 }, similar: { m: 0.03, u: 0.03 }, disagree: { m: 0.03, u: 0.96 } } },
    familyName: { origin: 'assumed', levels: { exact: { m: 0.85, u: 0.002 }, alias: { m: 0.03, u: 0.0005 }, close: { m: 0.06, u: 0.002 }, similar: { m: 0.03, u: 0.02 }, disagree: { m: 0.03, u: 0.976 } } },
    dateOfBirth: { origin: 'assumed', levels: { exact: { m: 0.85, u: 0.00004 }, swapped: { m: 0.01, u: 0.00001 }, typo: { m: 0.06, u: 0.001 }, vague: { m: 0.02, u: 0.003 }, near: { m: 0.03, u: 0.005 }, disagree: { m: 0.03, u: 0.984 } } },
    sex: { origin: 'assumed', levels: { agree: { m: 0.98, u: 0.5 }, disagree: { m: 0.02, u: 0.5 } } },
    postcode: { origin: 'assumed', levels: { exact: { m: 0.7, u: 0.0005 }, sector: { m: 0.1, u: 0.005 }, district: { m: 0.05, u: 0.02 }, disagree: { m: 0.15, u: 0.9745 } } },
    address: { origin: 'assumed', levels: { exact: { m: 0.7, u: 0.0002 }, close: { m: 0.1, u: 0.0005 }, partial: { m: 0.05, u: 0.005 }, disagree: { m: 0.15, u: 0.9943 } } },
    town: { origin: 'assumed', levels: { exact: { m: 0.7, u: 0.05 }, close: { m: 0.15, u: 0.01 }, disagree: { m: 0.15, u: 0.94 } } },
    phone: { origin: 'assumed', levels: { exact: { m: 0.7, u: 0.00001 }, disagree: { m: 0.3, u: 0.99999 } } },
    email: { origin: 'assumed', levels: { exact: { m: 0.7, u: 0.00001 }, close: { m: 0.2, u: 0.0001 }, disagree: { m: 0.1, u: 0.99989 } } },
    upn: { origin: 'assumed', levels: { exact: { m: 0.99, u: 1e-7 }, disagree: { m: 0.01, u: 1 } } },
    otherIdentifier: { origin: 'assumed', levels: { exact: { m: 0.85, u: 1e-6 }, close: { m: 0.05, u: 1e-5 }, disagree: { m: 0.1, u: 1 } } },
  },
};

type Counts = Map<string, number>;
type Table = number[][]; // [field index][level index]

const emptyTable = (fill = 0): Table => FIELDS.map((f) => new Array<number>(LEVELS[f].length).fill(fill));

/** Level vectors of pairs, counted: EM then runs over distinct vectors, which is fast. */
function vectorCounts(records: NormalisedRecord[], pairList: Iterable<[number, number]>): Counts {
  const counts: Counts = new Map();
  for (const [i, j] of pairList) {
    const v = compareRecords(records[i]!, records[j]!).levels.join(',');
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

function* randomPairs(n: number, count: number, rng: () => number): Generator<[number, number]> {
  for (let k = 0; k < count; k += 1) {
    const i = Math.floor(rng() * n);
    let j = Math.floor(rng() * (n - 1));
    if (j >= i) j += 1;
    yield [i, j];
  }
}

function* rulePairs(records: NormalisedRecord[], key: (r: NormalisedRecord) => string | null, maxBlock = 200): Generator<[number, number]> {
  const blocks = new Map<string, number[]>();
  records.forEach((r, i) => {
    const k = key(r);
    if (k !== null) (blocks.get(k) ?? blocks.set(k, []).get(k)!).push(i);
  });
  for (const list of blocks.values()) {
    if (list.length > maxBlock) continue;
    for (let a = 0; a < list.length; a += 1) for (let b = a + 1; b < list.length; b += 1) yield [list[a]!, list[b]!];
  }
}

function* matcherCandidatePairs(records: NormalisedRecord[]): Generator<[number, number]> {
  const keys = records.map(blockingKeys);
  const index = new Map<string, number[]>();
  keys.forEach((k, i) => k.index.forEach((key) => (index.get(key) ?? index.set(key, []).get(key)!).push(i)));
  const seen = new Set<number>();
  for (let i = 0; i < records.length; i += 1) {
    for (const key of keys[i]!.query) {
      const list = index.get(key) ?? [];
      if (list.length > 5000) continue;
      for (const j of list) {
        if (j === i) continue;
        const code = Math.min(i, j) * records.length + Math.max(i, j);
        if (seen.has(code)) continue;
        seen.add(code);
        yield [Math.min(i, j), Math.max(i, j)];
      }
    }
  }
}

function vectors(counts: Counts): { levels: number[]; c: number }[] {
  return [...counts].map(([v, c]) => ({ levels: v.split(',').map(Number), c }));
}

/**
 * Expectation–maximisation for the Fellegi–Sunter mixture: u fixed, m (for the fields in `use`)
 * and the share of matching pairs estimated. Returns the expected number of matching pairs at each
 * level, so that several runs can be pooled by how much evidence each had.
 */
function em(counts: Counts, m0: Table, u: Table, use: boolean[], iterations = 100): { m: Table; lambda: number; expected: Table } {
  const vs = vectors(counts);
  let m = m0.map((row) => [...row]);
  let lambda = 0.05;
  let expected = emptyTable();
  for (let it = 0; it < iterations; it += 1) {
    expected = emptyTable(0.01);
    let matches = 0;
    let total = 0;
    for (const { levels, c } of vs) {
      let pm = lambda;
      let pu = 1 - lambda;
      for (let f = 0; f < levels.length; f += 1) {
        const l = levels[f]!;
        if (l < 0 || !use[f]) continue;
        pm *= m[f]![l]!;
        pu *= u[f]![l]!;
      }
      const g = pm / (pm + pu);
      matches += g * c;
      total += c;
      for (let f = 0; f < levels.length; f += 1) if (levels[f]! >= 0 && use[f]) expected[f]![levels[f]!]! += g * c;
    }
    lambda = Math.min(0.999, Math.max(1e-7, matches / total));
    m = expected.map((row, f) => (use[f] ? row.map((x) => x / row.reduce((s, y) => s + y, 0)) : m[f]!));
  }
  return { m, lambda, expected };
}

function tableOf(params: ModelParams, which: 'm' | 'u'): Table {
  return FIELDS.map((f) => (LEVELS[f] as readonly string[]).map((l) => (params.fields[f].levels as Record<string, { m: number; u: number }>)[l]![which]));
}

interface Estimate {
  params: ModelParams;
  training: Record<string, unknown>[];
  expectedOtherRecordsPerFile: Record<string, number>;
}

/**
 * u from 300,000 random pairs per file (nearly all different people), pooled over the files that
 * have the field; m by EM on the pairs of each training rule (u fixed), pooled by the expected
 * number of matching pairs behind each estimate; then, with m and u fixed, EM for the share of
 * matching pairs among the matcher's own candidate pairs gives each file's expected number of
 * other records per record, the prior.
 */
function estimateParameters(datasets: Dataset[], seed: number): Estimate {
  const rng = mulberry32(seed);
  const m0 = tableOf(ASSUMED as ModelParams, 'm');
  const uCounts = emptyTable();
  const mExpected = emptyTable();
  const training: Record<string, unknown>[] = [];
  const normalised = datasets.map((ds) => ds.records.map(normaliseRecord));
  const uOf: Table[] = [];
  normalised.forEach((records, d) => {
    progress(`${datasets[d]!.name}: u from random pairs`);
    const counts = vectorCounts(records, randomPairs(records.length, 300_000, rng));
    const table = emptyTable(0.5);
    for (const { levels, c } of vectors(counts)) levels.forEach((l, f) => l >= 0 && (table[f]![l]! += c));
    table.forEach((row, f) => row.forEach((x, l) => (uCounts[f]![l]! += x - 0.5)));
    // This file's own u (for its EM runs); a level it never shows keeps the assumed u.
    const assumedU = tableOf(ASSUMED as ModelParams, 'u');
    uOf.push(table.map((row, f) => row.map((x, l) => (x < MIN_EVIDENCE ? assumedU[f]![l]! : x / row.reduce((s, y) => s + y, 0)))));
  });
  normalised.forEach((records, d) => {
    for (const rule of TRAINING_RULES) {
      progress(`${datasets[d]!.name}: EM on pairs with ${rule.name}`);
      const counts = vectorCounts(records, rulePairs(records, rule.key));
      const use = FIELDS.map((f) => ESTIMATED.includes(f) && !rule.excludes.includes(f));
      const fit = em(counts, m0, uOf[d]!, use);
      training.push({
        file: datasets[d]!.name,
        rule: rule.name,
        pairs: [...counts.values()].reduce((s, c) => s + c, 0),
        shareMatching: counts.size === 0 ? 0 : Number(fit.lambda.toPrecision(3)),
      });
      fit.expected.forEach((row, f) => {
        if (!use[f]) return;
        const evidence = row.reduce((s, x) => s + x, 0);
        // A field the file barely has (fewer than 20 expected matching pairs) says nothing reliable.
        if (evidence >= 20) row.forEach((x, l) => (mExpected[f]![l]! += x));
      });
    }
  });
  const fields = {} as Record<FieldName, unknown>;
  const assumedLevels: string[] = [];
  FIELDS.forEach((f, fi) => {
    const names = LEVELS[f] as readonly string[];
    const assumed = ASSUMED.fields[f].levels as Record<string, { m: number; u: number }>;
    const estimated = ESTIMATED.includes(f) && uCounts[fi]!.some((x) => x > 0) && mExpected[fi]!.some((x) => x > 0);
    if (!estimated) {
      fields[f] = { origin: 'assumed', levels: assumed };
      return;
    }
    // A level the development data (almost) never shows, such as a UK postcode district or a vague
    // date of birth, keeps its assumed probability; the observed levels share the rest.
    const share = (counts: number[], which: 'm' | 'u'): number[] => {
      const rare = counts.map((x) => x < MIN_EVIDENCE);
      const fixed = names.reduce((sum, l, li) => sum + (rare[li] ? assumed[l]![which] : 0), 0);
      const observed = counts.reduce((sum, x, li) => sum + (rare[li] ? 0 : x), 0);
      return names.map((l, li) => (rare[li] ? assumed[l]![which] : ((1 - fixed) * counts[li]!) / observed));
    };
    const m = share(mExpected[fi]!, 'm');
    const u = share(uCounts[fi]!, 'u');
    names.forEach((l, li) => {
      if (mExpected[fi]![li]! < MIN_EVIDENCE || uCounts[fi]![li]! < MIN_EVIDENCE) assumedLevels.push(`${f}.${l}`);
    });
    fields[f] = { origin: 'estimated', levels: Object.fromEntries(names.map((l, li) => [l, { m: Number(m[li]!.toPrecision(4)), u: Number(u[li]!.toPrecision(4)) }])) };
  });
  training.push({ assumedLevels });
  const params: ModelParams = { ...MODEL_PARAMS, fields: fields as ModelParams['fields'] };
  const expectedOtherRecordsPerFile: Record<string, number> = {};
  const table = levelWeightTable(params);
  normalised.forEach((records, d) => {
    progress(`${datasets[d]!.name}: EM for the prior`);
    // The weight of evidence of every candidate pair as the matcher scores it (term frequencies
    // included), then EM for the share of matching pairs alone: with m and u fixed this is a
    // one-parameter mixture. It recovers FEBRL's and fake_1000's true counts closely; on
    // rldata10000 it overshoots (its dates of birth have far fewer errors than the pooled m
    // expects, so same-name pairs look like matches), which is why the pooled value is a median.
    const tf = new TermFrequencies(params.termFrequency);
    for (const r of records) tf.add({ given: r.given?.compact ?? null, family: r.family?.compact ?? null, town: r.town });
    const ratios: number[] = [];
    for (const [i, j] of matcherCandidatePairs(records)) {
      const pair = compareRecords(records[i]!, records[j]!);
      ratios.push(2 ** Math.min(200, weighPair(records[i]!, records[j]!, pair, params, table, tf).weight));
    }
    let lambda = 0.05;
    for (let it = 0; it < 300; it += 1) {
      let g = 0;
      for (const r of ratios) g += (lambda * r) / (lambda * r + 1 - lambda);
      lambda = g / ratios.length;
    }
    expectedOtherRecordsPerFile[datasets[d]!.name] = Number(((2 * lambda * ratios.length) / records.length).toPrecision(3));
  });
  progressDone();
  return { params, training, expectedOtherRecordsPerFile };
}

/**
 * The thresholds frozen with the parameters, chosen with --tune on the development files: the
 * adult threshold where F1 peaked on FEBRL and fake_1000 with no false merges there (0.9; at 0.8,
 * rldata10000's common German names already merged 87 wrong pairs), and a child threshold one step
 * stricter, at 99%, which costs fake_1000 (a third of its records are children) about a point of F1.
 */
const TUNED_THRESHOLDS: ModelParams['thresholds'] = { autoLink: 0.9, autoLinkChild: 0.99, review: 0.5 };

function writeParams(estimate: Estimate, files: string[], expectedOtherRecords: number): void {
  const day = new Date().toISOString().slice(0, 10);
  const params: ModelParams = { ...estimate.params, version: `fs-${day}`, expectedOtherRecords, thresholds: TUNED_THRESHOLDS };
  const num = (x: number) => String(Number(x.toPrecision(4)));
  const fieldLines = FIELDS.map((f) => {
    const levels = Object.entries(params.fields[f].levels as Record<string, { m: number; u: number }>)
      .map(([l, p]) => `${l}: { m: ${num(p.m)}, u: ${num(p.u)} }`)
      .join(', ');
    return `    ${f}: { origin: '${params.fields[f].origin}', levels: { ${levels} } },`;
  });
  const tf = params.termFrequency;
  const text = `import type { ModelParams } from '../model.js';

// The frozen identity-resolution model. Written by \`npm run bench:identity -- --estimate --write\`
// on ${day} from ${files.join(', ')}; docs/identity-resolution.md explains the method.
// Fields marked "assumed" are not in the development data and keep values set by hand. The
// thresholds were chosen on the development data (--tune) and frozen with everything else.
// Do not edit by hand, and do not re-estimate on data the matcher is to be measured on.
//
// Training runs (pairs each rule picked; estimated share of them that are one person):
${estimate.training.map((t) => `//   ${t.file}, ${t.rule}: ${t.pairs} pairs, ${t.shareMatching}`).join('\n')}
// Expected other records per record, by file: ${Object.entries(estimate.expectedOtherRecordsPerFile).map(([f, c]) => `${f} ${c}`).join(', ')}
// (median ${expectedOtherRecords}).
export const MODEL_PARAMS: ModelParams = {
  version: '${params.version}',
  fields: {
${fieldLines.join('\n')}
  },
  expectedOtherRecords: ${expectedOtherRecords},
  termFrequency: { pseudoRecords: ${tf.pseudoRecords}, defaultShare: { given: ${tf.defaultShare.given}, family: ${tf.defaultShare.family}, town: ${tf.defaultShare.town} } },
  thresholds: { autoLink: ${params.thresholds.autoLink}, autoLinkChild: ${params.thresholds.autoLinkChild}, review: ${params.thresholds.review} },
};
`;
  writeFileSync(resolve('src/identity/data/model-params.ts'), text);
  process.stderr.write('Wrote src/identity/data/model-params.ts\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const evaluationDate = new Date().toISOString().slice(0, 10);
  const defaults = ['febrl1.csv', 'febrl2.csv', 'fake_1000.csv', 'rldata10000.csv'];
  const wanted = args.files ?? defaults.filter((f) => existsSync(join(args.data, f)));
  const missing = (args.files ?? defaults.slice(0, 3)).filter((f) => !existsSync(join(args.data, f)));
  const datasets = wanted.filter((f) => existsSync(join(args.data, f))).map((f) => loadCsv(join(args.data, f), args.answer, args.seed));

  if (args.estimate) {
    const estimate = estimateParameters(datasets, args.seed);
    // The prior: the median of the files' estimates (robust to one file the model fits badly).
    const values = Object.values(estimate.expectedOtherRecordsPerFile).sort((a, b) => a - b);
    const mid = values.length >> 1;
    const pooled = Number((values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2).toPrecision(3));
    process.stdout.write(`${JSON.stringify({ ...estimate, pooledExpectedOtherRecords: pooled }, null, 2)}\n`);
    if (args.write) writeParams(estimate, datasets.map((d) => d.name), pooled);
    return;
  }

  if (args.tune) {
    for (const autoLink of [0.8, 0.9, 0.95, 0.98, 0.99]) {
      for (const autoLinkChild of [0.99, 0.995, 0.999]) {
        for (const review of [0.5]) {
          if (autoLinkChild < autoLink) continue;
          const params = { ...MODEL_PARAMS, thresholds: { autoLink, autoLinkChild, review } };
          const results = datasets.map((ds) => evaluate(ds, evaluationDate, 0, params, false));
          process.stdout.write(
            `auto ${autoLink} child ${autoLinkChild} review ${review}: ${results.map((r) => `${r.file} F1 ${r.f1} fm ${r.falseMerges}/${r.falseMergesBetweenChildren} rq ${r.reviewQueue}`).join(' | ')}\n`,
          );
        }
      }
    }
    return;
  }

  const files = datasets.map((ds) => evaluate(ds, evaluationDate, args.diagnose));
  // The same files through the real importer and database: F1 from the persons as stored.
  const throughStore = [];
  for (const ds of datasets) {
    progress(`${ds.name}: importing through the store`);
    const stored = await importAndExport('pglite', ds.records);
    progressDone();
    throughStore.push({ file: ds.name, store: 'pglite', ...scorePersons(ds, stored.persons), reviewQueue: stored.reviewQueue, seconds: Math.round(stored.seconds * 100) / 100, recordsPerSecond: Math.round(ds.records.length / stored.seconds) });
  }
  const batch = await timeEndToEnd('pglite', 20_000, args.seed);
  const single = args.people > 0 ? singleRecordTiming(args.people, args.probes, args.seed, evaluationDate) : null;
  const report = {
    benchmark: 'identity',
    measured: new Date().toISOString(),
    node: process.version,
    modelVersion: MODEL_PARAMS.version,
    evaluationDate,
    seed: args.seed,
    note: 'files: the matcher in memory, on every column of the file. throughStore: each file written as an exchange file and imported through the real importer into PGlite (validate, store every version, resolve, write persons), scored from the persons as stored; the exchange format has no place for some development columns (FEBRL soc_sec_id, e-mail) and impossible dates of birth are left out, so its F1 is lower where those carried the match. endToEnd: 20,000 generated records the same way.',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadAverage1m: Number(loadavg()[0]!.toFixed(2)) },
    missingFiles: missing,
    files,
    throughStore,
    endToEnd: batch,
    singleRecord: single,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  for (const f of files) {
    process.stdout.write(
      `${f.file.padEnd(18)} P ${f.precision.toFixed(4)}  R ${f.recall.toFixed(4)}  F1 ${f.f1.toFixed(4)}  false merges ${f.falseMerges}  review ${f.reviewQueue}  ${f.recordsPerSecond} records/s\n`,
    );
  }
  for (const t of throughStore) process.stdout.write(`${t.file.padEnd(18)} through the store: F1 ${t.f1}  false merges ${t.falseMerges}  ${t.recordsPerSecond} records/s end to end\n`);
  process.stdout.write(`end to end, ${batch.records} records: ${batch.recordsPerSecond} records/s\n`);
  if (single) process.stdout.write(`single record vs ${single.population}: p50 ${single.p50Ms} ms, p95 ${single.p95Ms} ms\n`);
  if (missing.length > 0) process.stdout.write(`missing files: ${missing.join(', ')}\n`);
}

await main();
