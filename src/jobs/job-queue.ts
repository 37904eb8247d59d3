// Background jobs through pg-boss, on either store: pg-boss is given our own Kysely connection (its
// `db` option), so on the embedded store its statements queue behind our transactions like any
// other, and on PostgreSQL they use the same pool. The jobs: evaluate the rules for the people an
// import or a recording changed (queued after the change commits), evaluate everyone whose
// deadline has come (each night, and when the server starts), and send notification emails.
import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { systemContext } from '../access/cli-context.js';
import { evaluateDue, evaluatePeople } from '../alerts/evaluation.service.js';
import { sendNotificationEmails } from '../alerts/notification-mail.js';
import type { AppConfig } from '../config/config.js';
import type { DB } from '../db/schema.js';
import { listPartnerships } from '../directory/directory.service.js';

/** How the application asks for the rules to be evaluated after a change has committed. */
export interface EvaluationJobs {
  /** The people (or the records) whose entries changed; their families are evaluated. */
  peopleChanged(partnershipId: string, changed: { personIds?: readonly string[]; recordKeys?: readonly string[] }): Promise<void>;
}

const EVALUATE_PEOPLE = 'evaluate-people';
const EVALUATE_DUE = 'evaluate-due';

interface PeopleJob {
  partnershipId: string;
  personIds: string[];
  recordKeys: string[];
}

/** Evaluates the rules for changed people, then emails the new alerts' recipients. Shared by every way of running jobs. */
async function runPeopleJob(db: Kysely<DB>, config: AppConfig, logger: Logger, job: PeopleJob): Promise<void> {
  const ctx = systemContext(job.partnershipId, 'evaluate-rules', 'evaluate the pattern rules after a change');
  const outcome = await evaluatePeople(db, ctx, { personIds: job.personIds, recordKeys: job.recordKeys });
  logger.info({ job: EVALUATE_PEOPLE, people: outcome.people, raised: outcome.raised, closed: outcome.closed }, 'rules evaluated');
  if (config.mail && outcome.notify.length > 0) await sendNotificationEmails(db, config.mail, config.publicUrl, outcome.notify, logger);
}

/** Evaluates everyone whose deadline has come, in every partnership. */
async function runDueJob(db: Kysely<DB>, config: AppConfig, logger: Logger): Promise<void> {
  for (const partnership of await listPartnerships(db)) {
    const outcome = await evaluateDue(db, systemContext(partnership.id, 'evaluate-deadlines', 'evaluate the pattern rules whose deadlines have come'));
    logger.info({ job: EVALUATE_DUE, partnership: partnership.slug, people: outcome.people, raised: outcome.raised }, 'deadlines evaluated');
    if (config.mail && outcome.notify.length > 0) await sendNotificationEmails(db, config.mail, config.publicUrl, outcome.notify, logger);
  }
}

/**
 * Evaluates at once, in the caller's process, after the caller's change has committed: for the
 * command line (which exits when it is done) and for tests that want the outcome before they look.
 */
export function inlineJobs(db: Kysely<DB>, config: AppConfig, logger: Logger): EvaluationJobs {
  return {
    async peopleChanged(partnershipId, changed) {
      await runPeopleJob(db, config, logger, { partnershipId, personIds: [...(changed.personIds ?? [])], recordKeys: [...(changed.recordKeys ?? [])] });
    },
  };
}

/** The running queue: the jobs interface for the application, and how to stop it. */
export interface RunningJobs {
  jobs: EvaluationJobs;
  stop(): Promise<void>;
}

/** Starts pg-boss on the application's database, with its workers and the nightly schedule. */
export async function startJobQueue(db: Kysely<DB>, config: AppConfig, logger: Logger): Promise<RunningJobs> {
  const boss = new PgBoss({
    db: { executeSql: async (text: string, values: unknown[] = []) => ({ rows: (await db.executeQuery(CompiledQuery.raw(text, values))).rows }) },
    schema: 'pgboss',
  } as unknown as PgBoss.ConstructorOptions);
  boss.on('error', (error) => logger.error({ err: error }, 'the job queue reported an error'));
  await boss.start();
  await boss.createQueue(EVALUATE_PEOPLE);
  await boss.createQueue(EVALUATE_DUE);
  await boss.work<PeopleJob>(EVALUATE_PEOPLE, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await runPeopleJob(db, config, logger, job.data);
  });
  await boss.work(EVALUATE_DUE, { pollingIntervalSeconds: 30 }, async () => runDueJob(db, config, logger));
  // Each night after midnight in London, and once now (the server may have been off at midnight).
  await boss.schedule(EVALUATE_DUE, '15 0 * * *', {}, { tz: 'Europe/London' });
  await boss.send(EVALUATE_DUE, {});
  return {
    jobs: {
      async peopleChanged(partnershipId, changed) {
        const personIds = [...new Set(changed.personIds ?? [])];
        const recordKeys = [...new Set(changed.recordKeys ?? [])];
        if (personIds.length + recordKeys.length > 0) await boss.send(EVALUATE_PEOPLE, { partnershipId, personIds, recordKeys });
      },
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
