import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliContext } from '../../src/access/cli-context.js';
import type { Database } from '../../src/db/database.js';
import { runImport } from '../../src/ingest/import-run.js';
import { buildPartnership } from '../helpers/builders.js';
import { describeEachStore } from '../helpers/stores.js';
import { tempFolder } from '../ingest/ingest-helpers.js';

// Issue 5: the three agency feeds through the real importer and store. Each sample imports with
// no rejection, and again with no change; a register sent in two parts gives the same half-term
// summaries as the whole; bad rows are reported by their line and the good rows are kept.
const SAMPLES = 'samples/feeds';
const FEEDS = [
  { kind: 'fhir', file: `${SAMPLES}/fhir-bundle.sample.json`, source: 'nshosp', agency: 'hospital' },
  { kind: 'attendance', file: `${SAMPLES}/school-attendance.sample.csv`, source: 'larkfield', agency: 'school' },
  { kind: 'police', file: `${SAMPLES}/police-notifications.sample.csv`, source: 'nspolice', agency: 'police' },
] as const;

describeEachStore('agency feeds through the store', (target) => {
  let store: Database;
  const folder = tempFolder('feeds-db');
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store.close();
    folder.cleanup();
  });

  it.each(FEEDS)('$kind: the sample imports with no rejection, and a second time changes nothing', async ({ kind, file, source, agency }) => {
    const partnership = await buildPartnership(store.db);
    const ctx = cliContext(partnership, 'test');
    const feed = { kind, source, agency } as const;
    const first = await runImport(store.db, ctx, file, { feed });
    expect(first.summary.rejected).toEqual([]);
    expect(first.summary.imported.events).toBeGreaterThan(0);
    const second = await runImport(store.db, ctx, file, { feed });
    expect(second.summary.imported).toEqual({ records: 0, relationships: 0, events: 0 });
    expect(second.summary.updated).toEqual({ records: 0, relationships: 0, events: 0 });
    // Each object keeps the row it was read from, exactly as received; a half-term summary is worked
    // out from register marks, and each mark keeps its row.
    const kept = await store.db.selectFrom('exchange_versions').select(['original']).where('partnership_id', '=', partnership).where('kind', kind === 'attendance' ? '=' : 'in', kind === 'attendance' ? 'record' : ['record', 'event']).execute();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((v) => typeof v.original === 'string' && v.original.length > 0)).toBe(true);
    if (kind === 'attendance') {
      const marks = await store.db.selectFrom('attendance_marks').select(['original', 'version']).where('partnership_id', '=', partnership).execute();
      expect(marks.length).toBe(readFileSync(file, 'utf8').trimEnd().split('\n').length - 1);
      expect(marks.every((m) => m.original.length > 0 && m.version === 1)).toBe(true);
    }
  });

  it('summarises a register sent in two parts exactly as the whole register', async () => {
    const lines = readFileSync(`${SAMPLES}/school-attendance.sample.csv`, 'utf8').trimEnd().split('\n');
    const [header, ...rows] = lines;
    const half = Math.floor(rows.length / 2);
    const partA = folder.write('part-a.csv', `${[header, ...rows.slice(0, half)].join('\n')}\n`);
    const partB = folder.write('part-b.csv', `${[header, ...rows.slice(half)].join('\n')}\n`);
    const feed = { kind: 'attendance', source: 'larkfield', agency: 'school' } as const;
    const summaries = async (partnership: string) =>
      (await store.db.selectFrom('events').select(['event_key', 'details']).where('partnership_id', '=', partnership).where('type', '=', 'attendance-summary').orderBy('event_key').execute()).map((e) => {
        const d = (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as Record<string, unknown>;
        return { id: e.event_key, possible: d.possibleSessions, attended: d.attendedSessions, unauthorised: d.unauthorisedSessions };
      });
    const whole = await buildPartnership(store.db);
    await runImport(store.db, cliContext(whole, 'test'), `${SAMPLES}/school-attendance.sample.csv`, { feed });
    const parts = await buildPartnership(store.db);
    await runImport(store.db, cliContext(parts, 'test'), partA, { feed });
    const afterA = await runImport(store.db, cliContext(parts, 'test'), partB, { feed });
    expect(afterA.summary.rejected).toEqual([]);
    expect(await summaries(parts)).toEqual(await summaries(whole));
  });

  it('reports bad rows by line and keeps the good ones', async () => {
    const partnership = await buildPartnership(store.db);
    const run = await runImport(store.db, cliContext(partnership, 'test'), 'test/ingest/feeds/fixtures/attendance-bad-rows.csv', { feed: { kind: 'attendance', source: 'larkfield', agency: 'school' } });
    expect(run.summary.rejected.length).toBeGreaterThan(0);
    for (const r of run.summary.rejected) expect(r.object).toMatch(/^line \d+$/);
    expect(run.summary.rejected).toContainEqual(expect.objectContaining({ object: 'line 5', field: 'date' }));
    const pupils = await store.db.selectFrom('records').select('record_key').where('partnership_id', '=', partnership).execute();
    expect(pupils.length).toBeGreaterThan(0);
  });
});
