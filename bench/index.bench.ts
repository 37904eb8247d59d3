import { runFoundationBench } from './foundation.bench.js';

// `npm run bench [-- --json]`: the foundation benchmarks on the embedded store, and on PostgreSQL
// when BENCH_DATABASE_URL names a database that may be written to. Prints one JSON object.
// Identity resolution has its own: `npm run bench:identity -- --json`.

const results: Record<string, unknown>[] = [];
process.stderr.write('Running foundation benchmarks on the embedded store...\n');
results.push(await runFoundationBench('pglite'));
if (process.env.BENCH_DATABASE_URL) {
  process.stderr.write('Running foundation benchmarks on PostgreSQL...\n');
  results.push(await runFoundationBench('postgres', process.env.BENCH_DATABASE_URL));
}
process.stdout.write(`${JSON.stringify({ measured: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, results }, null, 2)}\n`);
