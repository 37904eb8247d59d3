/**
 * `npx throughline replay` through the real command line: the JSON of spec/exchange-format.md,
 * --as-of, exit 2 with each invalid object named on standard error, and plain usage errors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReplayOutput } from '../../src/patterns/replay.js';
import { sharedDir } from '../helpers/shared-material.js';
import { runCli, show, TempDirs } from './cli-harness.js';

const STEP = 120_000;
const ENV = { LOG_LEVEL: 'silent' };

describe('npx throughline replay', () => {
  const dirs = new TempDirs();
  afterAll(() => dirs.removeAll());

  it('replays a scenario in a fresh store and prints the replay JSON, exit 0', { timeout: STEP }, async () => {
    const result = await runCli(['replay', sharedDir('scenarios', 'kingfisher-mia.json'), '--json'], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const out = JSON.parse(result.stdout) as ReplayOutput;
    expect(out.format).toBe('throughline-replay/1');
    expect(out.summary).toMatchObject({ expected: 9, met: 9, expectNot: 3, violated: 0 });
    expect(out.summary.alertsByRule['plan-drift']).toBeGreaterThan(0);
    const sorted = [...out.alerts].sort((a, b) => a.raised.localeCompare(b.raised) || a.rule.localeCompare(b.rule) || a.subjectRecords[0]!.localeCompare(b.subjectRecords[0]!));
    expect(out.alerts).toEqual(sorted);
    for (const a of out.alerts) {
      expect(a.evidence.length).toBeGreaterThan(0);
      expect(['medium', 'high']).toContain(a.severity);
      expect(a.subjectRecords).toEqual([...a.subjectRecords].sort());
    }
    const met = out.expectations.find((x) => x.rule === 'timescale' && x.subject === 'csc:alfie')!;
    expect(met.met).toBe(true);
    expect(met.leadTimeDays).toBe(Math.round((Date.parse('2020-11-16') - Date.parse(met.raised!)) / 86_400_000));
  });

  it('--as-of stops the clock on that day', { timeout: STEP }, async () => {
    const result = await runCli(['replay', sharedDir('scenarios', 'kingfisher-mia.json'), '--json', '--as-of', '2020-03-31'], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const out = JSON.parse(result.stdout) as ReplayOutput;
    expect(out.asOf).toBe('2020-03-31');
    expect(out.alerts.every((a) => a.raised <= '2020-03-31')).toBe(true);
  });

  it('exits 2 when an object is not valid, naming each object and field on standard error', { timeout: STEP }, async () => {
    const result = await runCli(['replay', 'test/fixtures/exchange/broken.json', '--json'], { env: ENV });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/events\[1\] \(id "hosp:e14"\): date "2019-13-02" is not a date/);
  });

  it('refuses a cut-off file and a bad --as-of plainly, with exit 2', { timeout: STEP }, async () => {
    const folder = dirs.make('replay-cut');
    const cut = join(folder, 'cut.json');
    writeFileSync(cut, '{"format":"throughline-exchange/1","records":[');
    const refused = await runCli(['replay', cut, '--json'], { env: ENV });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused as a whole/);
    const date = await runCli(['replay', cut, '--json', '--as-of', '31/03/2020'], { env: ENV });
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--as-of must be a date written as YYYY-MM-DD/);
  });
});
