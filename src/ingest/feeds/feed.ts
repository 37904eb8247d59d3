// Agency feeds that are not the exchange format: a health trust's FHIR R4 Bundle, a school's
// attendance register export and a police force's domestic-abuse notifications. Each is read as a
// stream and turned into exchange-format objects (the NDJSON line shape), which the importer then
// checks line by line with the NdjsonValidator and stores as it stores any exchange file. This
// module and the feeds are pure reading: no database, no clock, no network.
//
// Every feed:
// - starts with the `source` object, then yields records before the events that name them;
// - gives every object an id made only from the feed's own identifiers, so importing the same
//   file twice yields identical objects (the importer's idempotence is by content);
// - numbers each item by the physical line its row (or FHIR entry) starts on, and rejects a bad
//   row with one problem per field, going on with the rest of the file;
// - refuses a file that is not the feed at all (FileRefusedError) before it yields anything.
// docs/agency-feeds.md describes the formats and the mapping tables.
import type { Agency } from '../exchange-schema.js';
import type { AttendanceMark } from './attendance-summary.js';
import { readAttendanceCsvFeed } from './attendance-csv.feed.js';
import { readFhirBundleFeed } from './fhir-bundle.feed.js';
import { readPoliceNotificationFeed } from './police-notification.feed.js';

/** The feeds there are: `npx throughline import --kind fhir|attendance|police`. */
export type FeedKind = 'fhir' | 'attendance' | 'police';

/** Every feed kind, for command-line parsing and help. */
export const FEED_KINDS: readonly FeedKind[] = ['fhir', 'attendance', 'police'];

/** Who sent the feed: the exchange `source` every object of it belongs to. */
export interface FeedOptions {
  /** The source id (`--source`): the sending system, the same in every file it sends, and the prefix of every id. */
  source: string;
  /** The source's agency code (`--agency`). */
  agency: Agency;
  /** The source's display name; default the source id. */
  name?: string;
  /** The local authority area the source serves. */
  authority?: string;
}

/** How far through the file reading has got (a feed that reads the file more than once counts every pass). */
export interface FeedProgress {
  bytesRead: number;
  totalBytes: number;
}

/** Options for {@link readFeed}: who sent it, and a progress callback. */
export type ReadFeedOptions = FeedOptions & { onProgress?: (progress: FeedProgress) => void };

/** A problem with one row (or FHIR entry): rejected (nothing from the row is used) or a warning (the row is used). */
export interface FeedProblem {
  type: 'problem';
  /** The physical line (1-based) the row or entry starts on. */
  line: number;
  /** The id of the object the row would have given, when it is known. */
  id?: string;
  /** The column (CSV) or FHIR element path the problem is in; null when it is the row as a whole. */
  field: string | null;
  /** What was wrong, starting with the field, in the importer's style: `date "2019-13-02" is not a date`. */
  message: string;
  severity: 'rejected' | 'warning';
}

/**
 * What a feed yields, in order:
 * - `object`: an exchange object in the NDJSON line shape (`{"object": "record", ...}`), and the
 *   row text (CSV) or the FHIR resource JSON exactly as received it came from;
 * - `problem`: a rejected row or a warning;
 * - `attendance-mark` (attendance feed only): one register mark, for {@link summariseAttendance}
 *   (in attendance-summary.ts), which turns them into attendance-summary events per half term.
 */
export type FeedItem =
  | { type: 'object'; line: number; object: Record<string, unknown>; original: string }
  | FeedProblem
  | { type: 'attendance-mark'; line: number; mark: AttendanceMark; original: string };

/**
 * Reads the feed file at `path` as `kind`, one item at a time. Throws FileRefusedError (from the
 * first step of the iteration, before anything is yielded) when the file is not that feed, and
 * UserFacingError when it cannot be read at all. Iterate once.
 */
export function readFeed(kind: FeedKind, path: string, options: ReadFeedOptions): AsyncIterable<FeedItem> {
  switch (kind) {
    case 'fhir':
      return readFhirBundleFeed(path, options);
    case 'attendance':
      return readAttendanceCsvFeed(path, options);
    case 'police':
      return readPoliceNotificationFeed(path, options);
  }
}
