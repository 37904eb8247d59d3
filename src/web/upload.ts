import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { UserFacingError } from '../shared/errors.js';

/** The largest upload accepted; larger files are imported from the command line. */
const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

/**
 * Streams the uploaded file to a private temporary folder (never held in memory), keeping the
 * name it was sent with (for messages). Resolves to null when no file was chosen.
 */
export async function receiveUpload(req: Request, folder: string): Promise<{ path: string; name: string; fields: Record<string, string> } | null> {
  return new Promise((resolve, reject) => {
    let received: Promise<{ path: string; name: string }> | null = null;
    let tooLarge = false;
    const fields: Record<string, string> = {};
    const parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 10, fieldSize: 1000 } });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
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
      received.then((r) => resolve({ ...r, fields }), reject);
    });
    req.pipe(parser);
  });
}

