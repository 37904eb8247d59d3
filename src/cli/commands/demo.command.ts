import type { Command } from '../command.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'load the demo partnership (development only)',
  usage: 'demo',
  help: 'Loads the fictional Northshire partnership: its agencies, demo accounts and families, dated relative to today. Refused in production.',
  async run({ global }) {
    const { loadDemoData } = await import('../../demo/demo-data.js');
    const { withStore } = await import('../open-store.js');
    const { cliContext } = await import('../../access/cli-context.js');
    return withStore(global, async ({ store, config }) => {
      const result = await loadDemoData(store.db, { production: config.production, actorFor: (id) => cliContext(id, global.purpose) });
      process.stdout.write(result.loaded ? 'Loaded the demo partnership (Northshire).\n' : 'The demo partnership is already loaded; nothing to do.\n');
      return 0;
    });
  },
};
