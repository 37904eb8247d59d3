// Lines of a file, read as a stream: only the current chunk and the current line are ever held,
// so a file of any length is read in bounded memory. Lines are split on the bytes, not on decoded
// text (what `readline` does), so that each line's UTF-8 is checked on its own, the bytes read so
// far are known exactly for a progress bar, and a line too long to be an object is skipped
// without being held.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/** One line: its 1-based number, its text (null when it could not be read), whether a line ending followed it, and why it could not be read. */
export interface FileLine {
  number: number;
  text: string | null;
  complete: boolean;
  problem: 'not-utf8' | 'too-long' | null;
}

export interface ReadLinesOptions {
  /** A line longer than this many bytes is not read (its text is null, problem 'too-long'). Default 16 MiB. */
  maxLineBytes?: number;
  /** Called after each chunk's lines have been handed on, with the bytes read so far. */
  onBytes?: (bytesRead: number) => void;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BYTE_ORDER_MARK = '\uFEFF';

/** The lines of the file at `path`, one at a time (CRLF and LF endings both; a UTF-8 byte order mark on line 1 is dropped). */
export async function* readFileLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<FileLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let number = 0;
  let bytesRead = 0;

  const finish = (last: Buffer, complete: boolean): FileLine => {
    number += 1;
    const overLimit = tooLong || pendingBytes + last.length > maxLineBytes;
    let bytes = overLimit ? null : pending.length === 0 ? last : Buffer.concat([...pending, last]);
    pending = [];
    pendingBytes = 0;
    tooLong = false;
    if (bytes === null) return { number, text: null, complete, problem: 'too-long' };
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    try {
      const text = decoder.decode(bytes);
      return { number, text: number === 1 && text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text, complete, problem: null };
    } catch {
      return { number, text: null, complete, problem: 'not-utf8' };
    }
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        yield finish(chunk.subarray(start, end), true);
        start = end + 1;
      }
      const rest = chunk.subarray(start);
      if (!tooLong && rest.length > 0) {
        if (pendingBytes + rest.length > maxLineBytes) {
          // Drop what is held of an over-long line; only its end still has to be found.
          tooLong = true;
          pending = [];
          pendingBytes = 0;
        } else {
          pending.push(rest);
          pendingBytes += rest.length;
        }
      }
      options.onBytes?.(bytesRead);
    }
    if (pendingBytes > 0 || tooLong) yield finish(Buffer.alloc(0), false);
  } finally {
    stream.destroy();
  }
}

/**
 * The first line of a file, read without a stream (to tell NDJSON from JSON, and to read the
 * NDJSON header): its text, or null when no line ending comes within `limit` bytes of a longer file.
 */
export async function readFirstLine(path: string, limit = 64 * 1024): Promise<string | null> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    const end = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
    if (end === -1 && bytesRead === limit) return null;
    let bytes = buffer.subarray(0, end === -1 ? bytesRead : end);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    const text = bytes.toString('utf8');
    return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  } finally {
    await handle.close();
  }
}
