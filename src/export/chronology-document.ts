/**
 * What a chronology export holds, as the document renderers take it: everything already worked out,
 * checked for access and written as it is to be shown (dates as "3 May 2019", display names of
 * agencies and types). Renderers only lay this out, so what a user may see is decided once, by the
 * service that builds it, and never again in a renderer. Restricted entries the exporting user may
 * not see are not here at all: only their number, `restrictedOmitted`, which every export states.
 */
import type { TimelineInput } from '../chronology/timeline.js';

/** One chronology entry, as shown. */
export interface ChronologyEntryRow {
  id: string;
  /** As shown, keeping its precision: "3 May 2019", "May 2019", "2019". */
  date: string;
  /** As shown, only when it differs from `date`: "recorded 20 June 2019". */
  recorded: string | null;
  /** Display name of the agency. */
  agency: string;
  /** The sending system's name. */
  source: string;
  recordedBy: string | null;
  /** Display label, e.g. "Home visit". */
  type: string;
  concerns: string[];
  /** Names of whom it concerns. */
  subjects: string[];
  summary: string;
  significant: boolean;
  enteredInError: { reason: string } | null;
  amended: boolean;
}

/** A whole chronology export. */
export interface ChronologyDocument {
  title: string;
  partnership: string;
  /** e.g. { name: "Ruby Carter", detail: "born 3 July 2017" }. */
  subjects: { name: string; detail: string }[];
  /** The partnership's information-sharing agreement and lawful basis; null when none is recorded. */
  sharingBasis: { agreement: string; lawfulBasis: string } | null;
  exportedBy: string;
  exportedAt: Date;
  purpose: string;
  timeline: TimelineInput;
  /** e.g. { heading: "Ruby Carter", lines: ["Brought to 4 of 17 outpatient appointments (24%)"] }. */
  figures: { heading: string; lines: string[] }[];
  entries: ChronologyEntryRow[];
  /** Restricted entries left out because the exporting user may not see them. */
  restrictedOmitted: number;
}
