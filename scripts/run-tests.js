#!/usr/bin/env node
// The single test command (`npm test`). Finds out what the machine offers for the tests that need
// more than Node (Chromium for the browser tests, a PostgreSQL server for the server half of the
// database tests), says loudly what will be skipped and how to enable it (or, with CI=true, refuses
// to run with anything missing), runs Vitest, and ends with one line: "N passed, N failed".
//
// Usage: npm test [-- <vitest arguments, e.g. a file filter>]
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), TEST_DATABASE_URL (a PostgreSQL server
// whose role may create databases), CI=true (absence of either is an error).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CI = process.env.CI === 'true';
const CONNECT_TIMEOUT_MS = 3000;

/** Host, port and database of a connection URL, never the user or password. */
function describeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || ''}`;
  } catch {
    return '(an address that cannot be read)';
  }
}

/** Whether the server answers and lets this role create databases; the reason when it does not. */
async function checkPostgres(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS + 1000);
  });
  try {
    const check = (async () => {
      await client.connect();
      const { rows } = await client.query('select rolcreatedb or rolsuper as can_create from pg_roles where rolname = current_user');
      return rows[0]?.can_create === true;
    })();
    const canCreate = await Promise.race([check, timeout]);
    if (!canCreate) return { ok: false, reason: `the server answers, but its role may not create databases (grant it CREATEDB)` };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `the server did not answer: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
    client.end().catch(() => {});
  }
}

function banner(lines) {
  const rule = '#'.repeat(78);
  process.stderr.write(`\n${rule}\n${lines.map((l) => `#  ${l}`.trimEnd()).join('\n')}\n${rule}\n\n`);
}

async function main() {
  const childEnv = { ...process.env };
  const problems = [];

  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const hasChromium = existsSync(chromiumPath);
  if (!hasChromium) {
    problems.push({
      what: 'the browser tests (test/browser)',
      title: 'BROWSER TESTS WILL BE SKIPPED (test/browser: keyboard journey, axe accessibility checks, time-out warning)',
      why: `No Chromium at ${chromiumPath}.`,
      fix: ["To run them: apt-get install chromium (Debian's package), or set CHROMIUM_PATH to a Chromium binary."],
    });
  }

  const databaseUrl = process.env.TEST_DATABASE_URL;
  let postgres = { ok: false, reason: 'TEST_DATABASE_URL is not set' };
  if (databaseUrl) postgres = await checkPostgres(databaseUrl);
  if (!postgres.ok) {
    // The store helpers run the PostgreSQL half whenever the variable is set; unset it so an
    // unreachable server skips that half rather than failing every test in it.
    delete childEnv.TEST_DATABASE_URL;
    problems.push({
      what: 'the PostgreSQL half of the database tests',
      title: 'THE POSTGRESQL HALF OF THE DATABASE TESTS WILL BE SKIPPED (they run on embedded PGlite only)',
      why: databaseUrl ? `TEST_DATABASE_URL points at ${describeUrl(databaseUrl)}, but ${postgres.reason}.` : 'TEST_DATABASE_URL is not set.',
      fix: [
        'To run them: start PostgreSQL 15 or later and set, for example,',
        '  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres',
        'The role needs CREATEDB: each test file creates its own database and drops it after.',
      ],
    });
  }

  if (problems.length > 0 && CI) {
    banner([
      'CI=true: the whole suite must run here, and part of it cannot.',
      ...problems.flatMap((p) => ['', `Cannot run ${p.what}: ${p.why}`, ...p.fix]),
      '',
      'No tests were run.',
    ]);
    return 1;
  }
  for (const p of problems) banner([p.title, '', p.why, ...p.fix]);
  process.stderr.write(
    `Browser tests: ${hasChromium ? `Chromium at ${chromiumPath}` : 'skipped'}. ` +
      `Database tests: PGlite${postgres.ok ? ` and PostgreSQL at ${describeUrl(databaseUrl)}` : ' only'}.\n`,
  );

  // The JSON report is kept in test-results/ (ignored by git) for a look after the run.
  const outDir = join(ROOT, 'test-results');
  mkdirSync(outDir, { recursive: true });
  const jsonFile = join(outDir, 'vitest.json');
  rmSync(jsonFile, { force: true });
  {
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`, ...process.argv.slice(2)];
    const code = await new Promise((resolveCode) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: 'inherit' });
      const forward = (signal) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      child.on('error', (error) => {
        process.stderr.write(`Could not start Vitest: ${error.message}\n`);
        resolveCode(1);
      });
      child.on('exit', (exitCode, signal) => resolveCode(exitCode ?? (signal ? 1 : 0)));
    });

    let report;
    try {
      report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    } catch {
      process.stderr.write(`Vitest wrote no results (${jsonFile}); it exited with code ${code}.\n`);
      return code === 0 ? 1 : code;
    }
    const passed = report.numPassedTests ?? 0;
    // A test file that fails before any of its tests run (an import error, a throw at load) has no
    // failed tests of its own; count it as one failure so the summary never hides it.
    const brokenFiles = (report.testResults ?? []).filter(
      (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
    ).length;
    const failed = (report.numFailedTests ?? 0) + brokenFiles;
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    if (brokenFiles > 0) process.stdout.write(`(${brokenFiles} test file${brokenFiles === 1 ? '' : 's'} failed to run; counted as failures below)\n`);
    process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
    if (code === 0 && failed > 0) return 1;
    return code;
  }
}

process.exitCode = await main();
