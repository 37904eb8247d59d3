import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASE_DATA_TABLES } from '../../src/db/schema.js';

// "No back doors": personal data moves only through services, which call the data-access door.
// These checks read the source, so a new file that queries case data directly fails the build.

const SRC = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

// Files allowed to name case-data tables in queries, and why.
const ALLOWED: Record<string, string> = {
  'access/access-policy.ts': 'the access policy itself decides who may see which person',
  'backup/backup.service.ts': 'whole-database backup and restore, audited per partnership',
};

const files = sourceFiles(SRC).map((path) => ({ rel: relative(SRC, path).replaceAll('\\', '/'), text: readFileSync(path, 'utf8') }));

function queriesCaseTable(text: string): string[] {
  return CASE_DATA_TABLES.filter((table) =>
    new RegExp(`(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|mergeInto)\\(\\s*['"\`]${table}\\b|\\b(from|join|into|update)\\s+${table}\\b`, 'i').test(text),
  );
}

describe('no back doors to case data', () => {
  it('only repositories (and the listed exceptions) query case-data tables', () => {
    const offenders = files
      .filter((f) => !f.rel.endsWith('.repository.ts') && !(f.rel in ALLOWED))
      .map((f) => ({ file: f.rel, tables: queriesCaseTable(f.text) }))
      .filter((f) => f.tables.length > 0);
    expect(offenders).toEqual([]);
  });

  it('only services import repositories', () => {
    const offenders = files.filter((f) => !f.rel.endsWith('.service.ts') && /from '[^']*\.repository\.js'/.test(f.text)).map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('every exported function of a service that uses a repository goes through the door', () => {
    const offenders: string[] = [];
    for (const f of files.filter((file) => file.rel.endsWith('.service.ts') && /from '[^']*\.repository\.js'/.test(file.text))) {
      // Split the file into its exported functions and check each body.
      const parts = f.text.split(/\nexport async function /).slice(1);
      for (const part of parts) {
        const name = part.slice(0, part.indexOf('('));
        if (!/throughDoor\(/.test(part.split(/\nexport /)[0] ?? '')) offenders.push(`${f.rel}: ${name}`);
        if (!/^\w+\(\s*db: Kysely<DB>,\s*ctx: ActorContext/.test(part)) offenders.push(`${f.rel}: ${name} does not take (db, ctx: ActorContext)`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the check itself catches a direct query (it can fail)', () => {
    expect(queriesCaseTable(`await db.selectFrom('persons').selectAll()`)).toEqual(['persons']);
    expect(queriesCaseTable('sql`select * from involvements`')).toEqual(['involvements']);
    expect(queriesCaseTable(`await db.selectFrom('users')`)).toEqual([]);
  });
});
