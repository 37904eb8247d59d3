// Reading an exchange file from disk: JSON (one document, read whole) or NDJSON (one object a line,
// streamed in bounded memory). No database: what comes out is each object as received, its
// normalised form and where it was, or why it was rejected; storing it is the importer's job.
//
// A file is refused as a whole (FileRefusedError, CLI exit status 2) only when nothing in it can be
// trusted: it is not JSON, not UTF-8, not this format, or its parts have the wrong types, or an
// NDJSON file lacks its header. Otherwise each object stands or falls on its own.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { UserFacingError } from '../shared/errors.js';
import { FileRefusedError, locate, type Issue } from './exchange-issues.js';
import { DEFAULT_MAX_LINE_BYTES, readFileLines, readFirstLine } from './ndjson-lines.js';
import {
  checkNdjsonHeader,
  NdjsonValidator,
  validateExchangeDocument,
  type ExchangeItem,
  type KnownIds,
  type ScenarioParts,
} from './exchange-validator.js';

/** How far through the file reading has got, for a progress bar. */
export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

export interface ReadExchangeOptions {
  /** Answers for references to objects not in the file ("imported before"). Default: none were. */
  knownIds?: KnownIds;
  /** Called as the file is read (for JSON, while it is loaded; for NDJSON, as lines are validated). */
  onProgress?: (progress: ReadProgress) => void;
  /** NDJSON: keep the file's ids in memory to resolve references to earlier lines (default true; see NdjsonValidator). */
  trackFileIds?: boolean;
  /** NDJSON: a longer line is rejected without being read. Default 16 MiB. */
  maxLineBytes?: number;
}

/** An exchange file, opened and checked as a whole; its objects are in `items`. */
export interface ExchangeFileReading {
  format: 'json' | 'ndjson';
  /** The file's `title` (JSON) or the header's (NDJSON). */
  title: string | undefined;
  /** Warnings about the file as a whole: unknown top-level or header fields. */
  warnings: Issue[];
  /** JSON only: `expect`, `expectNot` and `incident`, or null when the file has none of them. */
  scenario: ScenarioParts | null;
  /**
   * Every object, accepted or rejected. JSON: sources, then records, relationships and events,
   * each in file order. NDJSON: file order, read as it is iterated. Iterate once.
   */
  items: AsyncIterable<ExchangeItem>;
}

/**
 * A JSON document is parsed whole, so it is limited well below what a JavaScript string can hold;
 * larger imports are NDJSON.
 */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * Opens the exchange file at `path`, tells JSON from NDJSON (a `.ndjson` name, or a first line
 * that is the NDJSON header) and checks it as a whole. Throws FileRefusedError when the whole file
 * is refused, and UserFacingError when it cannot be read at all.
 */
export async function readExchangeFile(path: string, options: ReadExchangeOptions = {}): Promise<ExchangeFileReading> {
  const name = basename(path);
  const totalBytes = await sizeOf(path, name);
  if (totalBytes === 0) throw new FileRefusedError(`${name} was refused as a whole: it is empty.`, 'empty');
  const firstLine = await readFirstLine(path);
  if (extname(path).toLowerCase() === '.ndjson' || looksLikeHeader(firstLine)) {
    return openNdjson(path, name, firstLine, totalBytes, options);
  }
  return openJson(path, name, firstLine, totalBytes, options);
}

async function sizeOf(path: string, name: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserFacingError(`${name} cannot be imported: it is not a file.`);
    return info.size;
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission to read it was refused' : 'it could not be opened';
    throw new UserFacingError(`${path} cannot be imported: ${why}.`, { cause: error });
  }
}

function parsedObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function looksLikeHeader(firstLine: string | null): boolean {
  return parsedObject(firstLine)?.object === 'header';
}

// ---------------------------------------------------------------------------------------------
// JSON

async function openJson(path: string, name: string, firstLine: string | null, totalBytes: number, options: ReadExchangeOptions): Promise<ExchangeFileReading> {
  if (totalBytes > MAX_JSON_BYTES) {
    throw new FileRefusedError(
      `${name} was refused as a whole: at ${Math.round(totalBytes / 1024 / 1024)} MB it is too large to read as one JSON document (the limit is ${MAX_JSON_BYTES / 1024 / 1024} MB); send it as NDJSON, one object a line.`,
      'too-large',
    );
  }
  const bytes = await readWhole(path, totalBytes, options.onProgress);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new FileRefusedError(`${name} was refused as a whole: it is not UTF-8 text.`, 'not-utf8', { cause: error });
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw notJsonRefusal(name, text, error, firstLine);
  }
  const validated = await validateExchangeDocument(doc, name, { knownIds: options.knownIds });
  return {
    format: 'json',
    title: validated.title,
    warnings: validated.warnings,
    scenario: validated.scenario,
    items: fromArray(validated.items),
  };
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function readWhole(path: string, totalBytes: number, onProgress: ReadExchangeOptions['onProgress']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytesRead = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    bytesRead += chunk.length;
    onProgress?.({ bytesRead, totalBytes });
  }
  return Buffer.concat(chunks);
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function notJsonRefusal(name: string, text: string, error: unknown, firstLine: string | null): FileRefusedError {
  const detail = error instanceof Error ? error.message : '';
  const match = /at position (\d+)/.exec(detail);
  const offset = match ? Number(match[1]) : text.length;
  const cutOff = /end of JSON input/i.test(detail) || offset >= text.trimEnd().length;
  const { line, column } = lineAndColumn(text, Math.min(offset, text.length));
  let message = cutOff
    ? `${name} was refused as a whole: it is not complete JSON; it stops part-way through (line ${line}), so it was probably cut off.`
    : `${name} was refused as a whole: it is not valid JSON (the problem is at line ${line}, column ${column}).`;
  const first = parsedObject(firstLine);
  if (first !== null && typeof first.object === 'string') {
    message += ` If it is NDJSON, its first line must be the header {"object":"header","format":"throughline-exchange/1"}.`;
  }
  return new FileRefusedError(message, 'not-json', { cause: error });
}

// ---------------------------------------------------------------------------------------------
// NDJSON

async function openNdjson(path: string, name: string, firstLine: string | null, totalBytes: number, options: ReadExchangeOptions): Promise<ExchangeFileReading> {
  const header = checkNdjsonHeader(firstLine ?? '', name);
  return {
    format: 'ndjson',
    title: header.title,
    warnings: header.warnings,
    scenario: null,
    items: ndjsonItems(path, totalBytes, options),
  };
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${bytes} bytes`;
}

async function* ndjsonItems(path: string, totalBytes: number, options: ReadExchangeOptions): AsyncGenerator<ExchangeItem> {
  const validator = new NdjsonValidator({ knownIds: options.knownIds, trackFileIds: options.trackFileIds });
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const onBytes = options.onProgress === undefined ? undefined : (bytesRead: number) => options.onProgress?.({ bytesRead, totalBytes });
  for await (const line of readFileLines(path, { maxLineBytes, onBytes })) {
    if (line.number === 1) continue; // the header, checked when the file was opened
    if (line.text === null) {
      const location = { object: `line ${line.number}` };
      const message =
        line.problem === 'too-long'
          ? `this line is longer than ${sizeText(maxLineBytes)}, too long to be one object; it was not read`
          : 'this line is not UTF-8 text';
      yield { status: 'rejected', kind: null, object: undefined, location, rejections: locate(location, [{ field: null, message }]), warnings: [] };
      continue;
    }
    const item = await validator.validateLine(line.number, line.text, line.complete);
    if (item !== null) yield item;
  }
}
