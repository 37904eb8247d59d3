import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../helpers/shared-material.js';
import { FileRefusedError } from '../../src/ingest/exchange-issues.js';
import type { AcceptedObject } from '../../src/ingest/exchange-validator.js';
import { readExchangeFile, type ReadProgress } from '../../src/ingest/read-exchange-file.js';
import { UserFacingError } from '../../src/shared/errors.js';
import { collect, tempFolder, toNdjson } from './ingest-helpers.js';

const SCENARIO = sharedDir('scenarios', 'ordinary-1.json');
const folder = tempFolder('read');
afterAll(() => folder.cleanup());

const header = '{"object":"header","format":"throughline-exchange/1"}';
const source = { object: 'source', id: 'gp', agency: 'gp', name: 'Northshire Surgery' };
const person = { object: 'record', id: 'gp:ann', source: 'gp', givenName: 'Ann', dateOfBirth: '1980-01-01' };
const event = { object: 'event', id: 'gp:e1', source: 'gp', type: 'concern', date: '2024-01-05', subjects: ['gp:ann'] };
const ndjson = (...lines: (string | object)[]) => `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`;

/** The FileRefusedError that reading `path` throws. */
async function refusal(path: string): Promise<FileRefusedError> {
  const error = await readExchangeFile(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileRefusedError);
  return error as FileRefusedError;
}

describe('JSON files refused whole', () => {
  it('refuses a file cut off half-way, in plain English, with exit status 2', async () => {
    const text = readFileSync(SCENARIO, 'utf8');
    const error = await refusal(folder.write('cut.json', text.slice(0, Math.floor(text.length / 2))));
    expect(error.reason).toBe('not-json');
    expect(error.exitCode).toBe(2);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.message).toMatch(/^cut\.json was refused as a whole: it is not complete JSON; it stops part-way through \(line \d+\), so it was probably cut off\.$/);
  });

  it('says where JSON that is not cut off goes wrong', async () => {
    const error = await refusal(folder.write('comma.json', '{\n  "format": "throughline-exchange/1",\n  "sources": [1 2]\n}\n'));
    expect(error.message).toBe('comma.json was refused as a whole: it is not valid JSON (the problem is at line 3, column 17).');
  });

  it('refuses what is not this format or has the wrong structure', async () => {
    const cases: [string, string, string][] = [
      ['{"sources": []}', 'not-exchange-format', 'it has no "format", so it is not a Throughline exchange file (expected "format": "throughline-exchange/1")'],
      ['{"format": "throughline-exchange/2"}', 'not-exchange-format', 'its "format" is "throughline-exchange/2", but this version reads only "throughline-exchange/1"'],
      ['[1, 2]', 'not-exchange-format', 'it is JSON, but a list rather than one object with "format": "throughline-exchange/1"'],
      ['{"format": "throughline-exchange/1", "events": {"id": "x"}}', 'bad-structure', '"events" must be a list (a JSON array), but it is an object'],
      ['{"format": "throughline-exchange/1", "records": "none"}', 'bad-structure', '"records" must be a list (a JSON array), but it is "none"'],
      ['{"format": "throughline-exchange/1", "incident": []}', 'bad-structure', '"incident" must be an object, but it is a list'],
      ['{"format": "throughline-exchange/1", "title": 7}', 'bad-structure', '"title" must be text, but it is the number 7'],
    ];
    for (const [content, reason, why] of cases) {
      const error = await refusal(folder.write('shape.json', content));
      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`shape.json was refused as a whole: ${why}.`);
    }
  });

  it('refuses an empty file and one that is not UTF-8', async () => {
    expect((await refusal(folder.write('empty.json', ''))).message).toBe('empty.json was refused as a whole: it is empty.');
    const latin1 = Buffer.from('{"format": "throughline-exchange/1", "title": "caf\xe9"}', 'latin1');
    expect((await refusal(folder.write('latin1.json', latin1))).reason).toBe('not-utf8');
  });

  it('says plainly when a file cannot be read at all', async () => {
    await expect(readExchangeFile(folder.path('missing.json'))).rejects.toThrow(/missing\.json cannot be imported: there is no such file\./);
  });

  it('hints at the header when a multi-line file looks like NDJSON without one', async () => {
    const error = await refusal(folder.write('headless.json', ndjson(source, person)));
    expect(error.message).toContain('If it is NDJSON, its first line must be the header');
  });
});

