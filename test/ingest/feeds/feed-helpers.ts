import { fileURLToPath } from 'node:url';
import { NdjsonValidator, type ExchangeItem } from '../../../src/ingest/exchange-validator.js';
import { formatIssue } from '../../../src/ingest/exchange-issues.js';
import type { AttendanceMark } from '../../../src/ingest/feeds/attendance-summary.js';
import { readFeed, type FeedItem, type FeedKind, type FeedProblem, type ReadFeedOptions } from '../../../src/ingest/feeds/feed.js';

// Helpers for the feed tests: a feed read into plain lists, problems in one-line form, and the
// objects checked by the importer's own NDJSON validator, exactly as the importer will.

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A file under test/ingest/feeds/fixtures/. */
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A sample under samples/feeds/. */
export const sample = (name: string): string => `${ROOT}samples/feeds/${name}`;

export interface ReadFeedResult {
  items: FeedItem[];
  objects: Extract<FeedItem, { type: 'object' }>[];
  problems: FeedProblem[];
  marks: AttendanceMark[];
  /** Every problem as `line N [id] field: message (severity)`, in order. */
  lines: string[];
}

/** Reads a whole feed. */
export async function readAll(kind: FeedKind, path: string, options: Partial<ReadFeedOptions> = {}): Promise<ReadFeedResult> {
  const items: FeedItem[] = [];
  for await (const item of readFeed(kind, path, { source: 'src', agency: 'other', ...options })) items.push(item);
  const problems = items.filter((item): item is FeedProblem => item.type === 'problem');
  return {
    items,
    objects: items.filter((item): item is Extract<FeedItem, { type: 'object' }> => item.type === 'object'),
    problems,
    marks: items.flatMap((item) => (item.type === 'attendance-mark' ? [item.mark] : [])),
    lines: problems.map(problemLine),
  };
}

/** A problem in one line, for comparing lists of them. */
export function problemLine(problem: FeedProblem): string {
  return `line ${problem.line}${problem.id === undefined ? '' : ` [${problem.id}]`} ${problem.field ?? '-'}: ${problem.message} (${problem.severity})`;
}

/** The object with `id`, or a failure. */
export function objectWithId(result: ReadFeedResult, id: string): Record<string, unknown> {
  const found = result.objects.find((item) => item.object.id === id);
  if (found === undefined) throw new Error(`no object ${id}; ids: ${result.objects.map((item) => String(item.object.id)).join(', ')}`);
  return found.object;
}

/** Passes each object through the importer's NdjsonValidator, numbering them as NDJSON lines after a header. */
export async function validateObjects(objects: readonly Record<string, unknown>[]): Promise<{ items: ExchangeItem[]; rejections: string[]; warnings: string[] }> {
  const validator = new NdjsonValidator();
  const items: ExchangeItem[] = [];
  for (const [i, object] of objects.entries()) {
    const item = await validator.validateLine(i + 2, JSON.stringify(object));
    if (item !== null) items.push(item);
  }
  return {
    items,
    rejections: items.flatMap((item) => (item.status === 'rejected' ? item.rejections.map(formatIssue) : [])),
    warnings: items.flatMap((item) => item.warnings.map(formatIssue)),
  };
}

/** Text of `rows`, one a line (LF), ending with a line ending. */
export function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}
