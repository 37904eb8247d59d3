/**
 * The store's life through the real command line, on the embedded store: migrate, load the demo,
 * verify the audit trail, back up, restore into a new folder (compared table by table), refuse to
 * restore over data, and catch an audit row altered behind the application's back.
 *
 * The steps share two data folders and run in order; each depends on the one before. (Files that
 * are not backups: restore-refusals.test.ts, which runs alongside.)
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_FORMAT, BACKUP_TABLES } from '../../src/backup/backup.service.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { listMigrations } from '../../src/db/migrate.js';
import { errorLines, expectFaithfulCopy, hasStackTrace, readBackupFile, runCli, show, snapshotTables, TempDirs, type TableRows } from './cli-harness.js';

const STEP = 120_000; // per CLI run: generous, as a loaded machine can make one start take 30 s or more
const ENV = { LOG_LEVEL: 'silent' };

/** Opens a data folder in this process (only while no CLI process holds it), runs `fn`, closes it. */
async function withDataDir<T>(dataDir: string, fn: (store: Database) => Promise<T>): Promise<T> {
  const store = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('the command line over the life of an embedded store', () => {
  const temp = new TempDirs();
  let source: string; // the data folder migrated, loaded and backed up
  let restored: string; // the fresh folder the backup is restored into
  let backupFile: string;
  let sourceAfterBackup: Record<string, TableRows>;

  beforeAll(() => {
    source = temp.make('source');
    restored = join(temp.make('restored'), 'data'); // does not exist yet: restore creates it
    backupFile = join(temp.make('backup'), 'northshire.backup.gz');
  });
  afterAll(() => temp.removeAll());

  it('migrate creates the schema in a new folder', { timeout: STEP }, async () => {
    const result = await runCli(['migrate', '--data', source], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const migrations = listMigrations();
    expect(result.stdout).toBe(`The embedded database in ${source} is up to date: ${migrations.length} migrations applied.\n`);
    expect(result.stderr.trim().split('\n')).toEqual(migrations.map((m) => `Applied migration ${m.name}`));
  });

  it('demo loads the demo partnership, and a second demo says it is already loaded', { timeout: 2 * STEP }, async () => {
    const first = await runCli(['demo', '--data', source], { env: ENV });
    expect(first.code, show(first)).toBe(0);
    expect(first.stdout).toBe('Loaded the demo partnership (Northshire).\n');
    expect(first.stderr).toBe(''); // already migrated: nothing to apply

    const second = await runCli(['demo', '--data', source], { env: ENV });
    expect(second.code, show(second)).toBe(0);
    expect(second.stdout).toBe('The demo partnership is already loaded; nothing to do.\n');
  });

  it('audit verify finds the trail intact and exits 0', { timeout: STEP }, async () => {
    const result = await runCli(['audit', 'verify', '--data', source], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toMatch(/^Chain [0-9a-f-]{36}: \d+ rows, intact\.$/m);
    expect(result.stdout).not.toMatch(/BROKEN/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('The audit trail is intact.');
  });

  it('backup writes every table to a file only its owner can read', { timeout: STEP }, async () => {
    const result = await runCli(['backup', backupFile, '--data', source], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    const { header, rows } = readBackupFile(backupFile);
    const total = Object.values(header.tables).reduce((a, b) => a + b, 0);
    expect(result.stdout).toBe(`Wrote ${total} rows from ${BACKUP_TABLES.length} tables to ${backupFile}.\n`);
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(header.format).toBe(BACKUP_FORMAT);
    expect(Object.keys(header.tables)).toEqual(BACKUP_TABLES.map((t) => t.name));
    for (const { name } of BACKUP_TABLES) expect(rows[name]?.length ?? 0, `${name} rows in the file`).toBe(header.tables[name]);
    expect(header.tables.partnerships).toBe(1);
    expect(header.tables.persons).toBeGreaterThan(0);
  });

  it('restore fills a new folder, whose audit trail then verifies intact', { timeout: 2 * STEP }, async () => {
    const result = await runCli(['restore', backupFile, '--data', restored], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Restored the backup made \\S+ into the embedded database in ${restored.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\n$`));

    const verify = await runCli(['audit', 'verify', '--data', restored], { env: ENV });
    expect(verify.code, show(verify)).toBe(0);
    expect(verify.stdout.trimEnd().split('\n').at(-1)).toBe('The audit trail is intact.');
  });

  it('the restored store holds every row of every table exactly as the source did', { timeout: STEP }, async () => {
    sourceAfterBackup = await withDataDir(source, snapshotTables);
    const copy = await withDataDir(restored, snapshotTables);
    expectFaithfulCopy(sourceAfterBackup, copy, backupFile, BACKUP_TABLES.map((t) => t.name));
    expect(sourceAfterBackup.persons!.length).toBeGreaterThan(0);
  });

  it('restore into a store that holds data exits 2 with one clear sentence', { timeout: STEP }, async () => {
    const result = await runCli(['restore', backupFile, '--data', source], { env: ENV });
    expect(result.code, show(result)).toBe(2);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(errorLines(result.stderr)).toEqual(['The database is not empty; restore only into a new, empty store.']);
    expect(result.stdout).toBe('');
  });

  it('audit verify exits 1 and names the row when an audit row is altered behind the triggers', { timeout: STEP }, async () => {
    const { chainId, seq } = await withDataDir(source, async (store) => {
      // (The refused restore of the step before changed nothing.)
      expect(await snapshotTables(store)).toEqual(sourceAfterBackup);

      // The database itself refuses ordinary changes to the trail.
      await expect(sql`update audit_log set action = 'x'`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_log`.execute(store.db)).rejects.toThrow(/append-only/);

      // Someone with superuser rights switches the triggers off and edits one row.
      const target = await store.db.selectFrom('audit_log').select(['id', 'chain_id', 'seq']).where('seq', '=', 7).executeTakeFirstOrThrow();
      await store.db.connection().execute(async (conn) => {
        await sql`set session_replication_role = replica`.execute(conn);
        await sql`update audit_log set action = 'person.nothing-to-see' where id = ${target.id}`.execute(conn);
        await sql`reset session_replication_role`.execute(conn);
      });
      const after = await store.db.selectFrom('audit_log').select('action').where('id', '=', target.id).executeTakeFirstOrThrow();
      expect(after.action).toBe('person.nothing-to-see');
      return { chainId: target.chain_id, seq: target.seq };
    });

    const result = await runCli(['audit', 'verify', '--data', source], { env: ENV });
    expect(result.code, show(result)).toBe(1);
    expect(result.stdout).toContain(`Chain ${chainId}: BROKEN at row ${seq}: row ${seq} was altered after it was written (its hash no longer matches).`);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('The audit trail has been tampered with.');
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});
