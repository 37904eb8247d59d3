import { UserFacingError } from '../../shared/errors.js';
import type { Command } from '../command.js';
import { progress } from '../progress.js';

function fileArgument(positionals: string[], usage: string): string {
  const [file, ...rest] = positionals;
  if (!file || rest.length) throw new UserFacingError(`Usage: npx throughline ${usage}`, { exitCode: 2 });
  return file;
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write a consistent copy of the whole database to a file',
  usage: 'backup FILE',
  help: `Writes every table, in one consistent snapshot, to FILE (gzipped JSON lines, readable only by
you: it holds personal data). Works on both stores. With the embedded store, stop the server first.`,
  async run({ positionals, global }) {
    const { cliContext } = await import('../../access/cli-context.js');
    const { createBackup } = await import('../../backup/backup.service.js');
    const { listPartnerships } = await import('../../directory/directory.service.js');
    const { withStore } = await import('../open-store.js');
    const file = fileArgument(positionals, 'backup FILE');
    return withStore(global, async ({ store }) => {
      const partnerships = await listPartnerships(store.db);
      const bar = progress('Backing up');
      const header = await createBackup(store.db, file, partnerships.map((p) => cliContext(p.id, global.purpose)), (table, rows) => bar.update(`${table} ${rows} rows`));
      const total = Object.values(header.tables).reduce((a, b) => a + b, 0);
      bar.done();
      process.stdout.write(`Wrote ${total} rows from ${Object.keys(header.tables).length} tables to ${file}.\n`);
      return 0;
    });
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup into a new, empty database',
  usage: 'restore FILE',
  help: 'Restores FILE (made by "backup") into an empty store, all or nothing. The restore is audited.',
  async run({ positionals, global }) {
    const { cliContext } = await import('../../access/cli-context.js');
    const { restoreBackup } = await import('../../backup/backup.service.js');
    const { withStore } = await import('../open-store.js');
    const file = fileArgument(positionals, 'restore FILE');
    return withStore(global, async ({ store }) => {
      const bar = progress('Restoring');
      const header = await restoreBackup(store.db, file, (id) => cliContext(id, global.purpose), (table, rows) => bar.update(`${table} ${rows} rows`));
      bar.done();
      process.stdout.write(`Restored the backup made ${header.createdAt} into the ${store.describe}.\n`);
      return 0;
    });
  },
};
