import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

/** A kind of store the tests run against. */
export interface StoreTarget {
  name: 'pglite' | 'postgres';
  /** A new, empty database of this kind. `migrated: false` leaves it without schema. */
  open(options?: { migrated?: boolean }): Promise<Database>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

/** An embedded PGlite in memory: fast, and gone when closed. */
export const pgliteTarget: StoreTarget = {
  name: 'pglite',
  async open({ migrated = true } = {}) {
    const store = await openDatabase({ kind: 'pglite-memory' });
    if (migrated) await migrate(store.db);
    return store;
  },
};

/**
 * A fresh database on the PostgreSQL server named by TEST_DATABASE_URL, created for one test file
 * and dropped when closed, so tests never share or leave state on the server.
 */
export const postgresTarget: StoreTarget = {
  name: 'postgres',
  async open({ migrated = true } = {}) {
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
    const name = `throughline_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const store = await openDatabase({ kind: 'postgres', url: url.toString() });
    if (migrated) await migrate(store.db);
    return {
      ...store,
      async close() {
        await store.close();
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  },
};

/** Every store the suite runs against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const STORE_TARGETS: StoreTarget[] = serverUrl ? [pgliteTarget, postgresTarget] : [pgliteTarget];

/** Declares the same tests once per store ("on pglite", "on postgres"). */
export function describeEachStore(title: string, body: (target: StoreTarget) => void): void {
  for (const target of STORE_TARGETS) {
    describe(`${title} (on ${target.name})`, () => body(target));
  }
}
