import { afterAll, describe, expect, it } from 'vitest';
import { readCsvRows, splitCsvRow, type CsvRow } from '../../../src/ingest/feeds/csv-rows.js';
import { tempFolder } from '../ingest-helpers.js';

const folder = tempFolder('csv-rows');
afterAll(() => folder.cleanup());

async function rowsOf(content: string | Buffer, options: { maxRowBytes?: number } = {}): Promise<CsvRow[]> {
  const path = folder.write('rows.csv', content);
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(path, options)) rows.push(row);
  return rows;
}

const summary = (rows: CsvRow[]) => rows.map((row) => ({ line: row.line, fields: row.fields, problem: row.problem }));

describe('CSV rows (RFC 4180)', () => {
  it('splits fields on commas, unquotes quoted fields and keeps "" as a quote', () => {
    expect(splitCsvRow('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(splitCsvRow('"a,1","say ""hi""",')).toEqual(['a,1', 'say "hi"', '']);
    expect(splitCsvRow('')).toEqual(['']);
    expect(splitCsvRow('5" screen,x')).toEqual(['5" screen', 'x']);
    expect(splitCsvRow('"line\nbreak",end')).toEqual(['line\nbreak', 'end']);
  });

  it('numbers each row by the line it starts on, with quoted line breaks, CRLF, a BOM and blank lines', async () => {
    const rows = await rowsOf('\uFEFFh1,h2\r\n"multi\r\nline",x\r\n\r\nlast,"a\nb\nc"\nafter,1\n');
    expect(summary(rows)).toEqual([
      { line: 1, fields: ['h1', 'h2'], problem: null },
      { line: 2, fields: ['multi\r\nline', 'x'], problem: null },
      { line: 5, fields: ['last', 'a\nb\nc'], problem: null },
      { line: 8, fields: ['after', '1'], problem: null },
    ]);
    expect(rows[1]!.text).toBe('"multi\r\nline",x');
  });

  it('takes a lone CR as a line ending, and a last row without one', async () => {
    expect(summary(await rowsOf('a,b\rc,d\re,f'))).toEqual([
      { line: 1, fields: ['a', 'b'], problem: null },
      { line: 2, fields: ['c', 'd'], problem: null },
      { line: 3, fields: ['e', 'f'], problem: null },
    ]);
  });

  it('skips rows of empty fields only (what spreadsheets leave below the data)', async () => {
    expect(summary(await rowsOf('a,b\n,\n,,\nc,d\n'))).toEqual([
      { line: 1, fields: ['a', 'b'], problem: null },
      { line: 4, fields: ['c', 'd'], problem: null },
    ]);
  });

  it('reports a stray quote, a row that is not UTF-8, an over-long row and an unclosed quote, and goes on', async () => {
    const content = Buffer.concat([
      Buffer.from('ok,1\n"closed"junk,2\n'),
      Buffer.from([0x62, 0x61, 0x64, 0xff, 0x2c, 0x33, 0x0a]), // "bad\xff,3"
      Buffer.from(`${'x'.repeat(200)},4\nfine,5\n"never closed,6\nstill,inside\n`),
    ]);
    const rows = await rowsOf(content, { maxRowBytes: 100 });
    expect(summary(rows)).toEqual([
      { line: 1, fields: ['ok', '1'], problem: null },
      { line: 2, fields: null, problem: 'stray-quote' },
      { line: 3, fields: null, problem: 'not-utf8' },
      { line: 4, fields: null, problem: 'too-long' },
      { line: 5, fields: ['fine', '5'], problem: null },
      { line: 6, fields: null, problem: 'unclosed-quote' },
    ]);
  });

  it('reads rows that cross the 64 KB chunks it reads in, and counts the bytes read', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `${i},"quoted, ${i}","two\nlines ${i}"`);
    const content = `n,q,m\n${many.join('\r\n')}\r\n`;
    const path = folder.write('big.csv', content);
    const rows: CsvRow[] = [];
    let bytes = 0;
    for await (const row of readCsvRows(path, { onBytes: (b) => (bytes = b) })) rows.push(row);
    expect(rows).toHaveLength(5001);
    expect(rows.every((row) => row.problem === null)).toBe(true);
    expect(rows[4321]!.fields).toEqual(['4320', 'quoted, 4320', 'two\nlines 4320']);
    // Each data row spans two lines.
    expect(rows[4321]!.line).toBe(2 + 4320 * 2);
    expect(bytes).toBe(Buffer.byteLength(content));
  });
});
