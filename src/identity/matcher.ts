import { BlockingIndex, blockingKeys } from './blocking.js';
import { ConstrainedClusters, type ClusterEdge } from './cluster.js';
import { compareRecords, FIELD_INDEX, twinCheck, type PairLevels } from './compare.js';
import { MODEL_PARAMS } from './data/model-params.js';
import { LEVELS, priorWeight, weightToProbability, type ModelParams } from './model.js';
import { normaliseRecord, type IdentityRecordInput, type NormalisedRecord } from './normalise.js';
import { explainFields, levelWeightTable, weighPair, type FieldExplanation, type PairWeights } from './score.js';
import { TermFrequencies } from './term-frequency.js';
import { linkUnbornRecords, type UnbornRecordRef } from './unborn.js';

/** A pair a person has already decided; honoured by every later resolution. */
export interface ReviewDecision {
  records: readonly [string, string];
  /** "same": always linked. "different": never linked, not even through other records. */
  decision: 'same' | 'different';
}

/** How a matcher is set up (the model itself is the `params` argument). */
export interface MatcherOptions {
  /** The day ages are worked out on (YYYY-MM-DD): a child is under 18 on it. Default: today. */
  evaluationDate?: string;
  /** Pairs already decided by a reviewer (or by a birth event: "same"). */
  decisions?: readonly ReviewDecision[];
  /** A blocking key shared by more records than this is not used to find candidates. */
  maxBlockSize?: number;
  /** Called now and then during `resolve` (for a progress bar). */
  onProgress?: (stage: 'comparing' | 'clustering', done: number, total: number) => void;
}

/** automatic link, review queue, or no link. */
export type Band = 'auto' | 'review' | 'none';

/** What decided a pair. */
export type DecisionBasis =
  | 'reviewer-same'
  | 'reviewer-different'
  | 'source-record-id'
  | 'nhs-number'
  | 'nhs-number-contradicted'
  | 'different-nhs-numbers'
  | 'twins'
  | 'possible-twins'
  | 'generation-apart'
  | 'unborn'
  | 'score';

/** Everything said about one pair: the decision, the score and, field by field, why. */
export interface PairExplanation {
  records: [string, string];
  band: Band;
  /** Probability (0 to 1) that the two records are one person, from the score (1 for decisions). */
  probability: number;
  /** Total weight of evidence in bits, prior included. */
  weight: number;
  /** The prior weight (log2 odds before looking at any field; depends on how many records are held). */
  prior: number;
  basis: DecisionBasis;
  /** True when either record is a child (under 18 on the evaluation date) or unborn. */
  child: boolean;
  /** The probability an automatic link needed for this pair. */
  autoThreshold: number;
  /** One or two plain sentences for the reviewer. */
  summary: string;
  fields: FieldExplanation[];
  modelVersion: string;
}

/** One candidate found by `matchOne`. */
export interface MatchCandidate {
  recordId: string;
  band: Band;
  probability: number;
  basis: DecisionBasis;
  explanation: PairExplanation;
}

/** A pair for a person to decide. */
export interface ReviewItem {
  records: [string, string];
  /** Match probability, 0 to 1. */
  score: number;
  why: string;
  explanation: PairExplanation;
}

/** Counts from one `resolve`, for logs and benchmarks. */
export interface ResolutionStats {
  records: number;
  /** Pairs compared (found by blocking, or decided by a reviewer). */
  comparisons: number;
  /** Pairs there would be if every record were compared with every other. */
  allPairs: number;
  autoLinks: number;
  /** Automatic links refused because they would join incompatible records (sent to review). */
  cutLinks: number;
  /** Unborn records linked through their mother. */
  unbornLinks: number;
  /** Pregnancies where twins were recorded, so unborn records were left unlinked. */
  ambiguousPregnancies: string[][];
}

