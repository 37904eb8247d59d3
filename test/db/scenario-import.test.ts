import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { exportIdentities } from '../../src/identity/identity.service.js';
import { runImport } from '../../src/ingest/import-run.js';
import { buildPartnership, setupContext } from '../helpers/builders.js';
import { sharedDir } from '../helpers/shared-material.js';
import { describeEachStore } from '../helpers/stores.js';

// Issue 4, "done when": each shared scenario imports into its own partnership with no rejections,
// twice, with no duplicates; and the persons stored resolve each family member across sources into
// one person — checked against the answers in scenarios/identities/, which the system never sees.
const DIR = sharedDir('scenarios');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

interface Scenario {
  records: { id: string }[];
  relationships: { id: string }[];
  events: { id: string }[];
}

describeEachStore('each shared scenario through the store', (target) => {
  let store: Database;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(FILES)('%s imports twice without rejections or duplicates, and every true person is one stored person', async (file) => {
    const path = join(DIR, file);
    const scenario = JSON.parse(readFileSync(path, 'utf8')) as Scenario;
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);

    const first = await runImport(store.db, ctx, path);
    expect(first.summary.rejected).toEqual([]);
    expect(first.summary.imported).toEqual({ records: scenario.records.length, relationships: scenario.relationships.length, events: scenario.events.length });

    const second = await runImport(store.db, ctx, path);
    expect(second.summary.rejected).toEqual([]);
    expect(second.summary.imported).toEqual({ records: 0, relationships: 0, events: 0 });
    expect(second.summary.updated).toEqual({ records: 0, relationships: 0, events: 0 });
    expect(second.summary.unchanged).toEqual(first.summary.imported);
    expect(second.resolution).toBeNull();

    const count = async (table: 'records' | 'relationships' | 'events' | 'exchange_versions') =>
      Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('partnership_id', '=', partnership).executeTakeFirstOrThrow()).n);
    expect(await count('records')).toBe(scenario.records.length);
    expect(await count('relationships')).toBe(scenario.relationships.length);
    expect(await count('events')).toBe(scenario.events.length);

    const exported = await exportIdentities(store.db, ctx);
    const personOf = new Map<string, string>();
    for (const p of exported.persons) for (const r of p.records) personOf.set(r, p.id);
    expect([...personOf.keys()].sort()).toEqual(scenario.records.map((r) => r.id).sort());
    expect(exported.persons.flatMap((p) => p.records)).toHaveLength(scenario.records.length);

    const truth = (JSON.parse(readFileSync(join(DIR, 'identities', file), 'utf8')) as { persons: Record<string, string[]> }).persons;
    const split = Object.entries(truth).filter(([, ids]) => new Set(ids.map((id) => personOf.get(id))).size > 1).map(([name]) => name);
    expect(split).toEqual([]);
    const trueOf = new Map(Object.entries(truth).flatMap(([name, ids]) => ids.map((id) => [id, name] as const)));
    const merged = exported.persons.filter((p) => new Set(p.records.map((r) => trueOf.get(r) ?? r)).size > 1).map((p) => p.records);
    expect(merged).toEqual([]);
  });
});
