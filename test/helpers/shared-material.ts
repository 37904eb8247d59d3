import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The project's shared material (scenarios, specs, matching data), which sits beside the repository
 * as ../shared — in CI and on developers' machines. THROUGHLINE_SHARED_DIR points elsewhere. Tests
 * that need it fail with this sentence when it is missing, rather than skipping quietly.
 */
export function sharedDir(...parts: string[]): string {
  const root = resolve(process.env.THROUGHLINE_SHARED_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared'));
  if (!existsSync(root)) {
    throw new Error(`The shared material was not found at ${root}: clone the repository beside shared/, or set THROUGHLINE_SHARED_DIR.`);
  }
  return join(root, ...parts);
}