/** Who is who: the outcome of `resolve`. */
export interface Resolution {
  /** Record ids of each person, each list sorted, the lists sorted by their first id. */
  persons: string[][];
  reviewQueue: ReviewItem[];
  stats: ResolutionStats;
  modelVersion: string;
}

interface Decided {
  band: Band;
  basis: DecisionBasis;
  probability: number;
  weight: number;
  prior: number;
  child: boolean;
  autoThreshold: number;
  /** For clustering: larger links are added first (decisions, then source ids, NHS numbers, scores). */
  strength: number;
  /** Set when the pair must never be in one person (twins, a reviewer's "different"). */
  forbidden: string | null;
  levels: PairLevels | null;
  weights: PairWeights | null;
  contradicted: string[];
}

const STRENGTH_REVIEWER = 1e9;
const STRENGTH_SOURCE = 1e8;
const STRENGTH_NHS = 1e7;

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Probabilistic record linkage for people (Fellegi–Sunter, with deterministic rules around it).
 * Pure and in memory: it holds normalised records and answers "who might this be?" (`matchOne`)
 * and "who is who?" (`resolve`). Storing the answer is the caller's business.
 */
export class Matcher {
  private readonly records: NormalisedRecord[] = [];
  private readonly positions = new Map<string, number>();
  private readonly index: BlockingIndex;
  private readonly tf: TermFrequencies;
  private readonly table: Float64Array[];
  private readonly decisions = new Map<string, 'same' | 'different'>();
  private readonly unbornMother = new Map<string, string>();
  private readonly evaluation: { y: number; md: number };

