/**
 * Import benchmarks, end to end through the real importer and database:
 *
 * - `endToEnd`: a batch of person records (seeded generator: people plus corrupted copies from
 *   other "agencies") written as one exchange file, imported and resolved into persons. Records per
 *   second include reading, validation, every database write (versions, current state, persons,
 *   identity changes, the review queue) and identity resolution.
 * - `largeNdjson`: an NDJSON file of many events (default 1,000,000) streamed through the importer,
 *   with peak memory sampled, to show that memory stays bounded however large the file.
 *
 * `npm run bench:import -- [--json] [--records N] [--events N] [--store pglite|postgres]`
 * (postgres uses BENCH_DATABASE_URL). `bench:identity` runs `endToEnd` too.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { systemContext } from '../src/access/cli-context.js';
import { partnershipForImport } from '../src/directory/directory.service.js';
import { runImport } from '../src/ingest/import-run.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openStore, timeEndToEnd } from './import-timing.js';

async function openDiskStore(dataDir: string): Promise<Database> {
  const store = await openDatabase({ kind: 'pglite', dataDir });
  await migrate(store.db);
  return store;
}

/** Streams a large NDJSON file of events through the importer, sampling peak memory. */
async function timeLargeNdjson(kind: 'pglite' | 'postgres', events: number) {
  const folder = await mkdtemp(join(tmpdir(), 'throughline-bench-'));
  // On disk, as in real use: an in-memory store would count the database itself as our memory.
  const store = kind === 'pglite' ? await openDiskStore(join(folder, 'pgdata')) : await openStore(kind);
  try {
    const file = join(folder, 'events.ndjson');
    const out = createWriteStream(file);
    const write = async (line: string) => {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    };
    await write(JSON.stringify({ object: 'header', format: 'throughline-exchange/1', title: 'bench' }));
    await write(JSON.stringify({ object: 'source', id: 'school', agency: 'school', name: 'Bench school' }));
    const children = 1000;
    for (let c = 0; c < children; c += 1) await write(JSON.stringify({ object: 'record', id: `school:c${c}`, source: 'school', givenName: `Child${c}`, familyName: 'Bench', dateOfBirth: '2015-05-01' }));
    for (let e = 0; e < events; e += 1) {
      const day = String(1 + (e % 28)).padStart(2, '0');
      await write(JSON.stringify({ object: 'event', id: `school:e${e}`, source: 'school', type: 'concern', date: `2024-03-${day}`, subjects: [`school:c${e % children}`], summary: 'Came to school hungry.' }));
    }
    out.end();
    await once(out, 'finish');
    const { partnership } = await partnershipForImport(store.db, `bench-${Date.now()}`);
    const ctx = systemContext(partnership.id, 'bench', 'benchmark');
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const timer = setInterval(sample, 200);
    const started = performance.now();
    const run = await runImport(store.db, ctx, file, {
      onProgress: (p) => {
        sample();
        if (process.stderr.isTTY) process.stderr.write(`\r  ${p.objects.toLocaleString('en-GB')} objects`);
      },
    });
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    return {
      store: kind,
      events: run.summary.imported.events,
      seconds: Math.round(seconds),
      eventsPerSecond: Math.round(run.summary.imported.events / seconds),
      peakRssMiB: Math.round(peakRss / 1048576),
      peakHeapMiB: Math.round(peakHeap / 1048576),
    };
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const storeArg = argv.includes('--store') ? argv[argv.indexOf('--store') + 1] : 'pglite';
  const kind = storeArg === 'postgres' ? 'postgres' : 'pglite';
  process.stderr.write(`Importing ${arg('--records', 20_000)} records end to end on ${kind}...\n`);
  const endToEnd = await timeEndToEnd(kind, arg('--records', 20_000));
  const events = arg('--events', 1_000_000);
  let largeNdjson = null;
  if (events > 0) {
    process.stderr.write(`Streaming ${events} events through the importer on ${kind}...\n`);
    largeNdjson = await timeLargeNdjson(kind, events);
    process.stderr.write('\n');
  }
  const result = { measured: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverage: loadavg()[0], endToEnd, largeNdjson };
  process.stdout.write(`${argv.includes('--json') ? JSON.stringify(result) : JSON.stringify(result, null, 2)}\n`);
}

await main();
