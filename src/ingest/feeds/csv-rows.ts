// Rows of a CSV file, read as a stream (RFC 4180): only the current chunk and the current row are
// held, so a file of any length is read in bounded memory. Agency feeds arrive as CSV exported
// from a school's or a police force's system, so the reader takes what those systems write:
// quoted fields that hold commas, quotes ("") and line breaks, LF, CRLF or lone CR line endings,
// and a UTF-8 byte order mark (Excel's "CSV UTF-8").
//
// Rows are split on the bytes, not on decoded text: the bytes that matter (quote, comma, CR, LF)
// never occur inside a multi-byte UTF-8 character, so each row's UTF-8 can be checked on its own
// (one row saved in another encoding loses only itself) and the bytes read are known exactly for
// a progress bar. Lines are counted as an editor counts them, so that a row is numbered by the
// line it starts on even when a quoted field before it spans several lines.
import { createReadStream } from 'node:fs';

/** Why a row could not be read. */
export type CsvRowProblem = 'not-utf8' | 'too-long' | 'unclosed-quote' | 'stray-quote';

/** One row: the line it starts on (1-based), its fields, its text as received, or why it could not be read. */
export interface CsvRow {
  /** The physical line (1-based) the row starts on. */
  line: number;
  /** The fields, unquoted; null when the row could not be read (`problem` says why). */
  fields: string[] | null;
  /** The row as received, without its line ending (quoted line breaks kept); null when it is not UTF-8 or too long. */
  text: string | null;
  problem: CsvRowProblem | null;
}

/** Options for {@link readCsvRows}. */
export interface ReadCsvOptions {
  /** A row longer than this many bytes is not held (its fields are null, problem 'too-long'). Default 1 MiB. */
  maxRowBytes?: number;
  /** Called after each chunk's rows have been handed on, with the bytes read so far. */
  onBytes?: (bytesRead: number) => void;
}

/** A CSV row longer than this is not a row of any feed: it is a stray quote swallowing the file. */
export const DEFAULT_MAX_ROW_BYTES = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

// Where the byte scanner is within a row.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: either the first of "" or the closing quote. */
const QUOTE_IN_QUOTED = 3;

/**
 * The rows of the CSV file at `path`, one at a time, blank rows (and rows of empty fields only,
 * which spreadsheets write below the data) skipped but counted in the line numbers.
 */
export async function* readCsvRows(path: string, options: ReadCsvOptions = {}): AsyncGenerator<CsvRow> {
  const maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });

  let line = 1; // the line the scanner is on
  let rowLine = 1; // the line the current row started on
  let inRow = false;
  let state = FIELD_START;
  let stray = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let previousCr = false; // the last byte was a CR: an LF now ends the same line
  let firstRow = true;
  let bytesRead = 0;

  const hold = (piece: Buffer): void => {
    if (tooLong || piece.length === 0) return;
    if (pendingBytes + piece.length > maxRowBytes) {
      tooLong = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(piece);
    pendingBytes += piece.length;
  };

  const finish = (problemAtEnd: CsvRowProblem | null): CsvRow | null => {
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    const wasTooLong = tooLong;
    const wasStray = stray;
    pending = [];
    pendingBytes = 0;
    tooLong = false;
    stray = false;
    inRow = false;
    state = FIELD_START;
    const isFirst = firstRow;
    firstRow = false;
    if (wasTooLong) return { line: rowLine, fields: null, text: null, problem: 'too-long' };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { line: rowLine, fields: null, text: null, problem: 'not-utf8' };
    }
    if (isFirst && text.startsWith('\uFEFF')) text = text.slice(1);
    if (problemAtEnd !== null || wasStray) return { line: rowLine, fields: null, text, problem: problemAtEnd ?? 'stray-quote' };
    const fields = splitCsvRow(text);
    if (fields.every((field) => field === '')) return null;
    return { line: rowLine, fields, text, problem: null };
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      let start = 0; // where the current row's bytes begin in this chunk
      for (let i = 0; i < chunk.length; i += 1) {
        const byte = chunk[i]!;
        if (byte === LF && previousCr) {
          // The LF of a CRLF: the line was counted at the CR, and a row that ended there is done.
          previousCr = false;
          if (!inRow) start = i + 1;
          continue;
        }
        previousCr = byte === CR;
        const lineBreak = byte === LF || byte === CR;
        if (!inRow) {
          if (lineBreak) {
            // A blank line.
            line += 1;
            start = i + 1;
            continue;
          }
          inRow = true;
          rowLine = line;
          start = i;
        }
        if (state === QUOTED) {
          if (byte === QUOTE) state = QUOTE_IN_QUOTED;
          else if (lineBreak) line += 1;
          continue;
        }
        if (state === QUOTE_IN_QUOTED) {
          if (byte === QUOTE) {
            state = QUOTED; // "" inside a quoted field
            continue;
          }
          // The quoted field closed; only a comma or the end of the row may follow.
          state = UNQUOTED;
          if (byte !== COMMA && !lineBreak) stray = true;
        }
        if (byte === COMMA) {
          state = FIELD_START;
        } else if (lineBreak) {
          hold(chunk.subarray(start, i));
          line += 1;
          const row = finish(null);
          if (row !== null) yield row;
          start = i + 1;
        } else if (state === FIELD_START) {
          state = byte === QUOTE ? QUOTED : UNQUOTED;
        }
      }
      if (inRow) hold(chunk.subarray(start));
      options.onBytes?.(bytesRead);
    }
    if (inRow) {
      const row = finish(state === QUOTED ? 'unclosed-quote' : null);
      if (row !== null) yield row;
    }
  } finally {
    stream.destroy();
  }
}

/**
 * The fields of one CSV row's text (RFC 4180: a field in double quotes may hold commas, line
 * breaks and "" for a quote). A quote inside an unquoted field is kept as text, as spreadsheets do.
 */
export function splitCsvRow(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) {
          value += text.slice(i);
          i = text.length;
          break;
        }
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      // Anything between the closing quote and the comma is a stray (the scanner reports the row).
      const comma = text.indexOf(',', i);
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma === -1) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}
