import type { Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'bring the database schema up to date',
  usage: 'migrate',
  help: 'Applies every pending migration (each in its own transaction, under a lock so two processes never migrate at once).',
  async run({ global }) {
    const { migrationStatus } = await import('../../db/migrate.js');
    const { withStore } = await import('../open-store.js');
    return withStore(global, async ({ store }) => {
      const status = await migrationStatus(store.db);
      process.stdout.write(`The ${store.describe} is up to date: ${status.applied.length} migrations applied.\n`);
      return 0;
    });
  },
};
