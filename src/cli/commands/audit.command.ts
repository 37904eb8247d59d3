import { UserFacingError } from '../../shared/errors.js';
import type { Command } from '../command.js';
import { progress } from '../progress.js';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'check the audit trail has not been tampered with ("audit verify")',
  usage: 'audit verify',
  help: `audit verify   recomputes the hash chain of every partnership's audit trail (only one with
               --partnership SLUG). Exits 0 when every chain is intact, 1 when not, naming the
               first broken link.`,
  async run({ positionals, global }) {
    const { cliContext } = await import('../../access/cli-context.js');
    const { appendAudit } = await import('../../audit/audit.service.js');
    const { verifyAuditChains } = await import('../../audit/audit-verify.service.js');
    const { choosePartnership, listPartnerships } = await import('../../directory/directory.service.js');
    const { withStore } = await import('../open-store.js');
    if (positionals[0] !== 'verify' || positionals.length > 1) throw new UserFacingError('Usage: npx throughline audit verify', { exitCode: 2 });
    return withStore(global, async ({ store }) => {
      const only = global.partnership ? await choosePartnership(store.db, global.partnership) : undefined;
      const bar = progress('Verifying the audit trail');
      const report = await verifyAuditChains(store.db, (rows) => bar.update(`${rows} rows`), only?.id);
      bar.done();
      for (const chain of report.chains) {
        process.stdout.write(
          chain.intact
            ? `Chain ${chain.chainId}: ${chain.rows} rows, intact.\n`
            : `Chain ${chain.chainId}: BROKEN at row ${chain.firstBreak!.seq}: ${chain.firstBreak!.problem}.\n`,
        );
      }
      process.stdout.write(report.intact ? 'The audit trail is intact.\n' : 'The audit trail has been tampered with.\n');
      // The check itself is recorded (after reading, so it does not check its own row).
      const partnerships = only ? [only] : await listPartnerships(store.db);
      await store.db.transaction().execute(async (trx) => {
        for (const p of partnerships) await appendAudit(trx, cliContext(p.id, global.purpose), { action: 'audit.verify', outcome: report.intact ? 'success' : 'failure' });
      });
      return report.intact ? 0 : 1;
    });
  },
};
