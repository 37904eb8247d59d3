import { FORENAME_SHARES, SURNAME_SHARES } from './data/name-frequencies.js';

/** Fields whose exact agreement is weighted by how common the agreed value is. */
export type FrequencyField = 'given' | 'family' | 'town';

/** How term frequencies are estimated (part of the frozen model parameters). */
export interface TermFrequencySettings {
  /** Weight of the reference shares, as a number of imaginary records (Dirichlet smoothing). */
  pseudoRecords: number;
  /** Share assumed for a value the reference lists do not name. */
  defaultShare: Record<FrequencyField, number>;
}

/**
 * Counts of names and towns among the records a matcher holds, turned into the share of people
 * with a value. The share is smoothed towards a reference share (common UK names, or a default for
 * any other value) as if `pseudoRecords` imaginary records had been seen:
 *
 *   share(v) = (count(v) + K · reference(v)) / (records + K)
 *
 * With few records (a scenario, a small first import) the reference dominates, so a family whose
 * members make up half of a tiny data set does not make its own surname look common; with many
 * records the counts dominate and the data speaks for itself.
 */
export class TermFrequencies {
  private readonly counts: Record<FrequencyField, Map<string, number>> = { given: new Map(), family: new Map(), town: new Map() };
  private records = 0;

  constructor(private readonly settings: TermFrequencySettings) {}

  /** Counts one record's values (any may be null). */
  add(values: Record<FrequencyField, string | null>): void {
    this.records += 1;
    for (const field of ['given', 'family', 'town'] as const) {
      const v = values[field];
      if (v) this.counts[field].set(v, (this.counts[field].get(v) ?? 0) + 1);
    }
  }

  /** Un-counts a record's values (when a record is replaced by a new version). */
  remove(values: Record<FrequencyField, string | null>): void {
    this.records = Math.max(0, this.records - 1);
    for (const field of ['given', 'family', 'town'] as const) {
      const v = values[field];
      if (!v) continue;
      const n = (this.counts[field].get(v) ?? 0) - 1;
      if (n > 0) this.counts[field].set(v, n);
      else this.counts[field].delete(v);
    }
  }

  /** The estimated share of people whose `field` is `value` (a probability in (0, 1)). */
  share(field: FrequencyField, value: string): number {
    const K = this.settings.pseudoRecords;
    const reference =
      (field === 'given' ? FORENAME_SHARES[value] : field === 'family' ? SURNAME_SHARES[value] : undefined) ?? this.settings.defaultShare[field];
    // A value seen in the data counts at least once: the record being compared holds it.
    const count = Math.max(1, this.counts[field].get(value) ?? 0);
    return (count + K * reference) / (this.records + K);
  }
}