  constructor(
    readonly params: ModelParams = MODEL_PARAMS,
    private readonly options: MatcherOptions = {},
  ) {
    this.index = new BlockingIndex(options.maxBlockSize ?? 2500);
    this.tf = new TermFrequencies(params.termFrequency);
    this.table = levelWeightTable(params);
    const day = options.evaluationDate ?? isoToday();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`evaluationDate must be YYYY-MM-DD, not "${day}"`);
    this.evaluation = { y: Number(day.slice(0, 4)), md: Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10)) };
    this.addDecisions(options.decisions ?? []);
  }

  /** Number of records held. */
  get size(): number {
    return this.records.length;
  }

  /**
   * Adds records (raw, as the exchange format has them, or already normalised). A record with an
   * id already held replaces it (a new version from its source).
   */
  add(records: Iterable<IdentityRecordInput | NormalisedRecord>): void {
    for (const input of records) {
      const r = 'warnings' in input ? input : normaliseRecord(input);
      const keys = blockingKeys(r);
      const tfValues = { given: r.given?.compact ?? null, family: r.family?.compact ?? null, town: r.town };
      const existing = this.positions.get(r.id);
      if (existing !== undefined) {
        const old = this.records[existing]!;
        // Keys are recomputed rather than kept: with 500,000 people, keeping them costs more
        // memory than recomputing costs time.
        this.index.remove(existing, blockingKeys(old).index);
        this.tf.remove({ given: old.given?.compact ?? null, family: old.family?.compact ?? null, town: old.town });
        this.records[existing] = r;
        this.index.add(existing, keys.index);
      } else {
        const position = this.records.length;
        this.records.push(r);
        this.positions.set(r.id, position);
        this.index.add(position, keys.index);
      }
      this.tf.add(tfValues);
    }
  }

  /** Adds reviewers' decisions (later decisions about the same pair replace earlier ones). */
  addDecisions(decisions: Iterable<ReviewDecision>): void {
    for (const d of decisions) this.decisions.set(pairKey(d.records[0], d.records[1]), d.decision);
  }

  /**
   * Records that an unborn record is the unborn baby of a mother's record (an `unborn-child-of`
   * relationship). Lets `resolve` link the unborn records of one baby held by different sources.
   */
  addUnbornOf(unbornRecordId: string, motherRecordId: string): void {
    this.unbornMother.set(unbornRecordId, motherRecordId);
  }

  /** The normalised record held under `id` (for showing warnings), if any. */
  record(id: string): NormalisedRecord | undefined {
    const p = this.positions.get(id);
    return p === undefined ? undefined : this.records[p];
  }

  private isChild(r: NormalisedRecord): boolean {
    if (r.kind === 'unborn') return true;
    const d = r.dateOfBirth;
    if (!d) return false;
    // A vague date counts as the first day of its period (the exchange format's rule).
    const md = (d.month ?? 1) * 100 + (d.day ?? 1);
    const age = this.evaluation.y - d.year - (this.evaluation.md < md ? 1 : 0);
    return age < 18;
  }

  /**
   * A child and an adult whose dates of birth are a generation apart (12 years or more, and not a
   * typing error or a swap): a parent and a child with the same name, which a score built on names
   * and an address can take for one person. Such a pair is never linked automatically.
   */
  private generationApart(a: NormalisedRecord, b: NormalisedRecord, levels: PairLevels): boolean {
    const x = a.dateOfBirth;
    const y = b.dateOfBirth;
    if (!x || !y || !x.valid || !y.valid || this.isChild(a) === this.isChild(b)) return false;
    const level = (LEVELS.dateOfBirth as readonly string[])[levels.levels[FIELD_INDEX.dateOfBirth]!];
    return level === 'disagree' && Math.abs(x.year - y.year) >= 12;
  }

  private decide(a: NormalisedRecord, b: NormalisedRecord, population: number): Decided {
    const child = this.isChild(a) || this.isChild(b);
    const t = this.params.thresholds;
    const autoThreshold = child ? t.autoLinkChild : t.autoLink;
    const d: Decided = {
      band: 'none',
      basis: 'score',
      probability: 0,
      weight: 0,
      prior: 0,
      child,
      autoThreshold,
      strength: 0,
      forbidden: null,
      levels: null,
      weights: null,
      contradicted: [],
    };
    const human = this.decisions.size > 0 ? this.decisions.get(pairKey(a.id, b.id)) : undefined;
    if (human === 'same') return settle(d, 'auto', 'reviewer-same', 1, STRENGTH_REVIEWER);
    if (human === 'different') {
      d.forbidden = 'a reviewer decided are different people';
      return settle(d, 'none', 'reviewer-different', 0, 0);
    }
    const sameSourceRecord = a.source !== null && a.source === b.source && a.sourceRecordId !== null && a.sourceRecordId === b.sourceRecordId;
    if (sameSourceRecord) return settle(d, 'auto', 'source-record-id', 1, STRENGTH_SOURCE);
    if (a.kind === 'unborn' || b.kind === 'unborn') return settle(d, 'none', 'unborn', 0, 0);

    const levels = compareRecords(a, b);
    const weights = weighPair(a, b, levels, this.params, this.table, this.tf);
    d.levels = levels;
    d.weights = weights;
    d.prior = priorWeight(this.params, population);
    d.weight = weights.weight + d.prior;
    const probability = weightToProbability(d.weight);
    const nhs = levels.levels[FIELD_INDEX.nhsNumber];
    if (nhs === 0) {
      d.contradicted = contradictions(levels);
      if (d.contradicted.length >= 2) return settle(d, 'review', 'nhs-number-contradicted', probability, d.weight);
      return settle(d, 'auto', 'nhs-number', probability, STRENGTH_NHS + d.weight);
    }
    if (nhs === 1) {
      d.forbidden = 'have different valid NHS numbers';
      return settle(d, 'none', 'different-nhs-numbers', probability, 0);
    }
    const twins = twinCheck(a, b, levels);
    if (twins === 'twins') {
      d.forbidden = 'look like twins (same date of birth, surname and home, different first names)';
      return settle(d, 'none', 'twins', probability, 0);
    }
    if (twins === 'possible-twins') return settle(d, probability >= t.review ? 'review' : 'none', 'possible-twins', probability, d.weight);
    if (this.generationApart(a, b, levels)) return settle(d, probability >= t.review ? 'review' : 'none', 'generation-apart', probability, d.weight);
    const band: Band = probability >= autoThreshold ? 'auto' : probability >= t.review ? 'review' : 'none';
    return settle(d, band, 'score', probability, d.weight);
  }

  private explain(a: NormalisedRecord, b: NormalisedRecord, d: Decided): PairExplanation {
    const fields = d.levels && d.weights ? explainFields(a, b, d.levels, d.weights) : [];
    return {
      records: [a.id, b.id],
      band: d.band,
      probability: round(d.probability, 4),
      weight: round(d.weight, 2),
      prior: round(d.prior, 2),
      basis: d.basis,
      child: d.child,
      autoThreshold: d.autoThreshold,
      summary: summarise(d, fields),
      fields,
      modelVersion: this.params.version,
    };
  }

  /**
   * The decision and explanation for two held records (what the review screen shows side by side).
   */
  compare(idA: string, idB: string): PairExplanation {
    const a = this.record(idA);
    const b = this.record(idB);
    if (!a || !b) throw new Error(`No record ${a ? idB : idA} is held by this matcher`);
    return this.explain(a, b, this.decide(a, b, this.records.length));
  }

  /**
   * Finds the held records a new record may be, best first: every candidate found by blocking
   * whose match probability is at least `minProbability` (or that is linked by a rule), at most
   * `limit` of them. The new record is not added.
   */
  matchOne(input: IdentityRecordInput | NormalisedRecord, options: { limit?: number; minProbability?: number } = {}): MatchCandidate[] {
    const r = 'warnings' in input ? input : normaliseRecord(input);
    const limit = options.limit ?? 10;
    const minProbability = options.minProbability ?? 0.01;
    const seen = new Set<number>();
    const found: { position: number; decided: Decided }[] = [];
    const population = this.records.length + (this.positions.has(r.id) ? 0 : 1);
    for (const key of blockingKeys(r).query) {
      for (const position of this.index.lookup(key)) {
        if (seen.has(position)) continue;
        seen.add(position);
        const other = this.records[position]!;
        if (other.id === r.id) continue;
        const decided = this.decide(r, other, population);
        if (decided.band !== 'none' || (decided.probability >= minProbability && decided.basis === 'score')) found.push({ position, decided });
      }
    }
    found.sort((x, y) => y.decided.strength - x.decided.strength || y.decided.probability - x.decided.probability);
    return found.slice(0, limit).map(({ position, decided }) => {
      const other = this.records[position]!;
      return { recordId: other.id, band: decided.band, probability: round(decided.probability, 4), basis: decided.basis, explanation: this.explain(r, other, decided) };
    });
  }

  /**
   * Resolves every held record into people: compares the pairs blocking finds, links the
   * automatic band into people (never joining incompatible records), links unborn records through
   * their mothers, and lists the pairs a person should decide.
   */
  resolve(): Resolution {
    const n = this.records.length;
    const progress = this.options.onProgress;
    const seen = new Set<number>();
    const edges: ClusterEdge[] = [];
    const reviewPairs: { a: number; b: number; decided: Decided }[] = [];
    const forbidden = new Map<number, Map<number, string>>();
    const forbid = (a: number, b: number, reason: string) => {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        let m = forbidden.get(x);
        if (!m) forbidden.set(x, (m = new Map()));
        m.set(y, reason);
      }
    };
    let comparisons = 0;
    const consider = (i: number, j: number) => {
      const lo = i < j ? i : j;
      const hi = i < j ? j : i;
      const code = lo * n + hi;
      if (seen.has(code)) return;
      seen.add(code);
      comparisons += 1;
      const decided = this.decide(this.records[lo]!, this.records[hi]!, n);
      if (decided.forbidden) forbid(lo, hi, decided.forbidden);
      if (decided.band === 'auto') edges.push({ a: lo, b: hi, strength: decided.strength });
      else if (decided.band === 'review') reviewPairs.push({ a: lo, b: hi, decided });
    };
    for (let i = 0; i < n; i += 1) {
      for (const key of blockingKeys(this.records[i]!).query) for (const j of this.index.lookup(key)) if (j !== i) consider(i, j);
      if (progress && i % 1000 === 0) progress('comparing', i, n);
    }
    // Reviewers' decisions hold even for pairs blocking would not have found.
    for (const key of this.decisions.keys()) {
      const [x, y] = key.split('\u0000') as [string, string];
      const i = this.positions.get(x);
      const j = this.positions.get(y);
      if (i !== undefined && j !== undefined && i !== j) consider(i, j);
    }
    progress?.('clustering', 0, 1);

    const clusters = new ConstrainedClusters({ size: n, nhsNumber: (p) => this.records[p]!.nhsNumber, forbidden });
    const cut = clusters.addEdges(edges);

    // Unborn records of one baby in different sources, through the resolved mother.
    const refs: UnbornRecordRef[] = [];
    for (const [unbornId, motherId] of this.unbornMother) {
      const u = this.positions.get(unbornId);
      const m = this.positions.get(motherId);
      if (u === undefined || m === undefined || this.records[u]!.kind !== 'unborn') continue;
      const r = this.records[u]!;
      refs.push({ id: unbornId, source: r.source, expectedDay: r.expectedDate?.dayNumber ?? null, motherPerson: String(clusters.find(m)) });
    }
    const unborn = linkUnbornRecords(refs);
    let unbornLinks = 0;
    for (const [x, y] of unborn.links) {
      const reason = clusters.union(this.positions.get(x)!, this.positions.get(y)!);
      if (!reason) unbornLinks += 1;
    }

    // The review queue: scored pairs in the review band, and links cut to keep people consistent,
    // one pair (the most likely) for each two people, and never two people that cannot be joined.
    const best = new Map<string, { a: number; b: number; decided: Decided; why: string }>();
    const offer = (a: number, b: number, decided: Decided, why: string) => {
      const ra = clusters.find(a);
      const rb = clusters.find(b);
      if (ra === rb) return;
      const key = ra < rb ? `${ra}:${rb}` : `${rb}:${ra}`;
      const current = best.get(key);
      if (!current || decided.probability > current.decided.probability) best.set(key, { a, b, decided, why });
    };
    for (const { a, b, decided } of reviewPairs) {
      if (clusters.conflict(a, b)) continue;
      offer(a, b, decided, '');
    }
    for (const c of cut) {
      const decided = this.decide(this.records[c.a]!, this.records[c.b]!, n);
      offer(c.a, c.b, { ...decided, band: 'review' }, `Not linked automatically: ${c.reason}.`);
    }
    const reviewQueue: ReviewItem[] = [...best.values()]
      .map(({ a, b, decided, why }) => {
        const [ra, rb] = this.records[a]!.id < this.records[b]!.id ? [this.records[a]!, this.records[b]!] : [this.records[b]!, this.records[a]!];
        const explanation = this.explain(ra, rb, decided);
        if (why) explanation.summary = `${why} ${explanation.summary}`;
        return { records: [ra.id, rb.id] as [string, string], score: explanation.probability, why: explanation.summary, explanation };
      })
      .sort((x, y) => y.score - x.score || x.records[0].localeCompare(y.records[0]));

    const persons = clusters
      .groups()
      .map((g) => g.map((p) => this.records[p]!.id).sort())
      .sort((x, y) => x[0]!.localeCompare(y[0]!));
    progress?.('clustering', 1, 1);
    return {
      persons,
      reviewQueue,
      stats: {
        records: n,
        comparisons,
        allPairs: (n * (n - 1)) / 2,
        autoLinks: edges.length,
        cutLinks: cut.length,
        unbornLinks,
        ambiguousPregnancies: unborn.ambiguous,
      },
      modelVersion: this.params.version,
    };
  }
}

