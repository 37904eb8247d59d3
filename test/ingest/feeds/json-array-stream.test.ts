import { afterAll, describe, expect, it } from 'vitest';
import { memberText, scanJsonArrayMember, type JsonStreamEvent } from '../../../src/ingest/feeds/json-array-stream.js';
import { tempFolder } from '../ingest-helpers.js';

const folder = tempFolder('json-stream');
afterAll(() => folder.cleanup());

async function scan(content: string | Buffer, key = 'entry', options: { maxElementBytes?: number } = {}): Promise<JsonStreamEvent[]> {
  const path = folder.write('doc.json', content);
  const events: JsonStreamEvent[] = [];
  for await (const event of scanJsonArrayMember(path, key, options)) events.push(event);
  return events;
}

describe('streaming a JSON document', () => {
  it('reports top-level members and each element of the named array with the line it starts on, exactly as written', async () => {
    const doc = '{\n  "resourceType": "Bundle",\n  "total": 2,\n  "meta": {"tag": ["x", {"y": "]"}]},\n  "entry": [\n    {"a": "brace } and \\" quote", "n": [1, 2]},\n\n    {"b":\n      {"c": null}\n    }, 7, "text", true\n  ],\n  "ok": false\n}\n';
    const events = await scan(doc);
    expect(events).toEqual([
      { kind: 'member', key: 'resourceType', type: 'string', value: 'Bundle', line: 2 },
      { kind: 'member', key: 'total', type: 'number', value: 2, line: 3 },
      { kind: 'member', key: 'meta', type: 'object', value: undefined, line: 4 },
      { kind: 'array-start', key: 'entry', line: 5 },
      { kind: 'element', index: 0, line: 6, column: 5, text: '{"a": "brace } and \\" quote", "n": [1, 2]}', problem: null },
      { kind: 'element', index: 1, line: 8, column: 5, text: '{"b":\n      {"c": null}\n    }', problem: null },
      { kind: 'element', index: 2, line: 10, column: 8, text: '7', problem: null },
      { kind: 'element', index: 3, line: 10, column: 11, text: '"text"', problem: null },
      { kind: 'element', index: 4, line: 10, column: 19, text: 'true', problem: null },
      { kind: 'member', key: 'entry', type: 'array', value: undefined, line: 5 },
      { kind: 'member', key: 'ok', type: 'boolean', value: false, line: 12 },
    ]);
  });

  it('reads only the top-level array of that name, not one nested deeper', async () => {
    const events = await scan('{"outer": {"entry": [1]}, "entry": [{"entry": [2]}]}');
    expect(events.filter((e) => e.kind === 'element').map((e) => (e as { text: string }).text)).toEqual(['{"entry": [2]}']);
  });

  it('says where a document stops being JSON, is not an object, or is cut off', async () => {
    expect((await scan('[1, 2]'))[0]).toMatchObject({ kind: 'broken', reason: 'not-object', line: 1, column: 1 });
    expect((await scan('upn,date\n1,2\n'))[0]).toMatchObject({ kind: 'broken', reason: 'not-json', line: 1, column: 1 });
    expect((await scan('{"a": 1,\n "b" 2}')).at(-1)).toMatchObject({ kind: 'broken', reason: 'not-json', line: 2, column: 6 });
    expect((await scan('{"entry": [{"a": 1}, {"b": [1, 2'))).toEqual([
      { kind: 'array-start', key: 'entry', line: 1 },
      { kind: 'element', index: 0, line: 1, column: 12, text: '{"a": 1}', problem: null },
      { kind: 'broken', reason: 'cut-off', line: 1, column: 33, elementLine: 1 },
    ]);
    expect((await scan('{"entry": [{"a": 1}]')).at(-1)).toMatchObject({ kind: 'broken', reason: 'cut-off', elementLine: null });
    expect((await scan('{"a": 1} x')).at(-1)).toMatchObject({ kind: 'broken', reason: 'not-json' });
  });

  it('passes over a byte order mark, and reports an element that is not UTF-8 or is too long without holding it', async () => {
    const doc = Buffer.concat([Buffer.from('\uFEFF{"entry": ["ok", "'), Buffer.from([0xff]), Buffer.from(`", "${'x'.repeat(500)}", 3]}`)]);
    const elements = (await scan(doc, 'entry', { maxElementBytes: 100 })).filter((e) => e.kind === 'element');
    expect(elements.map((e) => [(e as { text: string | null }).text, (e as { problem: string | null }).problem])).toEqual([
      ['"ok"', null],
      [null, 'not-utf8'],
      [null, 'too-long'],
      ['3', null],
    ]);
  });

  it('reads elements across the 64 KB chunks it reads in, and each parses to what JSON.parse reads', async () => {
    const entries = Array.from({ length: 3000 }, (_, i) => ({ i, text: `line\n${i} "quoted" {not a brace} ]`, nested: { list: [i, [i, { deep: '\\' }]] } }));
    const doc = JSON.stringify({ resourceType: 'Bundle', entry: entries }, null, 2);
    const events = await scan(doc);
    const parsed = events.filter((e) => e.kind === 'element').map((e) => JSON.parse((e as { text: string }).text) as unknown);
    expect(parsed).toEqual(entries);
    const lines = doc.split('\n');
    for (const event of events) {
      if (event.kind === 'element') expect(lines[event.line - 1]!.trim()).toBe('{');
    }
  });
});

describe('memberText', () => {
  it('gives the text of one member of an object exactly as written', () => {
    const text = '{ "fullUrl": "x", "resource" : {"resourceType": "Patient", "id": "a", "n": ["}"]} , "search": {"mode": "match"} }';
    expect(memberText(text, 'resource')).toBe('{"resourceType": "Patient", "id": "a", "n": ["}"]}');
    expect(memberText(text, 'fullUrl')).toBe('"x"');
    expect(memberText(text, 'missing')).toBeNull();
    expect(memberText('{"a": {"resource": 1}, "b": 2}', 'resource')).toBeNull();
  });
});
