/**
 * `import` and `export identities` through the real command line, on the embedded store: the JSON
 * summary on standard output, exit statuses (0, 1 with a rejection, 2 for a file refused whole, the
 * highest of several files), idempotence, and identities exported as the issue defines them.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../helpers/shared-material.js';
import { runCli, show, TempDirs } from './cli-harness.js';

const STEP = 120_000;
const ENV = { LOG_LEVEL: 'silent' };
const SCENARIO = join(sharedDir('scenarios'), 'ordinary-1.json');

describe('npx throughline import / export identities', () => {
  const dirs = new TempDirs();
  const data = dirs.make('import-cli');
  afterAll(() => dirs.removeAll());

  it('imports a scenario into its own partnership, prints one JSON summary and exits 0', { timeout: STEP }, async () => {
    const result = await runCli(['import', SCENARIO, '--data', data, '--partnership', 'ordinary-1'], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const summary = JSON.parse(result.stdout) as { files: { file: string; imported: Record<string, number>; rejected: unknown[] }[] };
    expect(summary.files).toHaveLength(1);
    expect(summary.files[0]!.file).toBe('ordinary-1.json');
    expect(summary.files[0]!.imported.records).toBeGreaterThan(0);
    expect(summary.files[0]!.rejected).toEqual([]);
  });

  it('changes nothing the second time', { timeout: STEP }, async () => {
    const result = await runCli(['import', SCENARIO, '--data', data, '--partnership', 'ordinary-1'], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const file = (JSON.parse(result.stdout) as { files: { imported: Record<string, number>; updated: Record<string, number> }[] }).files[0]!;
    expect(file.imported).toEqual({ records: 0, relationships: 0, events: 0 });
    expect(file.updated).toEqual({ records: 0, relationships: 0, events: 0 });
  });

  it('exports identities: every record exactly once, sorted, with the format named', { timeout: STEP }, async () => {
    const result = await runCli(['export', 'identities', '--json', '--data', data, '--partnership', 'ordinary-1'], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const out = JSON.parse(result.stdout) as { format: string; persons: { id: string; records: string[] }[]; reviewQueue: { records: string[]; score: number }[] };
    expect(out.format).toBe('throughline-identities/1');
    const all = out.persons.flatMap((p) => p.records);
    expect(new Set(all).size).toBe(all.length);
    for (const p of out.persons) expect(p.records).toEqual([...p.records].sort());
    expect(out.persons.map((p) => p.records[0])).toEqual(out.persons.map((p) => p.records[0]).sort());
    for (const item of out.reviewQueue) expect(item.score).toBeGreaterThanOrEqual(0);
  });

  it('exits 1 when objects are rejected and 2 for a cut-off .json file; with several files, the highest', { timeout: STEP }, async () => {
    const cut = dirs.make('cut');
    const { writeFileSync, readFileSync } = await import('node:fs');
    const text = readFileSync(SCENARIO, 'utf8');
    writeFileSync(join(cut, 'cut.json'), text.slice(0, Math.floor(text.length / 2)));
    const broken = await runCli(['import', 'test/fixtures/exchange/broken.json', '--data', data, '--partnership', 'broken'], { env: ENV });
    expect(broken.code, show(broken)).toBe(1);
    const rejected = (JSON.parse(broken.stdout) as { files: { rejected: { object: string; id?: string; field: string; message: string }[] }[] }).files[0]!.rejected;
    expect(rejected).toContainEqual({ object: 'events[1]', id: 'hosp:e14', field: 'date', message: 'date "2019-13-02" is not a date' });
    const both = await runCli(['import', 'test/fixtures/exchange/broken.json', join(cut, 'cut.json'), '--data', data, '--partnership', 'broken'], { env: ENV });
    expect(both.code, show(both)).toBe(2);
    expect(both.stderr).toMatch(/cut\.json was refused as a whole/);
    expect((JSON.parse(both.stdout) as { files: unknown[] }).files).toHaveLength(2);
  });
});
