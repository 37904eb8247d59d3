import type { Command } from '../command.js';

export const exportCommand: Command = {
  name: 'export',
  options: { json: { type: 'boolean' } },
  summary: 'export who is who (identities) as JSON',
  usage: 'export identities --json',
  help: `export identities --json   prints who is who in the partnership:
  {"format":"throughline-identities/1","persons":[{"id","records":[...]}],
   "reviewQueue":[{"records":["a","b"],"score":0.71}]}
Every imported record is listed exactly once (a record that matched nobody is a person of its own),
sorted; score is a match probability from 0 to 1. The export is audited.`,
  async run({ positionals, values, global }) {
    const { UserFacingError } = await import('../../shared/errors.js');
    const [what, ...rest] = positionals;
    if (what !== 'identities' || rest.length > 0) throw new UserFacingError('Usage: npx throughline export identities --json', { exitCode: 2 });
    if (values.json !== true) throw new UserFacingError('Say --json: identities are exported as JSON.', { exitCode: 2 });
    const { cliContext } = await import('../../access/cli-context.js');
    const { choosePartnership } = await import('../../directory/directory.service.js');
    const { exportIdentities } = await import('../../identity/identity.service.js');
    const { withStore } = await import('../open-store.js');
    return withStore(global, async ({ store }) => {
      const partnership = await choosePartnership(store.db, global.partnership);
      const result = await exportIdentities(store.db, cliContext(partnership.id, global.purpose));
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    });
  },
};
