// End-to-end import timing shared by `bench:import` and `bench:identity`: a batch of person
// records (seeded generator: people plus corrupted copies from other agencies) written as one
// exchange file, imported and resolved into persons, every database write included.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemContext } from '../src/access/cli-context.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { partnershipForImport } from '../src/directory/directory.service.js';
import type { IdentityRecordInput } from '../src/identity/normalise.js';
import { parseExchangeDate } from '../src/ingest/exchange-dates.js';
import { runImport } from '../src/ingest/import-run.js';
import { corruptCopy, generatePeople, mulberry32 } from './generate-people.js';

const SOURCES = ['gp', 'school', 'hospital', 'police'] as const;

/** A fresh store: PGlite in memory, or the PostgreSQL database BENCH_DATABASE_URL names. */
export async function openStore(kind: 'pglite' | 'postgres'): Promise<Database> {
  const url = process.env.BENCH_DATABASE_URL;
  if (kind === 'postgres' && !url) throw new Error('BENCH_DATABASE_URL is not set');
  const store = kind === 'postgres' ? await openDatabase({ kind: 'postgres', url: url! }) : await openDatabase({ kind: 'pglite-memory' });
  await migrate(store.db);
  return store;
}

/**
 * A record as an agency would send it in the exchange format: dates written YYYY-MM-DD (development
 * files write 19560915), sex as the format's words, and an impossible date left out (an agency's
 * file would be rejected for it; the development files are full of them, on purpose). Fields the
 * format has no place for (FEBRL's social security number, e-mail) cannot be sent.
 */
function exchangeRecord(r: IdentityRecordInput, source: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, source };
  if (r.givenName) out.givenName = r.givenName;
  if (r.familyName) out.familyName = r.familyName;
  const dob = r.dateOfBirth?.replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
  if (dob && parseExchangeDate(dob).ok) out.dateOfBirth = dob;
  const sex = r.sex?.trim().toLowerCase();
  if (sex === 'female' || sex === 'f' || sex === '2') out.sex = 'female';
  else if (sex === 'male' || sex === 'm' || sex === '1') out.sex = 'male';
  if (r.nhsNumber) out.nhsNumber = r.nhsNumber;
  if (r.address) out.address = Object.fromEntries(Object.entries(r.address).filter(([, v]) => v));
  if (r.phone) out.phone = r.phone;
  if (r.otherNames?.length) out.otherNames = r.otherNames;
  return out;
}

/** People and corrupted copies of some of them, as several agencies would send them. */
function batchOf(records: number, seed: number): Record<string, unknown>[] {
  const rng = mulberry32(seed + 1);
  const people = generatePeople(Math.ceil(records / 1.5), seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < people.length && out.length < records; i += 1) {
    out.push(exchangeRecord({ ...people[i]!, id: `gp:${i}` }, 'gp'));
    if (out.length < records && rng() < 0.5) {
      const source = SOURCES[1 + Math.floor(rng() * 3)]!;
      out.push(exchangeRecord(corruptCopy(people[i]!, rng, `${source}:${i}`), source));
    }
  }
  return out;
}

/** Imports a batch of records end to end and times it. */
export async function timeEndToEnd(kind: 'pglite' | 'postgres', records: number, seed = 20250601) {
  const folder = await mkdtemp(join(tmpdir(), 'throughline-bench-'));
  const store = await openStore(kind);
  try {
    const file = join(folder, 'batch.json');
    const sources = SOURCES.map((id) => ({ id, agency: id, name: `Bench ${id}` }));
    await writeFile(file, JSON.stringify({ format: 'throughline-exchange/1', sources, records: batchOf(records, seed) }));
    const { partnership } = await partnershipForImport(store.db, `bench-${Date.now()}`);
    const ctx = systemContext(partnership.id, 'bench', 'benchmark');
    const started = performance.now();
    const run = await runImport(store.db, ctx, file);
    const seconds = (performance.now() - started) / 1000;
    return {
      store: kind,
      records: run.summary.imported.records,
      rejected: run.summary.rejected.length,
      rejectedExamples: run.summary.rejected.slice(0, 3).map((r) => `${r.object}: ${r.message}`),
      seconds: Math.round(seconds * 100) / 100,
      recordsPerSecond: Math.round(run.summary.imported.records / seconds),
      persons: run.resolution?.persons ?? null,
      reviewQueue: run.resolution?.reviewQueue ?? null,
    };
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}


/**
 * Imports these person records (as one agency's exchange file) into a fresh store and returns who
 * is who as stored, with the time taken end to end (reading, validating, writing, resolving).
 */
export async function importAndExport(kind: 'pglite' | 'postgres', records: IdentityRecordInput[]): Promise<{ seconds: number; persons: string[][]; reviewQueue: number }> {
  const folder = await mkdtemp(join(tmpdir(), 'throughline-bench-'));
  const store = await openStore(kind);
  try {
    const file = join(folder, 'records.json');
    const bySource = new Set(records.map((r) => r.source ?? 'dev'));
    const sources = [...bySource].map((id) => ({ id, agency: 'other', name: `Development data ${id}` }));
    await writeFile(file, JSON.stringify({ format: 'throughline-exchange/1', sources, records: records.map((r) => exchangeRecord(r, r.source ?? 'dev')) }));
    const { partnership } = await partnershipForImport(store.db, `bench-${Date.now()}`);
    const ctx = systemContext(partnership.id, 'bench', 'benchmark');
    const started = performance.now();
    const run = await runImport(store.db, ctx, file);
    const seconds = (performance.now() - started) / 1000;
    if (run.summary.rejected.length > 0) throw new Error(`bench records rejected: ${run.summary.rejected.slice(0, 3).map((r) => r.message).join('; ')}`);
    const { exportIdentities } = await import('../src/identity/identity.service.js');
    const exported = await exportIdentities(store.db, ctx);
    return { seconds, persons: exported.persons.map((p) => p.records), reviewQueue: exported.reviewQueue.length };
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}
