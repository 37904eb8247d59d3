/**
 * The same commands on a PostgreSQL server (DATABASE_URL), and a backup taken there restored into
 * the embedded store: the cross-store round trip, compared table by table. Runs only when
 * TEST_DATABASE_URL names a server; each run gets a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_TABLES } from '../../src/backup/backup.service.js';
import type { StoreConfig } from '../../src/config/config.js';
import { describePostgresUrl, openDatabase } from '../../src/db/database.js';
import { listMigrations } from '../../src/db/migrate.js';
import { expectFaithfulCopy, runCli, show, snapshotTables, TempDirs, type TableRows } from './cli-harness.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const STEP = 120_000; // per CLI run: generous, as a loaded machine can make one start take 30 s or more

async function snapshotOf(config: StoreConfig): Promise<Record<string, TableRows>> {
  const store = await openDatabase(config);
  try {
    return await snapshotTables(store);
  } finally {
    await store.close();
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe.skipIf(!serverUrl)('the command line on a PostgreSQL server, restored into the embedded store', () => {
  const temp = new TempDirs();
  const database = `throughline_cli_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string;
  let env: Record<string, string>;
  let backupFile: string;
  let restored: string;

  beforeAll(async () => {
    await admin(`create database ${database}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
    backupFile = join(temp.make('pg-backup'), 'server.backup.gz');
    restored = join(temp.make('pg-restored'), 'data');
  });
  afterAll(async () => {
    temp.removeAll();
    await admin(`drop database if exists ${database} with (force)`);
  });

  it('migrate, demo and backup run against DATABASE_URL', { timeout: 3 * STEP }, async () => {
    const migrate = await runCli(['migrate'], { env });
    expect(migrate.code, show(migrate)).toBe(0);
    expect(migrate.stdout).toBe(`The PostgreSQL at ${describePostgresUrl(databaseUrl)} is up to date: ${listMigrations().length} migrations applied.\n`);
    expect(migrate.stdout).not.toContain('@'); // never the user (or a password)

    const demo = await runCli(['demo'], { env });
    expect(demo.code, show(demo)).toBe(0);
    expect(demo.stdout).toBe('Loaded the demo partnership (Northshire).\n');

    const backup = await runCli(['backup', backupFile], { env });
    expect(backup.code, show(backup)).toBe(0);
    expect(backup.stdout).toMatch(/^Wrote \d+ rows from \d+ tables to /);
  });

  it('the backup restores into a new embedded store, whose audit trail verifies intact', { timeout: 2 * STEP }, async () => {
    const restore = await runCli(['restore', backupFile, '--data', restored], { env: { LOG_LEVEL: 'silent' } });
    expect(restore.code, show(restore)).toBe(0);
    expect(restore.stdout).toContain(`into the embedded database in ${restored}.`);

    const verify = await runCli(['audit', 'verify', '--data', restored], { env: { LOG_LEVEL: 'silent' } });
    expect(verify.code, show(verify)).toBe(0);
    expect(verify.stdout.trimEnd().split('\n').at(-1)).toBe('The audit trail is intact.');
  });

  it('the embedded copy holds every row of every table exactly as the server did', { timeout: STEP }, async () => {
    const server = await snapshotOf({ kind: 'postgres', url: databaseUrl });
    const copy = await snapshotOf({ kind: 'pglite', dataDir: restored });
    expectFaithfulCopy(server, copy, backupFile, BACKUP_TABLES.map((t) => t.name));
    expect(server.persons!.length).toBeGreaterThan(0);
  });
});
