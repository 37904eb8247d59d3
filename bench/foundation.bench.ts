import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { personAccess } from '../src/access/access-policy.js';
import type { ActorContext } from '../src/access/actor-context.js';
import { appendAudit } from '../src/audit/audit.service.js';
import { verifyAuditChains } from '../src/audit/audit-verify.service.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';
import { newId } from '../src/shared/ids.js';

// Foundation benchmarks: the set-wise access check for a page of people, audit appends and chain
// verification. Data is generated here with a seeded generator, so runs are comparable.

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number(sorted[Math.floor(sorted.length * 0.95)]!.toFixed(2));
}

async function generate(db: Kysely<DB>, people: number): Promise<{ partnershipId: string; organisationId: string; personIds: string[] }> {
  const random = seeded(42);
  const partnershipId = newId();
  const organisationId = newId();
  const now = new Date();
  await db.insertInto('partnerships').values({ id: partnershipId, slug: `bench-${partnershipId.slice(0, 6)}`, name: 'Bench', settings: '{}', created_at: now }).execute();
  await db.insertInto('organisations').values({ id: organisationId, partnership_id: partnershipId, code: 'school', name: 'School', agency: 'school', created_at: now }).execute();
  const personIds: string[] = [];
  for (let start = 0; start < people; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, people - start) }, () => ({ id: newId(), partnership_id: partnershipId, kind: 'person' as const, given_name: 'Bench', family_name: `P${Math.floor(random() * 1e6)}`, sex: 'unknown' as const, created_at: now }));
    await db.insertInto('persons').values(batch).execute();
    personIds.push(...batch.map((b) => b.id));
    // One in ten people is known to the school; one in five is in a family link with the previous one.
    const involvements = batch.filter(() => random() < 0.1).map((b) => ({ id: newId(), partnership_id: partnershipId, person_id: b.id, organisation_id: organisationId, role: 'team-around-child' as const, start_date: '2024-01-01', created_at: now }));
    if (involvements.length) await db.insertInto('involvements').values(involvements).execute();
    const links = batch.slice(1).filter(() => random() < 0.2).map((b, i) => ({ id: newId(), partnership_id: partnershipId, from_person_id: batch[i]!.id, to_person_id: b.id, type: 'sibling' as const, created_at: now }));
    if (links.length) await db.insertInto('person_links').values(links).execute();
  }
  return { partnershipId, organisationId, personIds };
}

/** Runs the foundation benchmarks on one store and returns the figures. */
export async function runFoundationBench(store: 'pglite' | 'postgres', url?: string): Promise<Record<string, unknown>> {
  const database = await openDatabase(store === 'pglite' ? { kind: 'pglite-memory' } : { kind: 'postgres', url: url! });
  try {
    await migrate(database.db);
    const people = 20_000;
    const { partnershipId, organisationId, personIds } = await generate(database.db, people);
    const ctx: ActorContext = {
      partnershipId,
      actor: { type: 'user', id: newId(), label: 'bench', organisationId, roles: ['practitioner'] },
      purpose: 'benchmark',
      correlationId: newId(),
      ip: null,
    };
    const random = seeded(7);
    const accessSamples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const page = Array.from({ length: 50 }, () => personIds[Math.floor(random() * personIds.length)]!);
      const t = performance.now();
      await database.db.transaction().execute((trx) => personAccess(trx, ctx, page));
      accessSamples.push(performance.now() - t);
    }
    const appends = 2000;
    const t0 = performance.now();
    for (let i = 0; i < appends; i++) await database.db.transaction().execute((trx) => appendAudit(trx, ctx, { action: 'bench.append', details: { i } }));
    const appendSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const report = await verifyAuditChains(database.db);
    const verifySeconds = (performance.now() - t1) / 1000;
    return {
      store,
      people,
      accessCheckPageOf50: { p95Ms: p95(accessSamples), samples: accessSamples.length },
      auditAppendsPerSecond: Math.round(appends / appendSeconds),
      auditVerifyRowsPerSecond: Math.round(report.chains.reduce((n, c) => n + c.rows, 0) / verifySeconds),
      auditIntact: report.intact,
    };
  } finally {
    await database.close();
  }
}
