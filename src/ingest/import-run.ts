// One import as a user asks for it: the file stored, then who is who worked out again. Shared by
// the command line and the web upload, so both do exactly the same.
import type { Kysely } from 'kysely';
import type { ActorContext } from '../access/actor-context.js';
import type { DB } from '../db/schema.js';
import { resolveIdentities, type ResolutionOutcome } from '../identity/resolution.service.js';
import type { FeedKind, FeedOptions } from './feeds/feed.js';
import { importExchangeFile, importFeedFile, type FileImportSummary, type ImportOptions } from './import.service.js';

/** What one file's import did, and the identity resolution after it (null when nothing changed). */
export interface ImportRun {
  summary: FileImportSummary;
  resolution: ResolutionOutcome | null;
  title: string | undefined;
  /** Records the import added, changed or named (the rules look at their people again). */
  touchedRecords: string[];
}

/**
 * Imports one exchange file (or, with `feed`, one agency feed) and, when records, relationships or
 * births changed, resolves identities again. Throws FileRefusedError when the file is not the
 * format (nothing stored).
 */
export async function runImport(
  db: Kysely<DB>,
  ctx: ActorContext,
  path: string,
  options: ImportOptions & { onResolving?: () => void; feed?: FeedOptions & { kind: FeedKind } } = {},
): Promise<ImportRun> {
  const { feed } = options;
  const result = feed ? await importFeedFile(db, ctx, feed.kind, path, feed, options) : await importExchangeFile(db, ctx, path, options);
  let resolution: ResolutionOutcome | null = null;
  if (result.identityChanged) {
    options.onResolving?.();
    resolution = await resolveIdentities(db, ctx);
  }
  return { summary: result.summary, resolution, title: result.title, touchedRecords: result.touchedRecords };
}

/** The exit status for a file's summary: 1 when anything was rejected, else 0 (warnings never count). */
export function exitStatusFor(summary: FileImportSummary): number {
  return summary.rejected.length > 0 ? 1 : 0;
}
