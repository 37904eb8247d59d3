/**
 * Runs the real command line (`node bin/throughline.js ...`) as a child process, and the bits the
 * CLI tests share: temporary folders, a clean environment, and table-by-table store snapshots.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { BACKUP_TABLES, orderByColumns } from '../../src/backup/backup.service.js';
import type { Database } from '../../src/db/database.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin', 'throughline.js');

/** Settings the CLI reads that must not leak in from the shell running the tests. */
const SCRUBBED = ['DATABASE_URL', 'THROUGHLINE_DATA_DIR', 'LOG_LEVEL', 'NODE_ENV', 'SESSION_SECRET', 'SESSION_IDLE_MINUTES', 'PORT', 'HOST', 'TEST_DATABASE_URL'];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Added to (or, when undefined, removed from) the scrubbed environment. */
  env?: Record<string, string | undefined>;
  /** The child is killed after this long (a command that should fail fast but serves instead). */
  timeoutMs?: number;
}

/** Runs `node bin/throughline.js ...args` from the project folder and collects its output. */
export function runCli(args: string[], { env = {}, timeoutMs = 110_000 }: RunOptions = {}): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUBBED) delete childEnv[name];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`throughline ${args.join(' ')} did not finish within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Standard error without the "Applied migration ..." progress lines and blank lines. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('Applied migration '));
}

/** True when the text holds a JavaScript stack trace (or a raw pino JSON log line). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at /m.test(text) || /"stack":/.test(text);
}

/** A short description of a result, for assertion messages. */
export function show(result: CliResult): string {
  return `exit ${result.code}${result.signal ? ` (${result.signal})` : ''}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Temporary folders made by one test file, removed by `removeTempDirs`. */
export class TempDirs {
  readonly #dirs: string[] = [];

  make(label = 'cli'): string {
    const dir = mkdtempSync(join(tmpdir(), `throughline-${label}-`));
    this.#dirs.push(dir);
    return dir;
  }

  removeAll(): void {
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** One table's rows, each as the JSON text PostgreSQL makes of it. */
export type TableRows = string[];

/**
 * Every table in BACKUP_TABLES as `row_to_json` text, ordered by its key, read on one connection
 * with the time zone pinned to UTC (so PGlite and a PostgreSQL server print timestamps alike).
 * schema_migrations leaves out `applied_at`: a restore migrates the new store itself, so that
 * column is when the new store was migrated, not copied from the backup.
 * The rows are also sorted as text, so text keys compare the same whatever each store's collation.
 */
export async function snapshotTables(store: Database): Promise<Record<string, TableRows>> {
  return store.db.connection().execute(async (conn) => {
    await sql`set time zone 'UTC'`.execute(conn);
    const out: Record<string, TableRows> = {};
    for (const { name, orderBy } of BACKUP_TABLES) {
      const query =
        name === 'schema_migrations'
          ? sql<{ j: string }>`select json_build_object('version', version, 'name', name, 'checksum', checksum)::text as j from schema_migrations order by version`
          : sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(name)} t order by ${orderByColumns(orderBy)}`;
      const { rows } = await query.execute(conn);
      out[name] = rows.map((r) => r.j).sort();
    }
    return out;
  });
}

/** A table's rows keyed by their `id`. */
export function byId(rows: TableRows): Map<string, string> {
  return new Map(rows.map((text) => [(JSON.parse(text) as { id: string }).id, text]));
}

/** The header and rows of a backup file (gzipped JSON lines). */
export function readBackupFile(file: string): { header: { format: string; tables: Record<string, number> }; rows: Record<string, unknown[]> } {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const [first, ...rest] = lines;
  const header = JSON.parse(first!) as { format: string; tables: Record<string, number> };
  const rows: Record<string, unknown[]> = {};
  for (const line of rest) {
    const { table, row } = JSON.parse(line) as { table: string; row: unknown };
    (rows[table] ??= []).push(row);
  }
  return { header, rows };
}

/**
 * Asserts that a restored copy holds every table exactly as its source did, and that the only audit
 * rows either has beyond the backup are those the backup (source) and the restore and verify
 * (copy) appended themselves.
 */
export function expectFaithfulCopy(
  source: Record<string, TableRows>,
  copy: Record<string, TableRows>,
  backupFile: string,
  tables: readonly string[],
): void {
  const check = (actual: unknown, expected: unknown, label: string) => expect(actual, label).toEqual(expected);
  const inFile = readBackupFile(backupFile);
  for (const name of tables) {
    if (name === 'audit_log') continue;
    check(copy[name], source[name], `table ${name}`);
    check(source[name]!.length, inFile.header.tables[name], `table ${name} in the file`);
  }
  const backedUp = (inFile.rows.audit_log ?? []) as { id: string; action: string }[];
  check(backedUp.length, inFile.header.tables.audit_log, 'audit rows in the file');
  check(backedUp.length > 0, true, 'the backup holds audit rows');
  const sourceAudit = byId(source.audit_log!);
  const copyAudit = byId(copy.audit_log!);
  for (const row of backedUp) {
    check(sourceAudit.has(row.id), true, `source audit row ${row.id}`);
    check(copyAudit.get(row.id), sourceAudit.get(row.id), `audit row ${row.id} (${row.action})`);
  }
  const backedUpIds = new Set(backedUp.map((r) => r.id));
  const actionsOf = (rows: Map<string, string>) =>
    [...rows]
      .filter(([id]) => !backedUpIds.has(id))
      .map(([, text]) => (JSON.parse(text) as { action: string }).action)
      .sort();
  check(actionsOf(sourceAudit), ['backup.create'], 'audit rows the source gained');
  check(actionsOf(copyAudit), ['audit.verify', 'backup.restore'], 'audit rows the copy gained');
}
