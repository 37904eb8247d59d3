import type { Command } from '../command.js';

export const importCommand: Command = {
  name: 'import',
  options: { kind: { type: 'string' }, source: { type: 'string' }, agency: { type: 'string' }, name: { type: 'string' } },
  summary: 'import agency records in the Throughline exchange format (JSON or NDJSON)',
  usage: 'import FILE...',
  help: `Imports each FILE (the Throughline exchange format, JSON or NDJSON) into a partnership, then
works out again who is who. --partnership SLUG names the partnership; it is created if it does not
exist (each scenario or test file describing a separate world goes into its own). Without it, the
only partnership there is (or a new "default" one in an empty store).

Importing the same file twice changes nothing; a changed object from the same source with the same
id becomes a new version, and the old version is kept. Each object is accepted or rejected on its
own. Standard output gets one JSON summary:
  {"files":[{"file","imported":{"records","relationships","events"},"updated":{...},
             "unchanged":{...},"rejected":[{"object","id","field","message"}],"warnings":[...]}]}
A progress bar is shown on standard error when it is a terminal.

Agency feeds beyond the exchange format (docs/agency-feeds.md):
  import --kind fhir|attendance|police --source ID --agency CODE [--name TEXT] FILE...
a FHIR R4 Bundle (Patient, Appointment, Encounter), a school's attendance register CSV (summarised
into half terms, using the partnership's school term dates), or police domestic-abuse
notifications CSV. --source names the sending system (the same in every file it sends), --agency
its agency code. Bad rows are reported by line number.

Exit status: 0 when everything was imported (warnings do not count); 1 when any object was
rejected; 2 when a file was refused whole (not the format, or a .json file cut off); with several
files, the highest.`,
  async run({ positionals, values, global }) {
    const { UserFacingError } = await import('../../shared/errors.js');
    if (positionals.length === 0) throw new UserFacingError('Usage: npx throughline import FILE... (name at least one file)', { exitCode: 2 });
    const feed = await feedOptions(values);
    const { cliContext } = await import('../../access/cli-context.js');
    const { partnershipForImport } = await import('../../directory/directory.service.js');
    const { runImport, exitStatusFor } = await import('../../ingest/import-run.js');
    const { FileRefusedError } = await import('../../ingest/exchange-issues.js');
    const { withStore } = await import('../open-store.js');
    const { bar, progress } = await import('../progress.js');
    const { basename } = await import('node:path');
    const { inlineJobs } = await import('../../jobs/job-queue.js');
    const { logger } = await import('../../shared/logger.js');
    return withStore(global, async ({ store, config }) => {
      const { partnership, created } = await partnershipForImport(store.db, global.partnership);
      const jobs = inlineJobs(store.db, config, logger);
      if (created) process.stderr.write(`Created the partnership "${partnership.slug}".\n`);
      const files: unknown[] = [];
      let status = 0;
      for (const path of positionals) {
        const ctx = cliContext(partnership.id, global.purpose);
        const line = progress(`Importing ${basename(path)}`);
        try {
          const run = await runImport(store.db, ctx, path, {
            ...(feed ? { feed } : {}),
            onProgress: (p) => line.update(`${bar(p.bytesRead, p.totalBytes)}  ${p.objects.toLocaleString('en-GB')} objects`),
            onResolving: () => line.update('working out who is who'),
          });
          // The rules look at the people the import touched, once it has committed.
          line.update('evaluating the pattern rules');
          await jobs.peopleChanged(partnership.id, { recordKeys: run.touchedRecords });
          line.done();
          files.push(run.summary);
          status = Math.max(status, exitStatusFor(run.summary));
          const s = run.summary;
          process.stderr.write(
            `${s.file}: ${s.imported.records + s.imported.relationships + s.imported.events} new, ${s.updated.records + s.updated.relationships + s.updated.events} updated, ` +
              `${s.unchanged.records + s.unchanged.relationships + s.unchanged.events} unchanged, ${s.rejected.length} rejected, ${s.warnings.length} warnings` +
              `${run.resolution ? `; ${run.resolution.persons} people from ${run.resolution.records} records, ${run.resolution.reviewQueue} pairs to review` : ''}.\n`,
          );
        } catch (error) {
          line.done();
          if (!(error instanceof FileRefusedError)) throw error;
          process.stderr.write(`${error.message}\n`);
          files.push({ file: basename(path), refused: error.message });
          status = Math.max(status, 2);
        }
      }
      process.stdout.write(`${JSON.stringify({ files })}\n`);
      return status;
    });
  },
};

/** The feed options of an import of an agency feed (--kind, --source, --agency), or null for the exchange format. */
async function feedOptions(values: Record<string, unknown>) {
  const { UserFacingError } = await import('../../shared/errors.js');
  const { kind, source, agency, name } = values;
  if (kind === undefined) {
    if (source !== undefined || agency !== undefined) throw new UserFacingError('--source and --agency are for agency feeds: say which with --kind fhir, attendance or police.', { exitCode: 2 });
    return null;
  }
  const { FEED_KINDS } = await import('../../ingest/feeds/feed.js');
  const { AGENCIES } = await import('../../ingest/exchange-schema.js');
  if (typeof kind !== 'string' || !(FEED_KINDS as readonly string[]).includes(kind)) throw new UserFacingError(`--kind must be one of: ${FEED_KINDS.join(', ')}.`, { exitCode: 2 });
  if (typeof source !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(source)) throw new UserFacingError('Say which system sent the feed: --source ID (letters, digits, dots, dashes), the same in every file it sends.', { exitCode: 2 });
  if (typeof agency !== 'string' || !(AGENCIES as readonly string[]).includes(agency)) throw new UserFacingError(`Say which agency sent it: --agency CODE, one of: ${AGENCIES.join(', ')}.`, { exitCode: 2 });
  return { kind: kind as 'fhir' | 'attendance' | 'police', source, agency: agency as (typeof AGENCIES)[number], ...(typeof name === 'string' ? { name } : {}) };
}
