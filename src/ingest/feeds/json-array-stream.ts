// One JSON document read as a stream, for a file too large to parse whole: a FHIR Bundle holds
// its resources in one top-level array ("entry"), and a health trust's extract can run to
// gigabytes. The scanner walks the document's top level, reports each top-level member's
// primitive value (so that "resourceType" can be checked before any entry is used), and hands
// over the text of each element of the one named array, exactly as received, to be parsed on
// its own. Nothing else is held: other values are skipped, tracking only strings, escapes and
// nesting depth.
//
// Like the CSV reader it works on bytes: the characters that shape JSON are ASCII and never occur
// inside a multi-byte UTF-8 character, so each element's UTF-8 is checked on its own and the line
// (and byte column) where it starts is known exactly.
import { createReadStream } from 'node:fs';

/** What a top-level member's value is. */
export type JsonValueType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** Why the document could not be read further: not JSON at that point, not an object at the top, or the file ended part-way. */
export type JsonBreak = 'not-json' | 'not-object' | 'cut-off';

/** What the scanner reports, in document order. */
export type JsonStreamEvent =
  /** A top-level member, after its value; `value` is the parsed value of a short primitive, else undefined. */
  | { kind: 'member'; key: string; type: JsonValueType; value: unknown; line: number }
  /** The named array has started (its `[` was read). */
  | { kind: 'array-start'; key: string; line: number }
  /** One element of the named array: the line and byte column of its first character, and its text (null when not UTF-8 or too long). */
  | { kind: 'element'; index: number; line: number; column: number; text: string | null; problem: 'not-utf8' | 'too-long' | null }
  /**
   * The document cannot be read further (the last event). `line`/`column` is where; for a
   * document cut off inside an element, `elementLine` is where that element started.
   */
  | { kind: 'broken'; reason: JsonBreak; line: number; column: number; elementLine: number | null };

/** Options for {@link scanJsonArrayMember}. */
export interface ScanJsonOptions {
  /** An element longer than this many bytes is not held (text null, problem 'too-long'). Default 16 MiB. */
  maxElementBytes?: number;
  /** Called after each chunk's events have been handed on, with the bytes read so far. */
  onBytes?: (bytesRead: number) => void;
}

/** An element longer than this is not one FHIR resource: it is not held (a problem instead). */
export const DEFAULT_MAX_ELEMENT_BYTES = 16 * 1024 * 1024;
/** Top-level primitives longer than this are reported without their value (nothing this project reads is that long). */
const MAX_PRIMITIVE_BYTES = 4096;
const CHUNK_BYTES = 64 * 1024;

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === LF || byte === 0x0d;
}

/** Bytes that end a number or literal. */
function endsPrimitive(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte);
}

// Scanner states.
enum S {
  /** Before the document's first character (a byte order mark is skipped). */
  Start,
  /** After `{`: a key or `}`. */
  KeyOrEnd,
  /** After `,`: a key. */
  Key,
  /** Inside a key's quotes. */
  InKey,
  /** After a key: `:`. */
  Colon,
  /** After `:`: a value. */
  Value,
  /** Inside a top-level string value. */
  InString,
  /** Inside a top-level number or literal. */
  InPrimitive,
  /** Inside a top-level object or array that is not the named one (skipped). */
  Skipping,
  /** After a top-level value: `,` or `}`. */
  CommaOrEnd,
  /** After the named array's `[`: an element or `]`. */
  ElementOrEnd,
  /** After `,` in the named array: an element. */
  Element,
  /** Inside an element. */
  InElement,
  /** After an element: `,` or `]`. */
  ElementCommaOrEnd,
  /** After the document's closing `}`: only whitespace. */
  Done,
}

/**
 * Scans the JSON document at `path`, which should be one object, reporting its top-level members
 * and the elements of its top-level array member `arrayKey` one at a time. Stops at the first
 * place the document cannot be read (a `broken` event); elements before it have been reported.
 */
