import { loadConfig, type AppConfig } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { GlobalOptions } from './command.js';

/** Loads the configuration, opens the store and brings its schema up to date. */
export async function openStore(global: GlobalOptions, overrides: { port?: number } = {}): Promise<{ config: AppConfig; store: Database }> {
  const config = loadConfig(process.env, { dataDir: global.data, port: overrides.port });
  const store = await openDatabase(config.store);
  try {
    await migrate(store.db, (name) => process.stderr.write(`Applied migration ${name}\n`));
  } catch (error) {
    await store.close();
    throw error;
  }
  return { config, store };
}

/** Runs `fn` with an open store and always closes it. */
export async function withStore<T>(global: GlobalOptions, fn: (args: { config: AppConfig; store: Database }) => Promise<T>): Promise<T> {
  const opened = await openStore(global);
  try {
    return await fn(opened);
  } finally {
    await opened.store.close();
  }
}
