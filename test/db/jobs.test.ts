import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliContext } from '../../src/access/cli-context.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/db/database.js';
import { runImport } from '../../src/ingest/import-run.js';
import { startJobQueue } from '../../src/jobs/job-queue.js';
import { createLogger } from '../../src/shared/logger.js';
import { buildPartnership } from '../helpers/builders.js';
import { sharedDir } from '../helpers/shared-material.js';
import { describeEachStore } from '../helpers/stores.js';

// The background jobs through pg-boss on each store: an import queues the evaluation of the people
// it touched (after it has committed), and the deadline job, run when the server starts, evaluates
// the people whose deadline has come.
async function until<T>(check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting for the job');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeEachStore('the job queue', (target) => {
  let store: Database;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('evaluates the people an import touched, as a job queued after the import', { timeout: 60_000 }, async () => {
    const partnership = await buildPartnership(store.db);
    const run = await runImport(store.db, cliContext(partnership, 'test'), sharedDir('scenarios', 'kingfisher-mia.json'));
    const count = async () => Number((await store.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).where('partnership_id', '=', partnership).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(0);
    const queue = await startJobQueue(store.db, loadConfig({ NODE_ENV: 'test' }), createLogger('silent'));
    try {
      await queue.jobs.peopleChanged(partnership, { recordKeys: run.touchedRecords });
      const raised = await until(async () => ((await count()) > 0 ? count() : undefined));
      expect(raised).toBeGreaterThan(0);
      const audit = await store.db.selectFrom('audit_log').select('actor_label').where('partnership_id', '=', partnership).where('action', '=', 'alerts.evaluate').execute();
      expect(audit.every((a) => a.actor_label === 'system:evaluate-rules')).toBe(true);
    } finally {
      await queue.stop();
    }
  });

  it('evaluates, when it starts, everyone whose deadline has come', { timeout: 60_000 }, async () => {
    const partnership = await buildPartnership(store.db);
    await runImport(store.db, cliContext(partnership, 'test'), sharedDir('scenarios', 'child-b.json'));
    const people = await store.db.selectFrom('persons').select('id').where('partnership_id', '=', partnership).execute();
    await store.db.insertInto('evaluation_schedule').values(people.map((p) => ({ partnership_id: partnership, person_id: p.id, next_on: '2000-01-01', updated_at: new Date() }))).execute();
    const queue = await startJobQueue(store.db, loadConfig({ NODE_ENV: 'test' }), createLogger('silent'));
    try {
      await until(async () => {
        const due = await store.db.selectFrom('evaluation_schedule').select('next_on').where('partnership_id', '=', partnership).where('next_on', '=', '2000-01-01').execute();
        return due.length === 0 ? true : undefined;
      });
      const alerts = await store.db.selectFrom('alerts').select('id').where('partnership_id', '=', partnership).execute();
      expect(alerts.length).toBeGreaterThan(0);
    } finally {
      await queue.stop();
    }
  });
});
