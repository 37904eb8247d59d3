/**
 * `restore` refuses files that are not Throughline backups: exit 2, one clear sentence, no stack
 * trace, and the new (empty) store left exactly as it was. All the attempts go into one folder, so
 * each also shows that the refusal before it left nothing behind.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_TABLES } from '../../src/backup/backup.service.js';
import { openDatabase } from '../../src/db/database.js';
import { errorLines, hasStackTrace, runCli, show, TempDirs, type CliResult } from './cli-harness.js';

const STEP = 120_000; // per CLI run: generous, as a loaded machine can make one start take 30 s or more
const ENV = { LOG_LEVEL: 'silent' };

/** Exit 2, exactly `sentence` on standard error (besides migration progress), no stack, no output. */
function expectRefusal(result: CliResult, sentence: string): void {
  expect(result.code, show(result)).toBe(2);
  expect(hasStackTrace(result.stderr), show(result)).toBe(false);
  expect(errorLines(result.stderr), show(result)).toEqual([sentence]);
  expect(result.stdout).toBe('');
}

describe('restore of a file that is not a backup', () => {
  const temp = new TempDirs();
  let dataDir: string;
  let files: string;

  beforeAll(() => {
    dataDir = join(temp.make('refusals'), 'data'); // does not exist yet: the first restore creates it
    files = temp.make('files');
  });
  afterAll(() => temp.removeAll());

  it('a plain text file exits 2', { timeout: STEP }, async () => {
    const file = join(files, 'notes.txt');
    writeFileSync(file, 'This is not a backup.\n');
    expectRefusal(await runCli(['restore', file, '--data', dataDir], { env: ENV }), `${file} is not a Throughline backup or is damaged.`);
  });
  it('a gzipped JSON file of another format exits 2', { timeout: STEP }, async () => {
    const file = join(files, 'other.json.gz');
    writeFileSync(file, gzipSync(`${JSON.stringify({ format: 'something-else/1', createdAt: new Date().toISOString(), tables: {} })}\n`));
    expectRefusal(await runCli(['restore', file, '--data', dataDir], { env: ENV }), `${file} is not a Throughline backup.`);
  });
  // An empty or truncated gzip file (zlib's Z_BUF_ERROR) is a damaged backup, not a crash.
  it('an empty file exits 2', { timeout: STEP }, async () => {
    const file = join(files, 'empty.gz');
    writeFileSync(file, '');
    const result = await runCli(['restore', file, '--data', dataDir], { env: ENV });
    expect(result.code, show(result)).toBe(2);
    expect(hasStackTrace(result.stderr), show(result)).toBe(false);
    expect(errorLines(result.stderr)).toHaveLength(1);
    expect(errorLines(result.stderr)[0]).toContain(file);
  });
  it('the store is still empty after every refused restore', { timeout: STEP }, async () => {
    const store = await openDatabase({ kind: 'pglite', dataDir });
    try {
      for (const { name } of BACKUP_TABLES) {
        if (name === 'schema_migrations') continue; // filled by migrating the new store
        const { n } = await store.db.selectFrom(name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(n), name).toBe(0);
      }
    } finally {
      await store.close();
    }
  });
  // A missing file must reach the plain sentence, not an unhandled stream error.
  it('a file that does not exist exits 2', { timeout: STEP }, async () => {
    const file = join(files, 'missing.backup.gz');
    expectRefusal(await runCli(['restore', file, '--data', dataDir], { env: ENV }), `There is no file ${file}.`);
  });
});


describe('backup to a file', () => {
  const temp = new TempDirs();
  afterAll(() => temp.removeAll());

  it('is readable by its owner only, even over an older file that was not', { timeout: STEP }, async () => {
    const dataDir = join(temp.make('backup-mode'), 'data');
    const file = join(temp.make('backup-files'), 'old.gz');
    writeFileSync(file, 'an older file', { mode: 0o644 });
    const result = await runCli(['backup', file, '--data', dataDir], { env: ENV });
    expect(result.code, show(result)).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('into a folder that does not exist exits 2 with one sentence', { timeout: STEP }, async () => {
    const dataDir = join(temp.make('backup-nowhere'), 'data');
    const file = join(temp.make('backup-parent'), 'no', 'such', 'folder', 'x.gz');
    expectRefusal(await runCli(['backup', file, '--data', dataDir], { env: ENV }), `The backup file ${file} cannot be written; check that its folder exists and that you may write to it.`);
  });
});
