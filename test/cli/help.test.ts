/**
 * The command line's help, its refusals of unknown commands and options, and the commands that are
 * not built yet, all through the real `node bin/throughline.js`. None of these opens a store.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { hasStackTrace, runCli, show } from './cli-harness.js';

const TIMEOUT = 90_000; // one CLI start; generous for a loaded machine

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('throughline --help', () => {
  it('prints the top-level usage and lists every command, exiting 0', { timeout: TIMEOUT }, async () => {
    const result = await runCli(['--help']);
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npx throughline <command> \[options\]$/m);
    for (const command of COMMANDS) {
      expect(result.stdout, `${command.name} is listed`).toMatch(new RegExp(`^  ${escapeRegExp(command.usage)}\\s+${escapeRegExp(command.summary)}$`, 'm'));
    }
    expect(result.stderr).toBe('');
  });

  it.for(COMMANDS.map((c) => [c.name, c.usage] as const))('%s --help prints its usage and exits 0', { timeout: TIMEOUT }, async ([name, usage]) => {
    const result = await runCli([name, '--help']);
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: npx throughline ${escapeRegExp(usage)}$`, 'm'));
    expect(result.stdout).toContain('--data DIR');
    expect(result.stderr).toBe('');
  });
});

describe('throughline refuses what it does not know', () => {
  it('an unknown command exits 2, names it and shows the usage', { timeout: TIMEOUT }, async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain('There is no command "frobnicate".');
    expect(result.stderr).toMatch(/^Usage: npx throughline /m);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('an unknown option exits 2, names it and shows the command usage', { timeout: TIMEOUT }, async () => {
    const result = await runCli(['migrate', '--frobnicate']);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain("Unknown option '--frobnicate'");
    expect(result.stderr).toMatch(/^Usage: npx throughline migrate$/m);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});
