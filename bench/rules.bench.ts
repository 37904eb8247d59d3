/**
 * Rules benchmark: `npm run bench:rules -- [--json] [--children N] [--events-per-child N] [--skip-partnership]`.
 *
 * 1. One new event for a child whose family has a 2,000-event history (bench/generate-family.ts,
 *    seeded), imported into the embedded store: the time to evaluate the rules for the family
 *    with the new event — in memory (the case history built, every rule run, the engine's
 *    decisions), and end to end through the store (the family read, evaluated, alerts written),
 *    on the embedded store and, with BENCH_DATABASE_URL, on PostgreSQL too.
 * 2. A whole partnership re-evaluated on PostgreSQL (BENCH_DATABASE_URL, a scratch database):
 *    50,000 children and 2,000,000 events generated in the database by a seeded SQL generator,
 *    then every family evaluated as the nightly job would, with the time and the memory used.
 * Prints one JSON object. Runs on demand, not in CI.
 */
import { cpus, loadavg } from 'node:os';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { cliContext } from '../src/access/cli-context.js';
import { evaluatePartnership, evaluatePeople } from '../src/alerts/evaluation.service.js';
import { todayInLondon, addDays } from '../src/calendar/days.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { runImport } from '../src/ingest/import-run.js';
import { readExchangeObjects } from '../src/ingest/exchange-objects.service.js';
import { CaseHistory } from '../src/patterns/case-history.js';
import { evaluateDay, type AlertRecord } from '../src/patterns/engine.js';
import { historyInputFromExchange } from '../src/patterns/history-input.js';
import { resolveRuleSettings } from '../src/patterns/rule-settings.js';
import { ALL_RULES } from '../src/patterns/rules/index.js';
import { newId } from '../src/shared/ids.js';
import { generateFamily } from './generate-family.js';

interface Args {
  json: boolean;
  children: number;
  eventsPerChild: number;
  skipPartnership: boolean;
  probes: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, children: 50_000, eventsPerChild: 40, skipPartnership: false, probes: 200 };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (a === '--json') args.json = true;
    else if (a === '--children') args.children = Number(argv[++i]);
    else if (a === '--events-per-child') args.eventsPerChild = Number(argv[++i]);
    else if (a === '--skip-partnership') args.skipPartnership = true;
    else if (a === '--probes') args.probes = Number(argv[++i]);
    else throw new Error(`Unknown option ${a}`);
  }
  return args;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(2));
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/** Evaluations in a fresh process reported apart, as "cold" (see oneNewEvent). */
const WARM_UP = 100;

