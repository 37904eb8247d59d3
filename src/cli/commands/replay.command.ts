import type { Command } from '../command.js';

export const replayCommand: Command = {
  name: 'replay',
  options: { json: { type: 'boolean' }, 'as-of': { type: 'string' } },
  summary: 'replay a case history through the pattern rules, day by day',
  usage: 'replay FILE --json',
  help: `Loads FILE (a case history in the exchange format: JSON or NDJSON) into a fresh, empty store
(in memory, thrown away afterwards), works out who is who day by day from what was recorded by
then, evaluates every rule on each day anything was recorded and on each deadline a rule sets, and
prints one JSON object: {"format":"throughline-replay/1","alerts":[...],"expectations":[...],
"summary":{"expected","met","expectNot","violated","alertsByRule"}} (spec/exchange-format.md).

--as-of DATE   run the clock to DATE only: the alerts known on that day, and no later ones
               (default: the latest recorded date, the incident, and every by and before date)

Exit status: 0 when the whole file was valid, whether or not the expectations were met; 2 when
any object was not, with the reasons on standard error, each naming the object and field.`,
  async run({ positionals, values }) {
    const { UserFacingError } = await import('../../shared/errors.js');
    const [file, ...rest] = positionals;
    if (!file || rest.length > 0) throw new UserFacingError('Usage: npx throughline replay FILE --json [--as-of DATE]', { exitCode: 2 });
    const asOf = values['as-of'];
    if (asOf !== undefined) {
      const { isDay } = await import('../../calendar/days.js');
      if (typeof asOf !== 'string' || !isDay(asOf)) throw new UserFacingError('--as-of must be a date written as YYYY-MM-DD, for example 2020-06-30.', { exitCode: 2 });
    }
    const { replayFile } = await import('../../patterns/replay-run.js');
    const { progress } = await import('../progress.js');
    const line = progress('Replaying');
    const result = await replayFile(file, { ...(typeof asOf === 'string' ? { asOf } : {}), onProgress: (m) => line.update(m) });
    line.done();
    if (!result.ok) {
      process.stderr.write(`${file} cannot be replayed: ${result.problems.length === 1 ? 'one object is' : `${result.problems.length} objects are`} not valid.\n`);
      for (const p of result.problems) process.stderr.write(`  ${p}\n`);
      return 2;
    }
    const { output } = result;
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    } else {
      const s = output.summary;
      process.stdout.write(`${output.alerts.length} alerts raised up to ${output.asOf}. Expectations met: ${s.met} of ${s.expected}; expectNot violated: ${s.violated} of ${s.expectNot}.\n`);
      for (const x of output.expectations) {
        const state = x.expectNot ? (x.violated ? 'VIOLATED' : 'respected') : x.met ? 'met' : 'MISSED';
        process.stdout.write(`  ${state.padEnd(9)} ${x.rule} for ${x.subject}${x.raised ? ` (raised ${x.raised}${x.leadTimeDays ? `, ${x.leadTimeDays} days before the incident` : ''})` : ''}\n`);
      }
      process.stdout.write('Add --json for the full output.\n');
    }
    return 0;
  },
};
