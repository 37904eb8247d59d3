import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { exportIdentities } from '../../src/identity/identity.service.js';
import { FileRefusedError } from '../../src/ingest/exchange-issues.js';
import { runImport } from '../../src/ingest/import-run.js';
import { buildPartnership, setupContext } from '../helpers/builders.js';
import { sharedDir } from '../helpers/shared-material.js';
import { describeEachStore } from '../helpers/stores.js';
import { tempFolder } from '../ingest/ingest-helpers.js';

// Importing exchange files into the store: every scenario twice with no duplicates and every family
// member resolved into one person; the broken fixture's good objects kept; versions; cut-off files.
const SCENARIOS = sharedDir('scenarios');
const scenarioFiles = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));

async function tableCounts(store: Database, partnershipId: string) {
  const counts: Record<string, number> = {};
  for (const table of ['records', 'relationships', 'events', 'exchange_versions', 'persons', 'event_records', 'source_systems'] as const) {
    const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('partnership_id', '=', partnershipId).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

describeEachStore('importing exchange files', (target) => {
  let store: Database;
  const folder = tempFolder('import-db');
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store.close();
    folder.cleanup();
  });

  it.each(scenarioFiles)('%s imports with no rejections, twice with no duplicates, and resolves every family member into one person', async (file) => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    const path = join(SCENARIOS, file);
    const first = await runImport(store.db, ctx, path);
    expect(first.summary.rejected).toEqual([]);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { records: unknown[]; relationships: unknown[]; events: unknown[] };
    expect(first.summary.imported).toEqual({ records: doc.records.length, relationships: doc.relationships.length, events: doc.events.length });
    const before = await tableCounts(store, partnership);

    const second = await runImport(store.db, ctx, path);
    expect(second.summary.rejected).toEqual([]);
    expect(second.summary.imported).toEqual({ records: 0, relationships: 0, events: 0 });
    expect(second.summary.updated).toEqual({ records: 0, relationships: 0, events: 0 });
    expect(second.summary.unchanged).toEqual(first.summary.imported);
    expect(await tableCounts(store, partnership)).toEqual(before);

    const exported = await exportIdentities(store.db, ctx);
    const truth = (JSON.parse(readFileSync(join(SCENARIOS, 'identities', file), 'utf8')) as { persons: Record<string, string[]> }).persons;
    const personOf = new Map<string, string>();
    for (const p of exported.persons) for (const r of p.records) personOf.set(r, p.id);
    // Every record exactly once.
    expect(exported.persons.flatMap((p) => p.records).sort()).toEqual([...personOf.keys()].sort());
    expect(personOf.size).toBe(doc.records.length);
    for (const [name, ids] of Object.entries(truth)) {
      expect(new Set(ids.map((id) => personOf.get(id))), `${name} is one person`).toHaveProperty('size', 1);
    }
    const trueOf = new Map(Object.entries(truth).flatMap(([name, ids]) => ids.map((id) => [id, name] as const)));
    for (const p of exported.persons) expect(new Set(p.records.map((r) => trueOf.get(r))).size, `${p.records.join(', ')} are one human being`).toBe(1);
  });

  it('keeps the good objects of a broken file and reports each bad one precisely', async () => {
    const partnership = await buildPartnership(store.db);
    const run = await runImport(store.db, setupContext(partnership), 'test/fixtures/exchange/broken.json');
    expect(run.summary.rejected).toContainEqual({ object: 'events[1]', id: 'hosp:e14', field: 'date', message: 'date "2019-13-02" is not a date' });
    expect(run.summary.rejected).toContainEqual(expect.objectContaining({ object: 'events[3]', id: 'hosp:e16', field: 'type' }));
    expect(run.summary.warnings).toContainEqual(expect.objectContaining({ object: 'records[1]', id: 'hosp:mum', field: 'nhsNumber' }));
    const kept = await store.db.selectFrom('events').select('event_key').where('partnership_id', '=', partnership).orderBy('event_key').execute();
    expect(kept.map((e) => e.event_key)).toContain('hosp:e1');
    expect(kept.map((e) => e.event_key)).not.toContain('hosp:e14');
    const mum = await store.db.selectFrom('records').select(['nhs_number_valid', 'person_id']).where('partnership_id', '=', partnership).where('record_key', '=', 'hosp:mum').executeTakeFirstOrThrow();
    expect(mum.nhs_number_valid).toBe(false);
    expect(mum.person_id).not.toBeNull();
  });

  it('keeps every version: a changed object becomes a new version and the old one stays, exactly as received', async () => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    const doc = {
      format: 'throughline-exchange/1',
      sources: [{ id: 'gp', agency: 'gp', name: 'Test Surgery' }],
      records: [{ id: 'gp:1', source: 'gp', givenName: 'Amy', familyName: 'Test', dateOfBirth: '2018-03-04', sex: 'female' }],
      events: [{ id: 'gp:e1', source: 'gp', type: 'appointment', date: '2020-01-02', subjects: ['gp:1'], status: 'attended', service: 'GP' }],
    };
    await runImport(store.db, ctx, folder.write('v1.json', JSON.stringify(doc)));
    doc.events[0]!.status = 'was-not-brought';
    const second = await runImport(store.db, ctx, folder.write('v2.json', JSON.stringify(doc)));
    expect(second.summary.updated).toEqual({ records: 0, relationships: 0, events: 1 });
    expect(second.summary.unchanged).toEqual({ records: 1, relationships: 0, events: 0 });
    const versions = await store.db.selectFrom('exchange_versions').select(['version', 'received']).where('partnership_id', '=', partnership).where('object_key', '=', 'gp:e1').orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(JSON.parse(versions[0]!.received)).toMatchObject({ status: 'attended' });
    expect(JSON.parse(versions[1]!.received)).toMatchObject({ status: 'was-not-brought' });
    const current = await store.db.selectFrom('events').select(['version', 'details']).where('partnership_id', '=', partnership).where('event_key', '=', 'gp:e1').executeTakeFirstOrThrow();
    expect(current.version).toBe(2);
    expect(current.details).toMatchObject({ status: 'was-not-brought' });
  });

  it('refuses an id sent before by another source, and keeps the rest of the batch', async () => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    const base = { format: 'throughline-exchange/1', sources: [{ id: 'gp', agency: 'gp', name: 'A' }, { id: 'school', agency: 'school', name: 'B' }] };
    await runImport(store.db, ctx, folder.write('a.json', JSON.stringify({ ...base, records: [{ id: 'x:1', source: 'gp', givenName: 'Amy' }] })));
    const run = await runImport(store.db, ctx, folder.write('b.json', JSON.stringify({ ...base, records: [{ id: 'x:1', source: 'school', givenName: 'Amy' }, { id: 'x:2', source: 'school', givenName: 'Ben' }] })));
    expect(run.summary.rejected).toEqual([expect.objectContaining({ object: 'records[0]', id: 'x:1', field: 'source' })]);
    expect(run.summary.imported.records).toBe(1);
  });

  it('refuses a cut-off .json file whole, and loses only the broken last line of a cut-off NDJSON file', async () => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    const whole = readFileSync(join(SCENARIOS, 'ordinary-1.json'), 'utf8');
    await expect(runImport(store.db, ctx, folder.write('cut.json', whole.slice(0, Math.floor(whole.length / 2))))).rejects.toBeInstanceOf(FileRefusedError);
    expect(await tableCounts(store, partnership)).toMatchObject({ records: 0, events: 0 });
    const run = await runImport(store.db, ctx, 'test/fixtures/exchange/cut-off.ndjson');
    expect(run.summary.rejected).toHaveLength(1);
    expect(run.summary.rejected[0]!.object).toMatch(/^line \d+$/);
    expect(run.summary.rejected[0]!.message).toMatch(/cut off/);
    expect(run.summary.imported.records + run.summary.imported.events).toBeGreaterThan(0);
  });
});