function settle(d: Decided, band: Band, basis: DecisionBasis, probability: number, strength: number): Decided {
  d.band = band;
  d.basis = basis;
  d.probability = probability;
  d.strength = strength;
  return d;
}

function round(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

const FLAT: readonly (keyof typeof LEVELS)[] = ['givenName', 'familyName', 'dateOfBirth', 'sex'];

/** The identifying fields (names, date of birth, sex) that flatly disagree. */
function contradictions(levels: PairLevels): string[] {
  return FLAT.filter((f) => {
    const l = levels.levels[FIELD_INDEX[f]]!;
    return l >= 0 && (LEVELS[f] as readonly string[])[l] === 'disagree';
  });
}

function percent(p: number): string {
  if (p >= 0.9995 || p <= 0.0005) return p >= 0.5 ? 'over 99.9%' : 'under 0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function summarise(d: Decided, fields: FieldExplanation[]): string {
  const agree = fields.filter((f) => f.outcome === 'agree' && f.field !== 'nhsNumber').map((f) => f.label.toLowerCase());
  const partial = fields.filter((f) => f.outcome === 'partial').map((f) => f.label.toLowerCase());
  const disagree = fields.filter((f) => f.outcome === 'disagree').map((f) => f.label.toLowerCase());
  const evidence = [
    agree.length ? `${list(agree)} ${agree.length === 1 ? 'agrees' : 'agree'}` : '',
    partial.length ? `${list(partial)} nearly ${partial.length === 1 ? 'agrees' : 'agree'}` : '',
    disagree.length ? `${list(disagree)} ${disagree.length === 1 ? 'differs' : 'differ'}` : '',
  ].filter(Boolean);
  const because = evidence.length ? ` ${evidence.join('; ')}.`.replace(/^ (\w)/, (_, c: string) => ` ${c.toUpperCase()}`) : '';
  const childNote = d.child && d.basis === 'score' && d.band === 'review' ? ` A child is involved, so an automatic link needs ${percent(d.autoThreshold)}.` : '';
  switch (d.basis) {
    case 'reviewer-same':
      return 'A reviewer decided these are the same person.';
    case 'reviewer-different':
      return 'A reviewer decided these are different people; they are never linked.';
    case 'source-record-id':
      return 'The same source holds both under one record id, so they are the same person.';
    case 'unborn':
      return 'An unborn baby’s record is linked to a born child only by a birth event or by its own source, never by a score.';
    case 'nhs-number':
      return `Same valid NHS number, and nothing flatly contradicts it (match probability ${percent(d.probability)}).${because}`;
    case 'nhs-number-contradicted':
      return `Same valid NHS number, but ${list(d.contradicted.map((f) => fields.find((x) => x.field === f)?.label.toLowerCase() ?? f))} flatly disagree: possibly a wrong NHS number, so a person must decide.${because}`;
    case 'different-nhs-numbers':
      return 'Different valid NHS numbers: never the same person.';
    case 'twins':
      return `They look like twins (same date of birth, surname and home, different first names), so they are never linked automatically (match probability by score ${percent(d.probability)}).`;
    case 'possible-twins':
      return `Possibly twins (same date of birth, surname and home, first names alike but not the same), so never linked automatically: a person must decide (match probability by score ${percent(d.probability)}).${because}`;
    case 'generation-apart':
      return `A child and an adult born a generation apart (possibly a parent and child with the same name), so never linked automatically: a person must decide (match probability by score ${percent(d.probability)}).${because}`;
    case 'score': {
      const verdict = d.band === 'auto' ? 'Linked automatically' : d.band === 'review' ? 'Possibly the same person' : 'Probably different people';
      return `${verdict}: match probability ${percent(d.probability)}.${because}${childNote}`;
    }
  }
}

