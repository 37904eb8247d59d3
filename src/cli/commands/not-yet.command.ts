import type { Command } from '../command.js';

function notYet(name: string, usage: string, what: string, options?: Command['options']): Command {
  return {
    name,
    ...(options ? { options } : {}),
    summary: `${what} (not yet available)`,
    usage,
    help: `${what}. This command is not yet available in this version of Throughline.`,
    async run() {
      process.stderr.write(`"${name}" is not yet available in this version of Throughline.\n`);
      return 2;
    },
  };
}

export const replayCommand = notYet('replay', 'replay FILE --json', 'replay a case history through the pattern rules', { json: { type: 'boolean' }, 'as-of': { type: 'string' } });
