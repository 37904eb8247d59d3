// A replay as the spec defines it (spec/exchange-format.md, "Replay output"): the case history is
// loaded into a fresh, empty store through the real importer (so it is validated exactly as an
// agency's file would be), read back, and replayed day by day. The store lives in memory and is
// thrown away. Used by `npx throughline replay` and by the analysts' replay page.
import { systemContext } from '../access/cli-context.js';
import type { Day } from '../calendar/days.js';
import { openDatabase, type Database } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { migrate } from '../db/migrate.js';
import { partnershipForImport } from '../directory/directory.service.js';
import { FileRefusedError, formatIssue } from '../ingest/exchange-issues.js';
import { readExchangeObjects } from '../ingest/exchange-objects.service.js';
import type { ScenarioItem } from '../ingest/exchange-validator.js';
import { runImport } from '../ingest/import-run.js';
import { readExchangeFile } from '../ingest/read-exchange-file.js';
import { replay, type ReplayInput, type ReplayOutput } from './replay.js';

/** A replayed file: the output, with the input it read; or why the file could not be replayed. */
export type ReplayResult = { ok: true; output: ReplayOutput; input: ReplayInput; title: string | undefined } | { ok: false; problems: string[] };

function accepted<T>(items: readonly ScenarioItem<T>[], problems: string[]): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (item.status === 'accepted') out.push(item.normalised);
    else problems.push(...item.rejections.map(formatIssue));
  }
  return out;
}

/**
 * Replays a case-history file (JSON or NDJSON) in a throwaway store. Every object must be valid:
 * otherwise nothing is replayed and the reasons are returned, each naming the object and field.
 */
export async function replayFile(path: string, options: { asOf?: Day; onProgress?: (message: string) => void; store?: Database } = {}): Promise<ReplayResult> {
  // A store of the caller's (the tests run this on PostgreSQL too) gets a new partnership of its own.
  const store = options.store ?? (await openDatabase({ kind: 'pglite-memory' }));
  try {
    if (!options.store) await migrate(store.db);
    const { partnership } = await partnershipForImport(store.db, options.store ? `replay-${newId().slice(0, 8)}` : 'replay');
    const ctx = systemContext(partnership.id, 'replay', 'replay a case history');
    options.onProgress?.('loading the case history');
    let run;
    try {
      run = await runImport(store.db, ctx, path);
    } catch (error) {
      if (error instanceof FileRefusedError) return { ok: false, problems: [error.message] };
      throw error;
    }
    const problems = run.summary.rejected.map((r) => `${r.object}${r.id ? ` (id ${JSON.stringify(r.id)})` : ''}: ${r.message}`);
    const reading = await readExchangeFile(path);
    const scenario = reading.scenario;
    const expect = scenario ? accepted(scenario.expect, problems) : [];
    const expectNot = scenario ? accepted(scenario.expectNot, problems) : [];
    const incident = scenario?.incident ? (accepted([scenario.incident], problems)[0] ?? null) : null;
    if (problems.length > 0) return { ok: false, problems };
    const objects = await readExchangeObjects(store.db, ctx);
    const input: ReplayInput = { ...objects, expect, expectNot, incident };
    options.onProgress?.('replaying day by day');
    const output = replay(input, options.asOf ? { asOf: options.asOf } : {});
    return { ok: true, output, input, title: reading.title };
  } finally {
    if (!options.store) await store.close();
  }
}
