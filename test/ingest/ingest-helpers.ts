import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue } from '../../src/ingest/exchange-issues.js';
import type { ExchangeItem } from '../../src/ingest/exchange-validator.js';
import type { ExchangeFileReading } from '../../src/ingest/read-exchange-file.js';

// Helpers for the ingest tests: temporary files, NDJSON from a JSON document, and a reading
// collected into plain lists that are easy to compare.

/** A temporary folder for one test file; `cleanup` removes it. */
export function tempFolder(label: string): { path: (name: string) => string; write: (name: string, content: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `throughline-ingest-${label}-`));
  return {
    path: (name) => join(dir, name),
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const ARRAYS = [
  ['sources', 'source'],
  ['records', 'record'],
  ['relationships', 'relationship'],
  ['events', 'event'],
] as const;

/** The same content as NDJSON: the header, then one line per object in the JSON order. */
export function toNdjson(doc: Record<string, unknown>): string {
  const lines = [JSON.stringify({ object: 'header', format: doc.format, title: doc.title })];
  for (const [name, kind] of ARRAYS) {
    for (const object of (doc[name] as object[] | undefined) ?? []) lines.push(JSON.stringify({ object: kind, ...object }));
  }
  return `${lines.join('\n')}\n`;
}

export interface Collected {
  items: ExchangeItem[];
  accepted: ExchangeItem[];
  rejected: ExchangeItem[];
  /** Every rejection, in its one-line form. */
  rejections: string[];
  /** Every warning (file-level first), in its one-line form. */
  warnings: string[];
}

/** Reads every item of a reading. */
export async function collect(reading: ExchangeFileReading): Promise<Collected> {
  const items: ExchangeItem[] = [];
  for await (const item of reading.items) items.push(item);
  return {
    items,
    accepted: items.filter((i) => i.status === 'accepted'),
    rejected: items.filter((i) => i.status === 'rejected'),
    rejections: items.flatMap((i) => (i.status === 'rejected' ? i.rejections.map(formatIssue) : [])),
    warnings: [...reading.warnings, ...items.flatMap((i) => i.warnings)].map(formatIssue),
  };
}
