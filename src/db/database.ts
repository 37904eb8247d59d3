import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreConfig } from '../config/config.js';
import { UserFacingError } from '../shared/errors.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

/** An open store: the Kysely handle plus what kind of store it is. */
export interface Database {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** A description safe to print (never a password). */
  describe: string;
  close(): Promise<void>;
}

// Type parsers shared by both stores, so the same query returns the same JavaScript values:
// int8 as a number (our counters stay far below 2^53), date as the 'YYYY-MM-DD' text it is
// (a JavaScript Date would shift it by the time zone), timestamps as Date.
const INT8_OID = 20;
const DATE_OID = 1082;
const NUMERIC_OID = 1700;

const pgliteParsers = {
  [INT8_OID]: (value: string) => Number(value),
  [DATE_OID]: (value: string) => value,
  [NUMERIC_OID]: (value: string) => Number(value),
};

/**
 * Opens the configured store. PGlite keeps its files in `<dataDir>/pgdata` and holds a lock file so
 * two processes never open the same folder at once (PGlite has no locking of its own).
 */
export async function openDatabase(store: StoreConfig): Promise<Database> {
  if (store.kind === 'postgres') return openPostgres(store.url);
  if (store.kind === 'pglite-memory') {
    const pglite = await PGlite.create({ parsers: pgliteParsers });
    return wrapPglite(pglite, 'embedded database (in memory)', () => {});
  }
  const releaseLock = lockDataDir(store.dataDir);
  try {
    const pglite = await PGlite.create(join(store.dataDir, 'pgdata'), { parsers: pgliteParsers });
    return wrapPglite(pglite, `embedded database in ${store.dataDir}`, releaseLock);
  } catch (error) {
    releaseLock();
    throw new UserFacingError(
      `The embedded database in ${store.dataDir} could not be opened; it may be damaged or from a newer version.`,
      { cause: error },
    );
  }
}

function wrapPglite(pglite: PGlite, describe: string, releaseLock: () => void): Database {
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    describe,
    async close() {
      await db.destroy();
      await pglite.close();
      releaseLock();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser(oid: number, format?: string) {
        if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
        if (oid === DATE_OID) return (value: string) => value;
        return pg.types.getTypeParser(oid, format as 'text');
      },
    } as pg.CustomTypesConfig,
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const where = describePostgresUrl(url);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { rows } = await sql<{ version: number }>`select current_setting('server_version_num')::int as version`.execute(db);
    const version = rows[0]?.version ?? 0;
    if (version < 150000) {
      throw new UserFacingError(`The PostgreSQL server at ${where} is older than version 15, the oldest supported.`);
    }
  } catch (error) {
    await db.destroy();
    if (error instanceof UserFacingError) throw error;
    throw new UserFacingError(`Cannot connect to the PostgreSQL server at ${where}.`, { cause: error });
  }
  return { db, kind: 'postgres', describe: `PostgreSQL at ${where}`, close: () => db.destroy() };
}

/** Host, port and database of a connection URL, without user or password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || ''}`;
  } catch {
    return 'the configured address';
  }
}

function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, 'throughline.lock');
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new UserFacingError(
      `The data folder ${dataDir} cannot be created or written to; choose another with --data DIR or fix its permissions.`,
      { cause: error, exitCode: 2 },
    );
  }
  const holder = readLockHolder(lockFile);
  if (holder !== null && holder !== process.pid && processIsAlive(holder)) {
    throw new UserFacingError(
      `Another Throughline process (pid ${holder}) is using the data folder ${dataDir}; stop it first.`,
      { exitCode: 2 },
    );
  }
  try {
    writeFileSync(lockFile, String(process.pid));
  } catch (error) {
    throw new UserFacingError(`The data folder ${dataDir} cannot be written to; fix its permissions or choose another with --data DIR.`, {
      cause: error,
      exitCode: 2,
    });
  }
  return () => {
    if (readLockHolder(lockFile) === process.pid) rmSync(lockFile, { force: true });
  };
}

function readLockHolder(lockFile: string): number | null {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