/** A fresh partnership in `store` holding the generated 2,000-event family, evaluated once. */
async function familyInStore(store: Database, today: string): Promise<{ ctx: ReturnType<typeof cliContext>; events: number }> {
  await migrate(store.db);
  const partnershipId = newId();
  await store.db.insertInto('partnerships').values({ id: partnershipId, slug: `bench-rules-${partnershipId.slice(0, 8)}`, name: 'Bench', settings: '{}', created_at: new Date() }).execute();
  const ctx = cliContext(partnershipId, 'benchmark');
  const family = generateFamily({ seed: 6006, events: 2000, end: today });
  const folder = await mkdtemp(join(tmpdir(), 'throughline-bench-rules-'));
  try {
    const file = join(folder, 'family.ndjson');
    await writeFile(file, `${family.lines.join('\n')}\n`);
    log(`Importing a family with ${family.events} events (${store.kind})...`);
    await runImport(store.db, ctx, file, { batchSize: 2000 });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const child = (await store.db.selectFrom('records').select('person_id').where('partnership_id', '=', partnershipId).where('record_key', '=', 'f:csc:child1').executeTakeFirstOrThrow()).person_id!;
  // The first evaluation raises what the history already shows; each probe then adds one event.
  await evaluatePeople(store.db, ctx, { personIds: [child] });
  return { ctx, events: family.events };
}

/**
 * End to end: one event imported into the store, then the family evaluated as the job does (read
 * from the store, evaluated, alerts written); the evaluation is timed, `probes` times.
 */
async function throughStore(store: Database, ctx: ReturnType<typeof cliContext>, today: string, probes: number): Promise<number[]> {
  const through: number[] = [];
  for (let i = 0; i < probes; i += 1) {
    const line = JSON.stringify({ object: 'event', id: `probe:s${i}`, source: 'hv', type: 'appointment', date: addDays(today, -(i % 5)), subjects: ['f:hv:child1'], service: 'immunisations', status: i % 2 ? 'attended' : 'was-not-brought' });
    const dir = await mkdtemp(join(tmpdir(), 'throughline-bench-probe-'));
    try {
      const file = join(dir, 'one.ndjson');
      await writeFile(file, `{"object":"header","format":"throughline-exchange/1"}\n${line}\n`);
      const run = await runImport(store.db, ctx, file);
      const t = performance.now();
      await evaluatePeople(store.db, ctx, { recordKeys: run.touchedRecords });
      through.push(performance.now() - t);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return through;
}

/**
 * Part 1: a 2,000-event family, one new event, the rules evaluated for it — in memory, and end to
 * end through the embedded store and (with BENCH_DATABASE_URL) through PostgreSQL.
 */
async function oneNewEvent(args: Args, postgresUrl: string | undefined): Promise<Record<string, unknown>> {
  const today = todayInLondon();
  const store = await openDatabase({ kind: 'pglite-memory' });
  try {
    const { ctx, events } = await familyInStore(store, today);

    // In memory: the family as the rules read it, and one more event each time.
    const objects = await readExchangeObjects(store.db, ctx);
    const input = historyInputFromExchange(objects);
    const personOf = new Map((await store.db.selectFrom('records').select(['record_key', 'person_id']).execute()).map((r) => [r.record_key, r.person_id!]));
    const settings = resolveRuleSettings(undefined, ALL_RULES);
    // The first evaluations in a fresh process run while the JavaScript engine is still compiling
    // and optimising the rules (about the first hundred here); a running server has long since
    // done that. Both are reported: the first WARM_UP evaluations as "cold", the rest as the figure.
    const memory: number[] = [];
    const cold: number[] = [];
    for (let i = -WARM_UP; i < args.probes; i += 1) {
      const extra = { id: `probe:e${i}`, source: 'hv', type: 'appointment', date: today, known: today, subjects: ['f:hv:child1'], participants: [], about: [], concerns: [], significant: false, fields: { status: i % 2 ? 'attended' : 'was-not-brought', service: 'immunisations' } };
      const alerts: AlertRecord[] = [];
      const t = performance.now();
      const history = new CaseHistory({ ...input, events: [...input.events, extra] }, personOf, today);
      evaluateDay(history, alerts, { rules: ALL_RULES, settings, newId });
      (i >= 0 ? memory : cold).push(performance.now() - t);
    }

    const storeProbes = Math.min(args.probes, 40);
    const stores: Record<string, unknown>[] = [];
    const pglite = await throughStore(store, ctx, today, storeProbes);
    stores.push({ store: 'pglite', p50: percentile(pglite, 0.5), p95: percentile(pglite, 0.95), probes: pglite.length });
    if (postgresUrl) {
      const server = await openDatabase({ kind: 'postgres', url: postgresUrl });
      try {
        const family = await familyInStore(server, today);
        const postgres = await throughStore(server, family.ctx, today, storeProbes);
        stores.push({ store: 'postgres', p50: percentile(postgres, 0.5), p95: percentile(postgres, 0.95), probes: postgres.length });
      } finally {
        await server.close();
      }
    }
    return {
      familyEvents: events + 1,
      familyPeople: new Set(personOf.values()).size,
      inMemoryMs: { p50: percentile(memory, 0.5), p95: percentile(memory, 0.95), probes: memory.length },
      inMemoryColdMs: { p50: percentile(cold, 0.5), p95: percentile(cold, 0.95), probes: cold.length },
      throughStoreMs: stores,
    };
  } finally {
    await store.close();
  }
}

/**
 * Generates a partnership in the database itself (seeded, so every run is the same): families of a
 * mother, a father living apart and one to four children; each child with `eventsPerChild` events of
 * the common kinds over the last ten years. People are stored as persons with one record each.
 */
async function generatePartnership(store: Database, partnershipId: string, children: number, eventsPerChild: number): Promise<void> {
  const db = store.db;
  const now = new Date();
  await db.insertInto('partnerships').values({ id: partnershipId, slug: `bench-${partnershipId.slice(0, 6)}`, name: 'Bench partnership', settings: '{}', created_at: now }).execute();
  await db.insertInto('organisations').values({ id: newId(), partnership_id: partnershipId, code: 'bench', name: 'Bench agency', agency: 'health-visiting', created_at: now }).execute();
  const org = await db.selectFrom('organisations').select('id').where('partnership_id', '=', partnershipId).executeTakeFirstOrThrow();
  await db.insertInto('source_systems').values({ id: newId(), partnership_id: partnershipId, source_key: 'bench', agency: 'health-visiting', name: 'Bench agency', authority: 'Benchshire', organisation_id: org.id, version: 1, content_sha256: 'bench', updated_at: now }).execute();
  const pid = partnershipId;
  const step = async (what: string, query: ReturnType<typeof sql>) => {
    const t = performance.now();
    await query.execute(db);
    log(`  ${what} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  };
  await sql`select setseed(0.42)`.execute(db);
  // Children per family: 1 to 4; families numbered until the children are made.
  await step(
    'children',
    sql`create table bench_children as
      select c as n, (c - 1) / 2 + 1 as family, md5('child-' || c)::uuid as id,
             (current_date - (365 * (1 + (c % 16)) + (c % 300)))::text as dob
        from generate_series(1, ${children}) c`,
  );
  await step(
    'adults',
    sql`create table bench_adults as
      select f as family, md5('mother-' || f)::uuid as mother, md5('father-' || f)::uuid as father
        from (select distinct family as f from bench_children) x`,
  );
  await step(
    'persons',
    sql`insert into persons (id, partnership_id, kind, given_name, family_name, date_of_birth, sex, created_at)
      select id, ${pid}::uuid, 'person', 'Child', 'Family' || family, dob, case when n % 2 = 0 then 'female' else 'male' end, now() from bench_children
      union all select mother, ${pid}::uuid, 'person', 'Mother', 'Family' || family, (current_date - 365 * 30)::text, 'female', now() from bench_adults
      union all select father, ${pid}::uuid, 'person', 'Father', 'Family' || family, (current_date - 365 * 32)::text, 'male', now() from bench_adults`,
  );
  await step(
    'records',
    sql`insert into records (id, partnership_id, record_key, source_key, version, content_sha256, person_id, kind, given_name, family_name, date_of_birth, sex, nhs_number_valid, restricted, details, search_keys, first_received_at, updated_at)
      select md5('r' || p.id)::uuid, ${pid}::uuid, 'b:' || p.id, 'bench', 1, 'x', p.id, 'person', p.given_name, p.family_name, p.date_of_birth, p.sex, false, false, '{}', '{}', now() - interval '400 days', now()
        from persons p where p.partnership_id = ${pid}::uuid`,
  );
  await step(
    'family links',
    sql`insert into relationships (id, partnership_id, relationship_key, source_key, version, content_sha256, from_record_key, to_record_key, type, lives_elsewhere, father_unknown, updated_at)
      select md5('rm' || c.id)::uuid, ${pid}::uuid, 'b:rm:' || c.n, 'bench', 1, 'x', 'b:' || a.mother, 'b:' || c.id, 'mother', false, false, now() from bench_children c join bench_adults a using (family)
      union all
      select md5('rf' || c.id)::uuid, ${pid}::uuid, 'b:rf:' || c.n, 'bench', 1, 'x', 'b:' || a.father, 'b:' || c.id, 'father', true, false, now() from bench_children c join bench_adults a using (family)`,
  );
  await step(
    'person links',
    sql`insert into person_links (id, partnership_id, from_person_id, to_person_id, type, lives_elsewhere, created_at, relationship_key)
      select md5('lm' || c.id)::uuid, ${pid}::uuid, a.mother, c.id, 'mother', false, now(), 'b:rm:' || c.n from bench_children c join bench_adults a using (family)
      union all
      select md5('lf' || c.id)::uuid, ${pid}::uuid, a.father, c.id, 'father', true, now(), 'b:rf:' || c.n from bench_children c join bench_adults a using (family)`,
  );
  await step(
    `${(children * eventsPerChild).toLocaleString('en-GB')} events`,
    sql`insert into events (id, partnership_id, event_key, source_key, version, content_sha256, type, date, date_precision, date_sort, recorded, recorded_sort, significant, restricted, concerns, about, details, first_received_at, updated_at)
      select md5('e' || c.n || '-' || g)::uuid, ${pid}::uuid, 'b:e:' || c.n || ':' || g, 'bench', 1, 'x', t.type, t.d, 'day', t.d, null, t.d, false, false,
             case when t.type in ('concern', 'observation') then '["hygiene"]'::jsonb else '[]'::jsonb end, '[]'::jsonb,
             case t.type
               when 'appointment' then jsonb_build_object('service', 'immunisations', 'status', case when t.r < 0.85 then 'attended' else 'was-not-brought' end)
               when 'home-visit' then jsonb_build_object('outcome', case when t.r < 0.9 then 'completed' else 'no-access' end, 'childSeen', t.r < 0.9)
               when 'attendance-summary' then jsonb_build_object('setting', 'school', 'from', t.d, 'to', t.d, 'possibleSessions', 60, 'attendedSessions', 50 + (t.r * 10)::int)
               when 'contact' then jsonb_build_object('from', '2A', 'to', 'childrens-social-care')
               when 'ed-attendance' then jsonb_build_object('reason', case when t.r < 0.7 then 'illness' else 'injury' end)
               when 'observation' then jsonb_build_object('domain', 'hygiene')
               else '{}'::jsonb end,
             now() - interval '400 days', now()
        from bench_children c
        cross join generate_series(1, ${eventsPerChild}) g
        -- The outer columns are named so that the generator runs for every row (an uncorrelated
        -- subquery would be run once and give every event the same kind and day).
        cross join lateral (select random() + 0 * g + 0 * c.n as r, random() + 0 * g as k, (current_date - (random() * 3650 + 0 * g)::int)::text as d) x
        cross join lateral (select x.r, x.d, case
             when x.k < 0.40 then 'appointment' when x.k < 0.60 then 'home-visit' when x.k < 0.70 then 'concern' when x.k < 0.78 then 'attendance-summary'
             when x.k < 0.84 then 'contact' when x.k < 0.88 then 'ed-attendance' when x.k < 0.92 then 'observation' when x.k < 0.96 then 'lateral-check'
             else 'child-voice' end as type) t`,
  );
  await step(
    'event subjects',
    sql`insert into event_records (partnership_id, event_id, record_key, role)
      select ${pid}::uuid, md5('e' || c.n || '-' || g)::uuid, 'b:' || c.id, 'subject' from bench_children c cross join generate_series(1, ${eventsPerChild}) g`,
  );
  await sql`drop table bench_children`.execute(db);
  await sql`drop table bench_adults`.execute(db);
  await sql`analyze`.execute(db);
}

/** Part 2: the whole partnership on PostgreSQL. */
async function wholePartnership(args: Args, url: string): Promise<Record<string, unknown>> {
  const store = await openDatabase({ kind: 'postgres', url });
  try {
    await migrate(store.db);
    const partnershipId = newId();
    log(`Generating ${args.children.toLocaleString('en-GB')} children with ${args.eventsPerChild} events each in the database...`);
    const g = performance.now();
    await generatePartnership(store, partnershipId, args.children, args.eventsPerChild);
    const generateSeconds = (performance.now() - g) / 1000;
    let peakRss = process.memoryUsage().rss;
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 200);
    const startRss = process.memoryUsage().rss;
    const cpu = process.cpuUsage();
    const t = performance.now();
    let last = 0;
    const outcome = await evaluatePartnership(store.db, cliContext(partnershipId, 'benchmark'), {
      batch: 1000,
      onProgress: (people) => {
        if (people - last >= 10_000) {
          last = people;
          log(`  evaluated ${people.toLocaleString('en-GB')} people (${((performance.now() - t) / 1000).toFixed(0)} s)`);
        }
      },
    });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    clearInterval(timer);
    const events = Number((await store.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('partnership_id', '=', partnershipId).executeTakeFirstOrThrow()).n);
    return {
      store: 'postgres',
      children: args.children,
      events,
      generateSeconds: Number(generateSeconds.toFixed(1)),
      evaluateSeconds: Number(seconds.toFixed(1)),
      peoplePerSecond: Math.round(outcome.people / seconds),
      // Time this process spent computing (the rest is waiting for the database).
      nodeCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)),
      alertsRaised: outcome.raised,
      memoryMb: { startRss: Math.round(startRss / 1e6), peakRss: Math.round(peakRss / 1e6) },
    };
  } finally {
    await store.close();
  }
}

const args = parseArgs(process.argv.slice(2));
const report: Record<string, unknown> = {
  benchmark: 'rules',
  measured: new Date().toISOString(),
  node: process.version,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverage1m: Number(loadavg()[0]!.toFixed(2)) },
  note: 'oneNewEvent: a generated family with a 2,000-event history; inMemoryMs is building the case history and running every rule and the engine for the family with one more event, after the process has run 100 such evaluations (inMemoryColdMs: those first 100, while the JavaScript engine is still optimising); throughStoreMs is the evaluation job for that family after one event is imported (the family read from the store, evaluated, alerts written), on the embedded store and on PostgreSQL when BENCH_DATABASE_URL is set. partnership: every family of a generated partnership evaluated as the nightly job would, on PostgreSQL (BENCH_DATABASE_URL).',
};
report.oneNewEvent = await oneNewEvent(args, process.env.BENCH_DATABASE_URL);
if (!args.skipPartnership) {
  if (process.env.BENCH_DATABASE_URL) report.partnership = await wholePartnership(args, process.env.BENCH_DATABASE_URL);
  else report.partnership = { skipped: 'set BENCH_DATABASE_URL to a scratch PostgreSQL database to measure the whole partnership' };
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
