import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { FileRefusedError } from '../../ingest/exchange-issues.js';
import { exitStatusFor, runImport } from '../../ingest/import-run.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import { receiveUpload } from '../upload.js';
import type { RouteDef } from './route.js';
import type { EvaluationJobs } from '../../jobs/job-queue.js';
import { AGENCIES } from '../../ingest/exchange-schema.js';
import { agencyOptions } from '../../chronology/event-labels.js';
import { FEED_KINDS, type FeedKind, type FeedOptions } from '../../ingest/feeds/feed.js';

/** The feed an upload is (from the form), null for an exchange file, or 'invalid'. */
function feedOf(fields: Record<string, string>): (FeedOptions & { kind: FeedKind }) | null | 'invalid' {
  const kind = fields.kind ?? 'exchange';
  if (kind === 'exchange') return null;
  if (!(FEED_KINDS as readonly string[]).includes(kind)) return 'invalid';
  const source = (fields.source ?? '').trim();
  const agency = fields.agency ?? '';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(source) || !(AGENCIES as readonly string[]).includes(agency)) return 'invalid';
  return { kind: kind as FeedKind, source, agency: agency as FeedOptions['agency'] };
}

/** Upload of exchange files by a partnership administrator, with the same summary as the CLI. */
export function importRoutes(db: Kysely<DB>, jobs: EvaluationJobs): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/admin/import',
      guard: guard.role('admin'),
      handler: (_req, res) => res.render('pages/import.njk', { navSection: 'import', values: {}, agencies: agencyOptions() }),
    },
    {
      method: 'post',
      path: '/admin/import',
      guard: guard.role('admin'),
      handler: async (req, res) => {
        if (!req.is('multipart/form-data')) return res.status(400).render('pages/import.njk', { navSection: 'import', problem: 'Choose a file to import.', agencies: agencyOptions() });
        const folder = await mkdtemp(join(tmpdir(), 'throughline-upload-'));
        try {
          const upload = await receiveUpload(req, folder);
          if (!upload) return res.status(400).render('pages/import.njk', { navSection: 'import', problem: 'Choose a file to import.', agencies: agencyOptions() });
          try {
            const ctx = actorContext(req, 'import agency records');
            const feed = feedOf(upload.fields);
            if (feed === 'invalid') return res.status(400).render('pages/import.njk', { navSection: 'import', problem: 'For an agency feed, say which system sent it (letters, digits, dots and dashes) and which agency it is.', values: upload.fields, agencies: agencyOptions() });
            const run = await runImport(db, ctx, upload.path, feed ? { feed } : {});
            // Evaluated after the import has committed: the rules look at the people it touched.
            await jobs.peopleChanged(ctx.partnershipId, { recordKeys: run.touchedRecords });
            res.status(200).render('pages/import.njk', { navSection: 'import', run, status: exitStatusFor(run.summary), agencies: agencyOptions(), values: upload.fields });
          } catch (error) {
            if (!(error instanceof FileRefusedError)) throw error;
            res.status(400).render('pages/import.njk', { navSection: 'import', problem: error.message, agencies: agencyOptions(), values: upload.fields });
          }
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      },
    },
  ];
}
