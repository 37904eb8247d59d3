import { parseArgs } from 'node:util';
import { UserFacingError } from '../shared/errors.js';
import { GLOBAL_HELP, GLOBAL_OPTIONS, type Command } from './command.js';
import { auditCommand } from './commands/audit.command.js';
import { backupCommand, restoreCommand } from './commands/backup.command.js';
import { demoCommand } from './commands/demo.command.js';
import { migrateCommand } from './commands/migrate.command.js';
import { exportCommand } from './commands/export.command.js';
import { importCommand } from './commands/import.command.js';
import { replayCommand } from './commands/replay.command.js';
import { serveCommand } from './commands/serve.command.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Command[] = [serveCommand, migrateCommand, demoCommand, backupCommand, restoreCommand, auditCommand, importCommand, exportCommand, replayCommand];

function mainHelp(): string {
  return [
    'Usage: npx throughline <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(22)} ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    'Run "npx throughline <command> --help" for more about a command.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  const own = Object.entries(c.options ?? {}).map(([name, o]) => `  --${name}${o.type === 'string' ? ' VALUE' : ''}`);
  return [`Usage: npx throughline ${c.usage}`, '', c.help, ...(own.length ? ['', 'Options:', ...own] : []), '', GLOBAL_HELP].join('\n');
}

/** Runs the command line; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${mainHelp()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`There is no command "${name}".\n\n${mainHelp()}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${commandHelp(command)}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  const values = parsed.values as Record<string, unknown>;
  try {
    return await command.run({
      positionals: parsed.positionals,
      values,
      global: {
        data: values.data as string | undefined,
        purpose: (values.purpose as string | undefined) ?? 'command line',
        partnership: values.partnership as string | undefined,
      },
    });
  } catch (error) {
    if (error instanceof UserFacingError) {
      if (error.cause) (await import('../shared/logger.js')).logger.debug({ err: error.cause }, error.message);
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    (await import('../shared/logger.js')).logger.error({ err: error }, `throughline ${name} failed`);
    process.stderr.write(`Something went wrong while running "${name}". The details are in the log above.\n`);
    return 1;
  }
}
