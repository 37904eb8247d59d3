import type { ParseArgsConfig } from 'node:util';

/** The options every command accepts. */
export interface GlobalOptions {
  data?: string | undefined;
  purpose: string;
  partnership?: string | undefined;
}

/** One `npx throughline <name>` command. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The usage line, e.g. "backup FILE". */
  usage: string;
  /** Longer help, shown by `--help`. */
  help: string;
  /** Options of its own, in node:util parseArgs form. */
  options?: ParseArgsConfig['options'];
  /** Runs the command; resolves to the exit status. */
  run(args: { positionals: string[]; values: Record<string, unknown>; global: GlobalOptions }): Promise<number>;
}

export const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  data: { type: 'string' },
  purpose: { type: 'string' },
  partnership: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const GLOBAL_HELP = `Options for every command:
  --data DIR            the embedded database folder (default ./data, or THROUGHLINE_DATA_DIR);
                        not together with DATABASE_URL
  --partnership SLUG    which partnership to act for, where there is more than one
  --purpose TEXT        why you are doing this; recorded in the audit trail (default "command line")
  -h, --help            show help`;
