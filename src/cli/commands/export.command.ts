import type { Command } from '../command.js';

export const exportCommand: Command = {
  name: 'export',
  options: {
    json: { type: 'boolean' },
    subject: { type: 'string' },
    family: { type: 'boolean' },
    format: { type: 'string' },
    out: { type: 'string' },
    'include-restricted': { type: 'boolean' },
  },
  summary: 'export who is who (identities), or a chronology for a case review',
  usage: 'export identities|chronology',
  help: `export identities --json
  prints who is who in the partnership:
  {"format":"throughline-identities/1","persons":[{"id","records":[...]}],
   "reviewQueue":[{"records":["a","b"],"score":0.71}]}
  Every imported record is listed exactly once (a record that matched nobody is a person of its own),
  sorted; score is a match probability from 0 to 1.

export chronology --subject ID [--family] --format json|csv|pdf [--out FILE]
  a child's (or adult's) chronology, or with --family the whole family's: every entry from every
  agency, in date order. ID is an imported record id (e.g. "hosp:child-b") or a person id.
  json: the exchange format (imported events keep their id and source; entries recorded in the
  application have "throughline:<uuid>"); csv: the columns
  date,date_precision,recorded,agency,source,id,type,concerns,subjects,summary,significant;
  pdf: with the timeline picture, figures, page numbers and a watermark. Written to FILE, or to
  standard output. This is a partnership export: restricted entries are left out (and counted on
  standard error) unless --include-restricted is given together with --purpose saying why.

Every export is audited.`,
  async run({ positionals, values, global }) {
    const { UserFacingError } = await import('../../shared/errors.js');
    const [what, ...rest] = positionals;
    const { cliContext } = await import('../../access/cli-context.js');
    const { choosePartnership } = await import('../../directory/directory.service.js');
    const { withStore } = await import('../open-store.js');
    if (what === 'identities' && rest.length === 0) {
      if (values.json !== true) throw new UserFacingError('Say --json: identities are exported as JSON.', { exitCode: 2 });
      const { exportIdentities } = await import('../../identity/identity.service.js');
      return withStore(global, async ({ store }) => {
        const partnership = await choosePartnership(store.db, global.partnership);
        const result = await exportIdentities(store.db, cliContext(partnership.id, global.purpose));
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return 0;
      });
    }
    if (what === 'chronology' && rest.length === 0) {
      const subject = values.subject;
      const format = values.format;
      if (typeof subject !== 'string' || !subject) throw new UserFacingError('Say whose chronology: --subject ID (an imported record id or a person id).', { exitCode: 2 });
      if (format !== 'json' && format !== 'csv' && format !== 'pdf') throw new UserFacingError('Say the format: --format json, csv or pdf.', { exitCode: 2 });
      const includeRestricted = values['include-restricted'] === true;
      if (includeRestricted && typeof values.purpose !== 'string') {
        throw new UserFacingError('Restricted entries are exported only with a reason: add --purpose "why they are needed" (it is recorded in the audit trail).', { exitCode: 2 });
      }
      const { exportChronology } = await import('../../chronology/chronology.service.js');
      const { writeFile } = await import('node:fs/promises');
      return withStore(global, async ({ store }) => {
        const partnership = await choosePartnership(store.db, global.partnership);
        let result;
        try {
          result = await exportChronology(store.db, cliContext(partnership.id, global.purpose), subject, { family: values.family === true, format, includeRestricted });
        } catch (error) {
          const { NotFoundError } = await import('../../shared/errors.js');
          if (error instanceof NotFoundError) throw new UserFacingError(`There is no person or record "${subject}" in the partnership "${partnership.slug}".`, { exitCode: 1 });
          throw error;
        }
        if (typeof values.out === 'string') {
          await writeFile(values.out, result.body, { mode: 0o600 });
          process.stderr.write(`Wrote ${result.entries} entries to ${values.out}.`);
        } else {
          process.stdout.write(result.body);
          process.stderr.write(`Exported ${result.entries} entries.`);
        }
        process.stderr.write(`${result.omitted ? ` ${result.omitted} restricted ${result.omitted === 1 ? 'entry was' : 'entries were'} left out.` : ''}${result.enteredInError ? ` ${result.enteredInError} marked as entered in error left out.` : ''}\n`);
        return 0;
      });
    }
    throw new UserFacingError('Usage: npx throughline export identities --json, or export chronology --subject ID --format json|csv|pdf', { exitCode: 2 });
  },
};