describe('JSON files read object by object', () => {
  it('rejects an element that is not an object, and reads a byte order mark, null fields and missing arrays', async () => {
    const content = `\uFEFF${JSON.stringify({
      format: 'throughline-exchange/1',
      sources: [{ id: 'gp', agency: 'gp', name: 'Surgery', authority: null }, 'gp'],
      records: [{ id: 'gp:ann', source: 'gp', givenName: null, familyName: 'Able' }],
    })}`;
    const reading = await readExchangeFile(folder.write('bom.json', content));
    const got = await collect(reading);
    expect(got.rejections).toEqual(['sources[1]: this is not a JSON object ({ ... })']);
    expect(got.accepted.map((item) => item.location.id)).toEqual(['gp', 'gp:ann']);
    expect(reading.scenario).toBeNull();
    const ann = got.accepted[1] as AcceptedObject<'record'>;
    expect(ann.normalised).toEqual({ id: 'gp:ann', source: 'gp', familyName: 'Able', kind: 'person' });
  });

  it('reports what is missing and what is of the wrong type', async () => {
    const doc = {
      format: 'throughline-exchange/1',
      sources: [{ id: 'gp', agency: 'gp', name: 'Surgery' }],
      events: [
        { id: 'gp:e1', source: 'gp', type: 'appointment', date: '2024-01-05', subjects: [] },
        { id: 'gp:e2', type: 'factor', date: 20240105, subjects: 'gp:ann', code: '99Z', status: 'present' },
        { source: 'gp', type: 'assessment', date: '2024', subjects: ['gp:x'], kind: 'neglect-tool', status: 'completed', factors: ['16A', 'hungry'], grades: { nutrition: 6 } },
      ],
      records: [{ id: 'gp:x', source: 'gp' }],
    };
    const got = await collect(await readExchangeFile(folder.write('types.json', JSON.stringify(doc))));
    expect(got.rejections).toEqual([
      'events[0] (id "gp:e1"): subjects must name at least one record',
      'events[0] (id "gp:e1"): status is missing',
      'events[1] (id "gp:e2"): source is missing',
      'events[1] (id "gp:e2"): date must be a date written as text, such as "2019-05-02", not the number 20240105',
      'events[1] (id "gp:e2"): subjects must be a list of record ids, not "gp:ann"',
      'events[1] (id "gp:e2"): code "99Z" is not a factor code',
      'events[2]: id is missing',
      'events[2]: factors[1] "hungry" is not a factor code',
      'events[2]: grades.nutrition must be a whole number from 1 to 5, not the number 6',
    ]);
  });

  it('reports progress in bytes up to the whole file', async () => {
    const seen: ReadProgress[] = [];
    await collect(await readExchangeFile(SCENARIO, { onProgress: (p) => seen.push(p) }));
    const total = readFileSync(SCENARIO).length;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ bytesRead: total, totalBytes: total });
    expect(seen.map((p) => p.bytesRead)).toEqual([...seen.map((p) => p.bytesRead)].sort((a, b) => a - b));
  });
});

