import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The project root (where package.json is). */
export const PROJECT_ROOT = resolve(here, '..', '..');
/** Where compiled CSS is kept between runs (ignored by git). */
export const BUILD_DIR = join(PROJECT_ROOT, '.build', 'assets');
const SCSS_DIR = join(here, 'assets', 'scss');

/** Folders of the front-end packages, found through Node's resolver (works wherever npm put them). */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

const STYLESHEETS = ['application', 'print'] as const;

/**
 * Compiles our Sass (GOV.UK Frontend and MoJ Frontend with a local authority's look: no crown, no
 * GDS font) into .build/assets, unless the output is already there for the same sources and package
 * versions. Takes a few seconds the first time, nothing after.
 */
export function buildAssets(): void {
  const fingerprint = createHash('sha256')
    .update(readdirSync(SCSS_DIR).sort().map((f) => readFileSync(join(SCSS_DIR, f), 'utf8')).join('\n'))
    .update(readFileSync(join(packageDir('govuk-frontend'), 'package.json')))
    .update(readFileSync(join(packageDir('@ministryofjustice/frontend'), 'package.json')))
    .digest('hex');
  const stamp = join(BUILD_DIR, 'fingerprint');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint && STYLESHEETS.every((s) => existsSync(join(BUILD_DIR, `${s}.css`)))) return;
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const sheet of STYLESHEETS) {
    const result = sass.compile(join(SCSS_DIR, `${sheet}.scss`), {
      style: 'compressed',
      loadPaths: [PROJECT_ROOT, join(PROJECT_ROOT, 'node_modules')],
      importers: [new sass.NodePackageImporter(PROJECT_ROOT)],
      quietDeps: true,
      // Warnings from inside the design-system packages are theirs to fix; show only ours.
      logger: {
        warn(message, options) {
          if (!(options.stack ?? '').includes('node_modules/')) console.warn(`Sass: ${message}`);
        },
      },
      silenceDeprecations: ['import', 'global-builtin'] as sass.DeprecationOrId[],
    });
    writeFileSync(join(BUILD_DIR, `${sheet}.css`), result.css);
  }
  writeFileSync(stamp, fingerprint);
}
