import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { listMigrations, migrate, migrationStatus } from '../../src/db/migrate.js';
import { describeEachStore } from '../helpers/stores.js';

describeEachStore('migrations', (target) => {
  let store: Database | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('applies every numbered file once, in order, and records it', async () => {
    store = await target.open({ migrated: false });
    expect((await migrationStatus(store.db)).applied).toEqual([]);
    const applied = await migrate(store.db);
    expect(applied).toEqual(listMigrations().map((m) => m.name));
    expect(await migrate(store.db)).toEqual([]);
    expect(await migrationStatus(store.db)).toEqual({ applied, pending: [] });
  });

  it('lets two runs at once apply each migration exactly once (advisory lock)', async () => {
    store = await target.open({ migrated: false });
    const [a, b] = await Promise.all([migrate(store.db), migrate(store.db)]);
    expect([...a, ...b].sort()).toEqual(listMigrations().map((m) => m.name).sort());
  });

  it('refuses to go on when an applied migration was edited', async () => {
    store = await target.open();
    await sql`update schema_migrations set checksum = 'edited' where version = '0001'`.execute(store.db);
    await expect(migrate(store.db)).rejects.toThrow(/was changed after it was applied/);
  });

  it('gives every case-data table a partnership id', async () => {
    store = await target.open();
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not in ('schema_migrations', 'partnerships', 'sign_in_throttle')
        and table_name not in (select table_name from information_schema.columns where column_name = 'partnership_id' and table_schema = current_schema())`.execute(store.db);
    expect(rows.map((r) => r.table_name)).toEqual([]);
  });
});
