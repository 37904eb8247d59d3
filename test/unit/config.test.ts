import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SESSION_SECRET, loadConfig } from '../../src/config/config.js';
import { UserFacingError } from '../../src/shared/errors.js';

describe('configuration', () => {
  it('defaults to the embedded store in ./data on port 3000, bound to localhost', () => {
    const config = loadConfig({});
    expect(config.store).toEqual({ kind: 'pglite', dataDir: expect.stringMatching(/data$/) });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.sessionIdleMinutes).toBe(30);
  });

  it('uses PORT, THROUGHLINE_DATA_DIR and --data (which wins)', () => {
    expect(loadConfig({ PORT: '4001' }).port).toBe(4001);
    expect(loadConfig({ THROUGHLINE_DATA_DIR: '/tmp/a' }).store).toEqual({ kind: 'pglite', dataDir: '/tmp/a' });
    expect(loadConfig({ THROUGHLINE_DATA_DIR: '/tmp/a' }, { dataDir: '/tmp/b' }).store).toEqual({ kind: 'pglite', dataDir: '/tmp/b' });
  });

  it('switches to a PostgreSQL server with DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).store).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).store.kind).toBe('postgres');
  });

  it('refuses an unknown DATABASE_URL scheme with one sentence', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u@h/db' })).toThrow(UserFacingError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u@h/db' })).toThrow(/must start with postgres:\/\//);
  });

  it('refuses a data folder together with DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db', THROUGHLINE_DATA_DIR: '/tmp/x' })).toThrow(/not both/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db' }, { dataDir: '/tmp/x' })).toThrow(/not both/);
  });

  it('refuses a bad PORT', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('refuses production without a strong session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: DEVELOPMENT_SESSION_SECRET })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(config.production).toBe(true);
    expect(config.host).toBe('0.0.0.0');
  });
});
