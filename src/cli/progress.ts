/**
 * Progress for long-running commands, on standard error so standard output stays clean for JSON.
 * On a terminal it redraws one line; otherwise it prints nothing (logs and CI stay readable).
 */
export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

/** A progress line for `label`. */
export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let last = 0;
  return {
    update(text) {
      const now = Date.now();
      if (!tty || now - last < 100) return;
      last = now;
      stream.write(`\r\x1b[K${label}: ${text}`);
    },
    done(text) {
      if (tty) stream.write(`\r\x1b[K`);
      if (text) stream.write(`${label}: ${text}\n`);
    },
  };
}

/** A text progress bar: `[#########-----------]  45%`. */
export function bar(done: number, total: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
}
