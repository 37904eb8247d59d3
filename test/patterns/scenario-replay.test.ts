import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReplayFile } from '../../src/patterns/replay-file.js';
import { replay, type ReplayOutput } from '../../src/patterns/replay.js';
import { isDisputed } from '../helpers/disputed-scenarios.js';
import { sharedDir } from '../helpers/shared-material.js';

// Issue 6, "the scenarios pass": every shared scenario replayed in memory (the store-backed replay
// is tested in test/db/replay.test.ts), every `expect` met, every `expectNot` respected, and the
// ordinary families raise no alert at all. Expectations listed in disputed-scenarios.json are
// reported as disputed, not passed (none are).
const DIR = sharedDir('scenarios');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

const results = new Map<string, Promise<ReplayOutput>>();
function replayed(file: string): Promise<ReplayOutput> {
  let result = results.get(file);
  if (!result) {
    result = readReplayFile(join(DIR, file)).then((f) => {
      if (f.problems.length > 0) throw new Error(`${file} has invalid objects: ${f.problems.join('; ')}`);
      return replay(f.input);
    });
    results.set(file, result);
  }
  return result;
}

describe.each(FILES)('replaying %s', (file) => {
  it('meets every expectation', async () => {
    const out = await replayed(file);
    const missed = out.expectations.filter((x) => !x.expectNot && !x.met && !isDisputed(file, x.rule, x.subject)).map((x) => `${x.rule} for ${x.subject} by ${x.by}`);
    expect(missed).toEqual([]);
  });
  it('respects every expectNot', async () => {
    const out = await replayed(file);
    const violated = out.expectations.filter((x) => x.expectNot && x.violated && !isDisputed(file, x.rule, x.subject)).map((x) => `${x.rule} for ${x.subject} raised ${x.raised}`);
    expect(violated).toEqual([]);
  });
  if (file.startsWith('ordinary')) {
    it('raises no alert at all (an ordinary family)', async () => {
      const out = await replayed(file);
      expect(out.alerts.map((a) => `${a.raised} ${a.rule} ${a.subjectRecords[0]}: ${a.explanation}`)).toEqual([]);
    });
  }
});
