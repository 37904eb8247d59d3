import type { TermFrequencySettings } from './term-frequency.js';

/** The fields the matcher compares, in the order explanations show them. */
export const FIELDS = [
  'nhsNumber',
  'givenName',
  'familyName',
  'dateOfBirth',
  'sex',
  'postcode',
  'address',
  'town',
  'phone',
  'email',
  'upn',
  'otherIdentifier',
] as const;

/** One of the compared fields. */
export type FieldName = (typeof FIELDS)[number];

/** The comparison levels of each field, strongest agreement first, "disagree" last. */
export const LEVELS = {
  nhsNumber: ['exact', 'disagree'],
  givenName: ['exact', 'alias', 'close', 'similar', 'disagree'],
  familyName: ['exact', 'alias', 'close', 'similar', 'disagree'],
  dateOfBirth: ['exact', 'swapped', 'typo', 'vague', 'near', 'disagree'],
  sex: ['agree', 'disagree'],
  postcode: ['exact', 'sector', 'district', 'disagree'],
  address: ['exact', 'close', 'partial', 'disagree'],
  town: ['exact', 'close', 'disagree'],
  phone: ['exact', 'disagree'],
  email: ['exact', 'close', 'disagree'],
  upn: ['exact', 'disagree'],
  otherIdentifier: ['exact', 'close', 'disagree'],
} as const satisfies Record<FieldName, readonly string[]>;

/** The level names of field `F`. */
export type LevelOf<F extends FieldName> = (typeof LEVELS)[F][number];

/** m = P(level | same person), u = P(level | different people), for one comparison level. */
export interface LevelProbabilities {
  m: number;
  u: number;
}

/** Where a parameter came from, so the documentation and the JSON say it honestly. */
export type ParameterOrigin = 'estimated' | 'assumed';

/** The frozen model: everything the matcher needs besides the records. */
export interface ModelParams {
  /** Bumped whenever the parameters change, and recorded with every decision the matcher makes. */
  version: string;
  fields: { [F in FieldName]: { origin: ParameterOrigin; levels: Record<LevelOf<F>, LevelProbabilities> } };
  /**
   * Expected number of other records of the same person for any one record. The prior that two
   * records picked at random are the same person is this divided by the number of records held.
   */
  expectedOtherRecords: number;
  termFrequency: TermFrequencySettings;
  /** Match probability bands (see docs/identity-resolution.md). */
  thresholds: {
    /** At or above: automatic link between adults. */
    autoLink: number;
    /** At or above: automatic link when either record is a child (under 18) or unborn. */
    autoLinkChild: number;
    /** At or above (and below the automatic threshold): to the review queue. */
    review: number;
  };
}

/** log2(m/u): the weight of evidence (in bits) a comparison level carries. */
export function levelWeight(p: LevelProbabilities): number {
  return Math.log2(p.m / p.u);
}

/** Match probability from a total weight (bits, prior included). */
export function weightToProbability(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** The prior weight (log2 odds) that two records are one person, given `records` records held. */
export function priorWeight(params: ModelParams, records: number): number {
  const lambda = Math.min(0.5, params.expectedOtherRecords / Math.max(1, records - 1));
  return Math.log2(lambda / (1 - lambda));
}
