import type { Command } from '../command.js';

export const importCommand: Command = {
  name: 'import',
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

Exit status: 0 when everything was imported (warnings do not count); 1 when any object was
rejected; 2 when a file was refused whole (not the format, or a .json file cut off); with several
files, the highest.`,
  async run({ positionals, global }) {
    const { UserFacingError } = await import('../../shared/errors.js');
    if (positionals.length === 0) throw new UserFacingError('Usage: npx throughline import FILE... (name at least one file)', { exitCode: 2 });
    const { cliContext } = await import('../../access/cli-context.js');
    const { partnershipForImport } = await import('../../directory/directory.service.js');
    const { runImport, exitStatusFor } = await import('../../ingest/import-run.js');
    const { FileRefusedError } = await import('../../ingest/exchange-issues.js');
    const { withStore } = await import('../open-store.js');
    const { bar, progress } = await import('../progress.js');
    const { basename } = await import('node:path');
    return withStore(global, async ({ store }) => {
      const { partnership, created } = await partnershipForImport(store.db, global.partnership);
      if (created) process.stderr.write(`Created the partnership "${partnership.slug}".\n`);
      const files: unknown[] = [];
      let status = 0;
      for (const path of positionals) {
        const ctx = cliContext(partnership.id, global.purpose);
        const line = progress(`Importing ${basename(path)}`);
        try {
          const run = await runImport(store.db, ctx, path, {
            onProgress: (p) => line.update(`${bar(p.bytesRead, p.totalBytes)}  ${p.objects.toLocaleString('en-GB')} objects`),
            onResolving: () => line.update('working out who is who'),
          });
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
