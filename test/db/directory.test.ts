import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { DEMO_ACCOUNTS, loadDemoData } from '../../src/demo/demo-data.js';
import { choosePartnership, hasDemoData } from '../../src/directory/directory.service.js';
import { verifyAuditChains } from '../../src/audit/audit-verify.service.js';
import { buildPartnership } from '../helpers/builders.js';
import { describeEachStore } from '../helpers/stores.js';

describeEachStore('the demo partnership and the directory', (target) => {
  let store: Database;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(() => store.close());

  it('says there is no partnership yet, in plain words', async () => {
    await expect(choosePartnership(store.db, undefined)).rejects.toThrow(/no partnership yet/);
    expect(await hasDemoData(store.db)).toBe(false);
  });

  it('refuses to load demo data in production', async () => {
    await expect(loadDemoData(store.db, { production: true })).rejects.toThrow(/not be loaded in production/);
  });

  it('loads the demo once, through the door (audited, chain intact), and production can tell it is there', async () => {
    expect((await loadDemoData(store.db, { production: false })).loaded).toBe(true);
    expect((await loadDemoData(store.db, { production: false })).loaded).toBe(false);
    expect(await hasDemoData(store.db)).toBe(true);
    const users = await store.db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    // The families arrive through the importer and identity resolution, audited as system:demo.
    const actions = new Set((await store.db.selectFrom('audit_log').select('action').where('actor_label', '=', 'system:demo').execute()).map((r) => r.action));
    for (const action of ['demo.load', 'import.start', 'import.batch', 'import.finish', 'identity.resolve', 'involvement.create']) expect(actions).toContain(action);
    expect(await store.db.selectFrom('persons').select('id').execute().then((r) => r.length)).toBeGreaterThan(10);
    expect((await verifyAuditChains(store.db)).intact).toBe(true);
  });

  it('asks which partnership when there is more than one', async () => {
    await buildPartnership(store.db, { slug: 'southmoor' });
    await expect(choosePartnership(store.db, undefined)).rejects.toThrow(/--partnership \(northshire, southmoor\)/);
    expect((await choosePartnership(store.db, 'southmoor')).slug).toBe('southmoor');
    await expect(choosePartnership(store.db, 'nowhere')).rejects.toThrow(/no partnership called "nowhere"/);
  });
});