export async function* scanJsonArrayMember(path: string, arrayKey: string, options: ScanJsonOptions = {}): AsyncGenerator<JsonStreamEvent> {
  const maxElementBytes = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
  const keyDecoder = new TextDecoder('utf-8');
  const elementDecoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });

  let state: S = S.Start;
  let line = 1;
  let lineStartOffset = 0; // file offset of the current line's first byte
  let offset = 0; // file offset of the current chunk's first byte
  let bytesRead = 0;

  // Strings: inside one, and whether the last byte was a backslash.
  let inString = false;
  let escaped = false;
  let depth = 0;

  // What is being collected: a key, a primitive value, or an element.
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let overLimit = false;
  let collectLimit = 0;
  let key = '';
  let valueLine = 1;
  let elementLine = 1;
  let elementColumn = 1;
  let elementIndex = 0;
  let startOffset: number; // where what is being collected starts in the current chunk (0 when it began in an earlier one)

  const collect = (piece: Buffer): void => {
    if (overLimit || piece.length === 0) return;
    if (pieceBytes + piece.length > collectLimit) {
      overLimit = true;
      pieces = [];
      pieceBytes = 0;
      return;
    }
    pieces.push(piece);
    pieceBytes += piece.length;
  };
  const take = (): Buffer | null => {
    const bytes = overLimit ? null : pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    pieces = [];
    pieceBytes = 0;
    overLimit = false;
    return bytes;
  };
  const begin = (limit: number): void => {
    pieces = [];
    pieceBytes = 0;
    overLimit = false;
    collectLimit = limit;
  };
  const column = (at: number): number => offset + at - lineStartOffset + 1;
  const broken = (reason: JsonBreak, at: number, inElement: boolean): JsonStreamEvent => ({
    kind: 'broken',
    reason,
    line,
    column: column(at),
    elementLine: inElement ? elementLine : null,
  });
  const member = (type: JsonValueType, bytes: Buffer | null): JsonStreamEvent => {
    let value: unknown;
    if (bytes !== null && (type === 'string' || type === 'number' || type === 'boolean' || type === 'null')) {
      try {
        value = JSON.parse(keyDecoder.decode(bytes));
      } catch {
        value = undefined;
      }
    }
    return { kind: 'member', key, type, value, line: valueLine };
  };
  const primitiveType = (first: number): JsonValueType => (first === 0x74 || first === 0x66 ? 'boolean' : first === 0x6e ? 'null' : 'number');
  let primitiveFirst = 0;

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      const events: JsonStreamEvent[] = [];
      let stop = false;
      // Set when the byte that ended a number or literal must be read again as what follows it.
      let again = false;
      startOffset = 0;
      for (let i = 0; i < chunk.length && !stop; i += 1) {
        const byte = chunk[i]!;
        switch (state) {
          case S.Start:
            if (isWhitespace(byte)) break;
            if (offset + i === 0 && byte === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
              i += 2; // a UTF-8 byte order mark
              break;
            }
            if (byte === OPEN_BRACE) state = S.KeyOrEnd;
            else {
              const json = byte === OPEN_BRACKET || byte === QUOTE || byte === 0x2d || (byte >= 0x30 && byte <= 0x39) || byte === 0x74 || byte === 0x66 || byte === 0x6e;
              events.push(broken(json ? 'not-object' : 'not-json', i, false));
              stop = true;
            }
            break;
          case S.KeyOrEnd:
          case S.Key:
            if (isWhitespace(byte)) break;
            if (byte === QUOTE) {
              state = S.InKey;
              begin(MAX_PRIMITIVE_BYTES);
              startOffset = i + 1;
              escaped = false;
            } else if (byte === CLOSE_BRACE && state === S.KeyOrEnd) {
              state = S.Done;
            } else {
              events.push(broken('not-json', i, false));
              stop = true;
            }
            break;
          case S.InKey:
            if (escaped) escaped = false;
            else if (byte === BACKSLASH) escaped = true;
            else if (byte === QUOTE) {
              collect(chunk.subarray(startOffset, i));
              const bytes = take();
              try {
                key = bytes === null ? '' : (JSON.parse(`"${keyDecoder.decode(bytes)}"`) as string);
              } catch {
                key = '';
              }
              state = S.Colon;
            }
            break;
          case S.Colon:
            if (isWhitespace(byte)) break;
            if (byte === COLON) state = S.Value;
            else {
              events.push(broken('not-json', i, false));
              stop = true;
            }
            break;
          case S.Value:
            if (isWhitespace(byte)) break;
            valueLine = line;
            if (byte === OPEN_BRACKET && key === arrayKey) {
              events.push({ kind: 'array-start', key, line });
              state = S.ElementOrEnd;
            } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
              state = S.Skipping;
              primitiveFirst = byte;
              depth = 1;
              inString = false;
              escaped = false;
            } else if (byte === QUOTE) {
              state = S.InString;
              begin(MAX_PRIMITIVE_BYTES);
              startOffset = i;
              escaped = false;
            } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === COMMA || byte === COLON) {
              events.push(broken('not-json', i, false));
              stop = true;
            } else {
              state = S.InPrimitive;
              primitiveFirst = byte;
              begin(MAX_PRIMITIVE_BYTES);
              startOffset = i;
            }
            break;
          case S.InString:
            if (escaped) escaped = false;
            else if (byte === BACKSLASH) escaped = true;
            else if (byte === QUOTE) {
              collect(chunk.subarray(startOffset, i + 1));
              events.push(member('string', take()));
              state = S.CommaOrEnd;
            }
            break;
          case S.InPrimitive:
            if (!endsPrimitive(byte)) break;
            collect(chunk.subarray(startOffset, i));
            {
              const bytes = take();
              const event = member(primitiveType(primitiveFirst), bytes);
              if (bytes !== null && (event as { value: unknown }).value === undefined) {
                events.push(broken('not-json', i, false));
                stop = true;
                break;
              }
              events.push(event);
            }
            state = S.CommaOrEnd;
            again = true;
            break;
          case S.Skipping:
            if (inString) {
              if (escaped) escaped = false;
              else if (byte === BACKSLASH) escaped = true;
              else if (byte === QUOTE) inString = false;
            } else if (byte === QUOTE) inString = true;
            else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
            else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
              depth -= 1;
              if (depth === 0) {
                events.push(member(primitiveFirst === OPEN_BRACE ? 'object' : 'array', null));
                state = S.CommaOrEnd;
              }
            }
            break;
          case S.CommaOrEnd:
            if (isWhitespace(byte)) break;
            if (byte === COMMA) state = S.Key;
            else if (byte === CLOSE_BRACE) state = S.Done;
            else {
              events.push(broken('not-json', i, false));
              stop = true;
            }
            break;
          case S.ElementOrEnd:
          case S.Element:
            if (isWhitespace(byte)) break;
            if (byte === CLOSE_BRACKET && state === S.ElementOrEnd) {
              events.push(member('array', null));
              state = S.CommaOrEnd;
              break;
            }
            if (byte === CLOSE_BRACKET || byte === COMMA || byte === CLOSE_BRACE || byte === COLON) {
              events.push(broken('not-json', i, false));
              stop = true;
              break;
            }
            state = S.InElement;
            elementLine = line;
            elementColumn = column(i);
            begin(maxElementBytes);
            startOffset = i;
            inString = byte === QUOTE;
            escaped = false;
            // A number or literal element (depth 0, not a string) ends at the next delimiter.
            depth = byte === OPEN_BRACE || byte === OPEN_BRACKET ? 1 : 0;
            break;
          case S.InElement: {
            let ended = false;
            let endAt = i + 1; // the element's bytes end before this index
            if (inString) {
              if (escaped) escaped = false;
              else if (byte === BACKSLASH) escaped = true;
              else if (byte === QUOTE) {
                inString = false;
                if (depth === 0) ended = true;
              }
            } else if (depth === 0) {
              // Inside a number or literal element.
              if (endsPrimitive(byte)) {
                ended = true;
                endAt = i;
              }
            } else if (byte === QUOTE) inString = true;
            else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
            else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
              depth -= 1;
              if (depth === 0) ended = true;
            }
            if (ended) {
              collect(chunk.subarray(startOffset, endAt));
              events.push(element());
              state = S.ElementCommaOrEnd;
              if (endAt === i) again = true;
            }
            break;
          }
          case S.ElementCommaOrEnd:
            if (isWhitespace(byte)) break;
            if (byte === COMMA) state = S.Element;
            else if (byte === CLOSE_BRACKET) {
              events.push(member('array', null));
              state = S.CommaOrEnd;
            } else {
              events.push(broken('not-json', i, false));
              stop = true;
            }
            break;
          case S.Done:
            if (isWhitespace(byte)) break;
            events.push(broken('not-json', i, false));
            stop = true;
            break;
        }
        if (again) {
          again = false;
          i -= 1;
        } else if (byte === LF && !stop) {
          line += 1;
          lineStartOffset = offset + i + 1;
        }
      }
      if (!stop) {
        // What is being collected continues into the next chunk.
        if (state === S.InElement || state === S.InKey || state === S.InString || state === S.InPrimitive) collect(chunk.subarray(startOffset));
      }
      offset += chunk.length;
      for (const event of events) yield event;
      if (stop) return;
      options.onBytes?.(bytesRead);
    }
    if (state === S.InPrimitive) {
      // A number or literal that ends the file: the document is still cut off (no closing brace).
      yield broken('cut-off', 0, false);
      return;
    }
    if (state !== S.Done) {
      const inElement = state === S.InElement;
      yield { kind: 'broken', reason: state === S.Start ? 'not-json' : 'cut-off', line, column: offset - lineStartOffset + 1, elementLine: inElement ? elementLine : null };
    }
  } finally {
    stream.destroy();
  }

  function element(): JsonStreamEvent {
    const bytes = take();
    const index = elementIndex;
    elementIndex += 1;
    if (bytes === null) return { kind: 'element', index, line: elementLine, column: elementColumn, text: null, problem: 'too-long' };
    try {
      return { kind: 'element', index, line: elementLine, column: elementColumn, text: elementDecoder.decode(bytes), problem: null };
    } catch {
      return { kind: 'element', index, line: elementLine, column: elementColumn, text: null, problem: 'not-utf8' };
    }
  }
}

