/**
 * Chronology benchmark: `npm run bench:chronology -- [--json] [--events N] [--requests N]`.
 *
 * A generated family with 10,000 events (bench/generate-family.ts, seeded) is imported through the
 * real importer into the embedded store (and a PostgreSQL database when BENCH_DATABASE_URL is set).
 * A practitioner who is the eldest child's lead practitioner then asks for the family chronology's
 * first page over HTTP, from the real application with its templates cached as in production:
 * the timeline picture and the figures included. Prints the server time per page (p50, p95) and,
 * separately, the chronology service's own time (the database reads and the picture's data).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { cliContext } from '../src/access/cli-context.js';
import { hashPassword } from '../src/auth/password.js';
import { getChronology } from '../src/chronology/chronology.service.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { runImport } from '../src/ingest/import-run.js';
import { newId } from '../src/shared/ids.js';
import { createLogger } from '../src/shared/logger.js';
import { createApp } from '../src/web/app.js';
import { generateFamily } from './generate-family.js';

interface Args {
  json: boolean;
  events: number;
  requests: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, events: 10_000, requests: 40 };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (a === '--json') args.json = true;
    else if (a === '--events') args.events = Number(argv[++i]);
    else if (a === '--requests') args.requests = Number(argv[++i]);
    else throw new Error(`Unknown option ${a}`);
  }
  return args;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1));
}

const PASSWORD = 'bench-password-not-secret';

async function prepare(store: Database, events: number): Promise<{ personId: string; email: string; partnershipId: string }> {
  await migrate(store.db);
  const partnershipId = newId();
  const now = new Date();
  await store.db.insertInto('partnerships').values({ id: partnershipId, slug: `bench-${partnershipId.slice(0, 6)}`, name: 'Bench partnership', settings: '{}', created_at: now }).execute();
  const family = generateFamily({ seed: 20261203, events, end: new Date().toISOString().slice(0, 10) });
  const folder = await mkdtemp(join(tmpdir(), 'throughline-bench-'));
  try {
    const file = join(folder, 'family.ndjson');
    await writeFile(file, `${family.lines.join('\n')}\n`);
    process.stderr.write(`Importing a family with ${family.events.toLocaleString('en-GB')} events...\n`);
    const run = await runImport(store.db, cliContext(partnershipId, 'benchmark'), file, { batchSize: 2000 });
    if (run.summary.rejected.length > 0) throw new Error(`generated family rejected: ${JSON.stringify(run.summary.rejected.slice(0, 3))}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const org = await store.db.selectFrom('organisations').select('id').where('partnership_id', '=', partnershipId).where('code', '=', 'csc').executeTakeFirstOrThrow();
  const userId = newId();
  const email = `bench-${userId.slice(0, 6)}@bench.test`;
  await store.db.insertInto('users').values({ id: userId, partnership_id: partnershipId, organisation_id: org.id, email, display_name: 'Bench Worker', password_hash: await hashPassword(PASSWORD), roles: ['practitioner'], created_at: now }).execute();
  const eldest = await store.db.selectFrom('records').select('person_id').where('partnership_id', '=', partnershipId).where('record_key', '=', 'f:csc:child1').executeTakeFirstOrThrow();
  await store.db.insertInto('involvements').values({ id: newId(), partnership_id: partnershipId, person_id: eldest.person_id!, organisation_id: org.id, worker_user_id: userId, role: 'lead-practitioner', start_date: '2020-01-01', created_at: now }).execute();
  return { personId: eldest.person_id!, email, partnershipId };
}

/** Signs in over HTTP and returns the cookie header. */
async function signIn(base: string, email: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv!.indexOf('=');
      jar.set(kv!.slice(0, i), kv!.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await fetch(`${base}/sign-in`);
  keep(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/sign-in`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token, email, password: PASSWORD }) });
  keep(res);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return cookie();
}

async function measure(kind: 'pglite' | 'postgres', args: Args, url?: string): Promise<Record<string, unknown>> {
  const store = await openDatabase(kind === 'pglite' ? { kind: 'pglite-memory' } : { kind: 'postgres', url: url! });
  try {
    const { personId, email, partnershipId } = await prepare(store, args.events);
    // Production settings where they matter here: templates compiled once and cached.
    const config = { ...loadConfig({ NODE_ENV: 'test' }), production: true, sessionSecret: 'a-benchmark-secret-that-is-long-enough-1234567890' };
    const app = createApp({ db: store.db, config, logger: createLogger('silent') });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cookie = await signIn(base, email);
      const path = `/people/${personId}/chronology?scope=family`;
      const page: number[] = [];
      let bytes = 0;
      let entries = 0;
      for (let i = 0; i < args.requests + 3; i += 1) {
        const t = performance.now();
        const res = await fetch(base + path, { headers: { cookie } });
        const html = await res.text();
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`chronology page answered ${res.status}`);
        if (i >= 3) page.push(ms);
        bytes = html.length;
        entries = (html.match(/id="entry-/g) ?? []).length;
      }
      const service: number[] = [];
      const ctx = { ...cliContext(partnershipId, 'benchmark') };
      let total = 0;
      for (let i = 0; i < args.requests; i += 1) {
        const t = performance.now();
        const view = await getChronology(store.db, ctx, personId, { family: true });
        service.push(performance.now() - t);
        total = view.total;
      }
      return {
        store: kind,
        familyEvents: total,
        firstPageEntries: entries,
        pageBytes: bytes,
        pageMs: { p50: percentile(page, 0.5), p95: percentile(page, 0.95), max: percentile(page, 1) },
        serviceMs: { p50: percentile(service, 0.5), p95: percentile(service, 0.95) },
        requests: args.requests,
      };
    } finally {
      server.close();
      server.closeAllConnections();
    }
  } finally {
    await store.close();
  }
}

const args = parseArgs(process.argv.slice(2));
const results = [await measure('pglite', args)];
if (process.env.BENCH_DATABASE_URL) results.push(await measure('postgres', args, process.env.BENCH_DATABASE_URL));
const report = {
  benchmark: 'chronology',
  measured: new Date().toISOString(),
  node: process.version,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverage1m: Number(loadavg()[0]!.toFixed(2)) },
  note: 'A family of 7 people and the given number of events (seeded); the first page of the family chronology (100 entries, the timeline picture and the attendance and appointment figures), requested over HTTP from the real application with templates cached. pageMs is the time from request to the last byte, for the eldest child’s lead practitioner; serviceMs is the chronology service alone, called as the command line (which reads every entry in full, so its picture and figures hold more than the practitioner’s).',
  results,
};
if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else for (const r of results) process.stdout.write(`${String(r.store)}: ${String(r.familyEvents)} events; page p50 ${(r.pageMs as { p50: number }).p50} ms, p95 ${(r.pageMs as { p95: number }).p95} ms; service p95 ${(r.serviceMs as { p95: number }).p95} ms\n`);
