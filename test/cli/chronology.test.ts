/**
 * `import --kind` (agency feeds) and `export chronology` through the real command line: the JSON
 * summary and exit statuses, line-numbered rejections, the export formats on standard output or in
 * a file, and restricted entries only with a stated purpose.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../helpers/shared-material.js';
import { runCli, show, TempDirs } from './cli-harness.js';

const STEP = 120_000;
const ENV = { LOG_LEVEL: 'silent' };

describe('npx throughline import --kind / export chronology', () => {
  const dirs = new TempDirs();
  const data = dirs.make('chronology-cli');
  const out = dirs.make('chronology-out');
  afterAll(() => dirs.removeAll());
  const base = ['--data', data, '--partnership', 'child-b'];

  it('imports a FHIR bundle as a health trust’s feed', { timeout: STEP }, async () => {
    const result = await runCli(['import', '--kind', 'fhir', '--source', 'nshosp', '--agency', 'hospital', 'samples/feeds/fhir-bundle.sample.json', '--data', data, '--partnership', 'feeds'], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const file = (JSON.parse(result.stdout) as { files: { imported: { events: number }; rejected: unknown[] }[] }).files[0]!;
    expect(file.rejected).toEqual([]);
    expect(file.imported.events).toBeGreaterThan(0);
  });

  it('reports a feed’s bad rows by line number and exits 1; refuses an unknown kind or agency with 2', { timeout: STEP }, async () => {
    const bad = await runCli(['import', '--kind', 'police', '--source', 'nspolice', '--agency', 'police', 'test/ingest/feeds/fixtures/police-bad-rows.csv', '--data', data, '--partnership', 'feeds'], { env: ENV });
    expect(bad.code, show(bad)).toBe(1);
    const rejected = (JSON.parse(bad.stdout) as { files: { rejected: { object: string }[] }[] }).files[0]!.rejected;
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect(r.object).toMatch(/^line \d+$/);
    const kind = await runCli(['import', '--kind', 'hl7', '--source', 'x', '--agency', 'hospital', 'samples/feeds/fhir-bundle.sample.json', '--data', data], { env: ENV });
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/--kind must be one of: fhir, attendance, police/);
    const agency = await runCli(['import', '--kind', 'fhir', '--source', 'x', 'samples/feeds/fhir-bundle.sample.json', '--data', data], { env: ENV });
    expect(agency.code).toBe(2);
    expect(agency.stderr).toMatch(/--agency CODE/);
  });

  it('exports a family chronology as CSV on standard output, restricted entries left out and counted', { timeout: STEP }, async () => {
    const imported = await runCli(['import', sharedDir('scenarios', 'child-b.json'), ...base], { env: ENV });
    expect(imported.code, show(imported)).toBe(0);
    const csv = await runCli(['export', 'chronology', '--subject', 'hosp:b', '--family', '--format', 'csv', ...base], { env: ENV });
    expect(csv.code, show(csv)).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('"date","date_precision","recorded","agency","source","id","type","concerns","subjects","summary","significant"');
    expect(csv.stderr).toMatch(/Exported \d+ entries\. 3 restricted entries were left out\./);
  });

  it('writes a PDF to a file only its owner can read', { timeout: STEP }, async () => {
    const file = join(out, 'child-b.pdf');
    const pdf = await runCli(['export', 'chronology', '--subject', 'hosp:b', '--format', 'pdf', '--out', file, ...base], { env: ENV });
    expect(pdf.code, show(pdf)).toBe(0);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('includes restricted entries only with a purpose, which is audited', { timeout: STEP }, async () => {
    const refused = await runCli(['export', 'chronology', '--subject', 'hosp:b', '--family', '--format', 'json', '--include-restricted', ...base], { env: ENV });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/only with a reason: add --purpose/);
    const json = await runCli(['export', 'chronology', '--subject', 'hosp:b', '--family', '--format', 'json', '--include-restricted', '--purpose', 'Child safeguarding practice review, panel request 7', ...base], { env: ENV });
    expect(json.code, show(json)).toBe(0);
    const events = (JSON.parse(json.stdout) as { events: { id: string }[] }).events.map((e) => e.id);
    expect(events).toEqual(expect.arrayContaining(['hosp:e076', 'csc:e015', 'hosp:e077']));
  });

  it('says plainly when there is no such person or record', { timeout: STEP }, async () => {
    const missing = await runCli(['export', 'chronology', '--subject', 'hosp:nobody', '--format', 'csv', ...base], { env: ENV });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/There is no person or record "hosp:nobody"/);
  });
});