describe('NDJSON files', () => {
  it('yields everything but a cut-off last line, which is rejected as its line', async () => {
    const reading = await readExchangeFile('test/fixtures/exchange/cut-off.ndjson');
    const got = await collect(reading);
    expect(reading.format).toBe('ndjson');
    expect(reading.title).toBe('Cut off part-way through its last line');
    expect(got.accepted.map((item) => `${item.location.object} ${item.location.id}`)).toEqual([
      'line 2 hv', 'line 3 hv:baby', 'line 4 hv:mum', 'line 5 hv:r1', 'line 6 hv:e001', 'line 7 hv:e002',
    ]);
    expect(got.rejections).toEqual(['line 8: this line is not complete JSON, and it is the last line with no line ending: the file was probably cut off']);
    expect(got.rejected[0]).toMatchObject({ kind: null, location: { object: 'line 8' }, rejections: [{ field: null }] });
  });

  it('refuses a file without the header line, whole', async () => {
    const error = await refusal(folder.write('no-header.ndjson', ndjson(source, person)));
    expect(error.reason).toBe('no-header');
    expect(error.message).toBe(
      'no-header.ndjson was refused as a whole: it is read as NDJSON, but its first line is not the header {"object":"header","format":"throughline-exchange/1"}.',
    );
    expect((await refusal(folder.write('late-header.ndjson', ndjson(source, header)))).reason).toBe('no-header');
    expect((await refusal(folder.write('wrong.ndjson', ndjson('{"object":"header","format":"other/9"}', source)))).message).toBe(
      'wrong.ndjson was refused as a whole: its header has "format" "other/9", but this version reads only "throughline-exchange/1".',
    );
  });

  it('is told from JSON by its header, whatever the file is called', async () => {
    const reading = await readExchangeFile(folder.write('export.json', ndjson(header, source)));
    expect(reading.format).toBe('ndjson');
    expect((await collect(reading)).accepted).toHaveLength(1);
  });

  it('rejects bad lines on their own: not JSON, not an object, no kind, a second header, a reference forward', async () => {
    const path = folder.write(
      'mixed.ndjson',
      ndjson(
        header,
        source,
        '{"object":"record", this is not json',
        '[1,2]',
        { id: 'x' },
        { object: 'header', format: 'throughline-exchange/1' },
        { object: 'person', id: 'gp:p' },
        { ...event, id: 'gp:e0' }, // gp:ann is only on the next line
        '',
        person,
        event,
        { ...event, id: 'gp:e1', date: '2024-01-06' },
        { ...event, id: 'gp:e2', about: ['gp:e3'] },
      ),
    );
    const got = await collect(await readExchangeFile(path));
    expect(got.rejections).toEqual([
      'line 3: this line is not valid JSON (the problem is at character 21)',
      'line 4: this is not a JSON object ({ ... })',
      'line 5 (id "x"): object is missing (each line says what it is: "source", "record", "relationship" or "event")',
      'line 6: object "header" may only be on the first line',
      'line 7 (id "gp:p"): object "person" is not one of: source, record, relationship, event',
      'line 8 (id "gp:e0"): subjects[0] "gp:ann" is not a record earlier in this file or imported before',
      'line 12 (id "gp:e1"): id "gp:e1" is used again: line 11 already has it',
      'line 13 (id "gp:e2"): about[0] "gp:e3" is not an event earlier in this file or imported before',
    ]);
    expect(got.accepted.map((item) => item.location.object)).toEqual(['line 2', 'line 10', 'line 11']);
  });

  it('reads CRLF line endings and a byte order mark, and warns about unknown header fields', async () => {
    const text = `\uFEFF${ndjson('{"object":"header","format":"throughline-exchange/1","title":"t","exportedBy":"x"}', source, person).replace(/\n/g, '\r\n')}`;
    const reading = await readExchangeFile(folder.write('crlf.ndjson', text));
    const got = await collect(reading);
    expect(got.rejections).toEqual([]);
    expect(got.accepted).toHaveLength(2);
    expect(got.warnings).toEqual(['line 1: exportedBy is not a field of the header; kept as received, not used']);
  });

  it('rejects a line that is not UTF-8, or too long to be an object, without reading the rest wrongly', async () => {
    const bad = Buffer.concat([Buffer.from(ndjson(header, source)), Buffer.from('{"object":"record","id":"gp:\xff"}\n', 'latin1'), Buffer.from(ndjson(`{"object":"record","id":"gp:long","source":"gp","summary":"${'x'.repeat(3000)}"}`, person))]);
    const got = await collect(await readExchangeFile(folder.write('bytes.ndjson', bad), { maxLineBytes: 1000 }));
    expect(got.rejections).toEqual(['line 3: this line is not UTF-8 text', 'line 4: this line is longer than 1000 bytes, too long to be one object; it was not read']);
    expect(got.accepted.map((item) => item.location.object)).toEqual(['line 2', 'line 5']);
  });

  it('can leave earlier lines to the caller (knownIds) instead of keeping their ids', async () => {
    const stored = new Set<string>();
    const reading = await readExchangeFile(folder.write('stored.ndjson', ndjson(header, source, person, event)), {
      trackFileIds: false,
      knownIds: (kind, id) => stored.has(`${kind}:${id}`),
    });
    const accepted: string[] = [];
    for await (const item of reading.items) {
      expect(item.status).toBe('accepted');
      if (item.status === 'accepted') {
        stored.add(`${item.kind}:${item.location.id}`); // the importer stores each object before the next
        accepted.push(item.location.id!);
      }
    }
    expect(accepted).toEqual(['gp', 'gp:ann', 'gp:e1']);
  });

  it('warns about a child who "did not attend" only when an earlier line shows the child was under 18', async () => {
    const child = { ...person, id: 'gp:kid', dateOfBirth: '2015' };
    const dna = (id: string, subject: string) => ({ ...event, id, type: 'appointment', status: 'did-not-attend', subjects: [subject] });
    const got = await collect(
      await readExchangeFile(folder.write('dna.ndjson', ndjson(header, source, person, child, dna('gp:e1', 'gp:ann'), dna('gp:e2', 'gp:kid'), dna('gp:e3', 'gp:old'))), {
        knownIds: (kind, id) => kind === 'record' && id === 'gp:old',
      }),
    );
    expect(got.rejections).toEqual([]);
    expect(got.warnings).toEqual([
      'line 6 (id "gp:e2"): status "did-not-attend" is for adults, but subject "gp:kid" was under 18 on this date; it will be read as was-not-brought',
    ]);
  });

  it('reports progress as it streams, ending at the whole file', async () => {
    const path = folder.write('progress.ndjson', toNdjson(JSON.parse(readFileSync(SCENARIO, 'utf8')) as Record<string, unknown>));
    const seen: ReadProgress[] = [];
    await collect(await readExchangeFile(path, { onProgress: (p) => seen.push(p) }));
    const total = readFileSync(path).length;
    expect(seen.at(-1)).toEqual({ bytesRead: total, totalBytes: total });
  });
});
