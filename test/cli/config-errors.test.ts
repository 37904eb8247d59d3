/**
 * Configuration that cannot work stops the command line before it opens anything, with one clear
 * sentence on standard error, exit status 2 and no stack trace. Run at the default log level, so
 * no log line may sneak out either.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLines, hasStackTrace, runCli, show, TempDirs, type CliResult } from './cli-harness.js';

const TIMEOUT = 90_000; // one CLI start; generous for a loaded machine
const temp = new TempDirs();
afterAll(() => temp.removeAll());

/** Exit 2, exactly one non-empty line on standard error (not counting migration progress), no stack. */
function expectOneSentenceRefusal(result: CliResult): string {
  expect(result.code, show(result)).toBe(2);
  expect(hasStackTrace(result.stderr), show(result)).toBe(false);
  const lines = errorLines(result.stderr);
  expect(lines, show(result)).toHaveLength(1);
  expect(lines[0]).toMatch(/^[A-Z"-].*\.$/);
  return lines[0]!;
}

describe('bad configuration stops start-up with one clear sentence', () => {
  it('DATABASE_URL that is not PostgreSQL', { timeout: TIMEOUT }, async () => {
    const result = await runCli(['migrate'], { env: { DATABASE_URL: 'mysql://x' } });
    const line = expectOneSentenceRefusal(result);
    expect(line).toContain('postgres://');
    expect(line).toContain('DATABASE_URL');
  });

  it('both --data and DATABASE_URL', { timeout: TIMEOUT }, async () => {
    const dataDir = join(temp.make('both'), 'data');
    // Port 1 on loopback: nothing listens there, so even a wrong "yes" could not touch a real server.
    const result = await runCli(['migrate', '--data', dataDir], { env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    const line = expectOneSentenceRefusal(result);
    expect(line).toMatch(/--data/);
    expect(line).toMatch(/DATABASE_URL/);
    expect(existsSync(dataDir), 'the data folder was not created').toBe(false);
  });

  it('a data folder that cannot be created (it would sit under a regular file)', { timeout: TIMEOUT }, async () => {
    // The tests run as root, for whom chmod stops nothing; a path through a file fails for anyone.
    const file = join(temp.make('unwritable'), 'a-file');
    writeFileSync(file, 'not a folder');
    const dataDir = join(file, 'sub');
    const result = await runCli(['migrate', '--data', dataDir]);
    const line = expectOneSentenceRefusal(result);
    expect(line).toContain(dataDir);
    expect(line).toContain('--data');
  });

  it('serve in production without SESSION_SECRET', { timeout: TIMEOUT }, async () => {
    const dataDir = join(temp.make('production'), 'data');
    // Should it wrongly start serving, the harness kills it after the timeout and the test fails.
    const result = await runCli(['serve', '--data', dataDir, '--port', '39517'], { env: { NODE_ENV: 'production' }, timeoutMs: 80_000 });
    const line = expectOneSentenceRefusal(result);
    expect(line).toContain('SESSION_SECRET');
    expect(result.stdout).toBe('');
    expect(existsSync(dataDir), 'the data folder was not created').toBe(false);
  });
});
