import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { FileRefusedError } from '../../ingest/exchange-issues.js';
import { exitStatusFor, runImport } from '../../ingest/import-run.js';
import { UserFacingError } from '../../shared/errors.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import type { RouteDef } from './route.js';

/** The largest upload accepted; larger files are imported from the command line. */
const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

/**
 * Streams the uploaded file to a private temporary folder (never held in memory), keeping the
 * name it was sent with (for messages). Resolves to null when no file was chosen.
 */
async function receiveUpload(req: Request, folder: string): Promise<{ path: string; name: string } | null> {
  return new Promise((resolve, reject) => {
    let received: Promise<{ path: string; name: string }> | null = null;
    let tooLarge = false;
    const parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES } });
    parser.on('file', (_field, stream, info) => {
      const name = basename(info.filename || 'upload.json').replace(/[^A-Za-z0-9._-]/g, '_');
      if (!info.filename) {
        stream.resume();
        return;
      }
      const path = join(folder, name);
      stream.on('limit', () => {
        tooLarge = true;
      });
      received = pipeline(stream, createWriteStream(path, { mode: 0o600 })).then(() => ({ path, name }));
    });
    parser.on('error', reject);
    parser.on('close', () => {
      if (tooLarge) return reject(new UserFacingError('The file is larger than 256 MB. Import large files from the command line (npx throughline import).'));
      if (!received) return resolve(null);
      received.then(resolve, reject);
    });
    req.pipe(parser);
  });
}

/** Upload of exchange files by a partnership administrator, with the same summary as the CLI. */
export function importRoutes(db: Kysely<DB>): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/admin/import',
      guard: guard.role('admin'),
      handler: (_req, res) => res.render('pages/import.njk', { navSection: 'import' }),
    },
    {
      method: 'post',
      path: '/admin/import',
      guard: guard.role('admin'),
      handler: async (req, res) => {
        if (!req.is('multipart/form-data')) return res.status(400).render('pages/import.njk', { navSection: 'import', problem: 'Choose a file to import.' });
        const folder = await mkdtemp(join(tmpdir(), 'throughline-upload-'));
        try {
          const upload = await receiveUpload(req, folder);
          if (!upload) return res.status(400).render('pages/import.njk', { navSection: 'import', problem: 'Choose a file to import.' });
          try {
            const run = await runImport(db, actorContext(req, 'import agency records'), upload.path);
            res.status(200).render('pages/import.njk', { navSection: 'import', run, status: exitStatusFor(run.summary) });
          } catch (error) {
            if (!(error instanceof FileRefusedError)) throw error;
            res.status(400).render('pages/import.njk', { navSection: 'import', problem: error.message });
          }
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      },
    },
  ];
}