/**
 * The text of member `key`'s value in the JSON object `objectText`, exactly as written (for a
 * FHIR entry, its `resource` as received), or null when the object has no such member. The text
 * must be valid JSON (it has been parsed already); only the top level of the object is searched.
 */
export function memberText(objectText: string, key: string): string | null {
  let i = objectText.indexOf('{');
  if (i === -1) return null;
  i += 1;
  const length = objectText.length;
  const skipSpace = (): void => {
    while (i < length && /\s/.test(objectText[i]!)) i += 1;
  };
  /** The index just after the string starting at `at` (a quote). */
  const stringEnd = (at: number): number => {
    let j = at + 1;
    while (j < length) {
      const c = objectText[j]!;
      if (c === '\\') j += 2;
      else if (c === '"') return j + 1;
      else j += 1;
    }
    return length;
  };
  /** The index just after the value starting at `at`. */
  const valueEnd = (at: number): number => {
    const first = objectText[at];
    if (first === '"') return stringEnd(at);
    if (first !== '{' && first !== '[') {
      let j = at;
      while (j < length && !/[\s,}\]]/.test(objectText[j]!)) j += 1;
      return j;
    }
    let depth = 0;
    let j = at;
    while (j < length) {
      const c = objectText[j]!;
      if (c === '"') {
        j = stringEnd(j);
        continue;
      }
      if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
      j += 1;
    }
    return length;
  };
  for (;;) {
    skipSpace();
    if (objectText[i] !== '"') return null;
    const keyEnd = stringEnd(i);
    const name = JSON.parse(objectText.slice(i, keyEnd)) as string;
    i = keyEnd;
    skipSpace();
    i += 1; // the colon
    skipSpace();
    const end = valueEnd(i);
    if (name === key) return objectText.slice(i, end);
    i = end;
    skipSpace();
    if (objectText[i] !== ',') return null;
    i += 1;
  }
}
