import type { Command } from '../command.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'load the demo partnership (development only)',
  usage: 'demo',
  options: { 'write-fhir-sample': { type: 'string' } },
  help: `Loads the fictional Northshire partnership: its agencies, demo accounts and families, dated relative
to today. Refused in production.

--write-fhir-sample FILE   also write a FHIR bundle (dated relative to today) in which Alfie Carter
                           was not brought to two hospital appointments: import it as an
                           administrator ("FHIR R4 bundle") to see an alert reach his health visitor.`,
  async run({ global, values }) {
    if (typeof values['write-fhir-sample'] === 'string') {
      const { writeFile } = await import('node:fs/promises');
      const { alfieNoShowsBundle } = await import('../../demo/demo-samples.js');
      await writeFile(values['write-fhir-sample'], alfieNoShowsBundle());
      process.stdout.write(`Wrote ${values['write-fhir-sample']}.\n`);
    }
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
