import { createReadStream, createWriteStream, fchmodSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActorContext } from '../access/actor-context.js';
import { appendAudit } from '../audit/audit.service.js';
import { listMigrations } from '../db/migrate.js';
import type { DB } from '../db/schema.js';
import { UserFacingError } from '../shared/errors.js';

export const BACKUP_FORMAT = 'throughline-backup/1';

/**
 * Every table, parents before children (the order rows are restored in), with the columns that
 * order its rows (comma-separated where one column is not unique). test/db/backup.test.ts fails when a table exists that is not listed here, so a
 * new table cannot be silently left out of backups.
 */
export const BACKUP_TABLES: readonly { name: keyof DB; orderBy: string }[] = [
  { name: 'schema_migrations', orderBy: 'version' },
  { name: 'partnerships', orderBy: 'id' },
  { name: 'sharing_agreements', orderBy: 'id' },
  { name: 'organisations', orderBy: 'id' },
  { name: 'users', orderBy: 'id' },
  { name: 'sessions', orderBy: 'id' },
  { name: 'sign_in_throttle', orderBy: 'email' },
  { name: 'audit_log', orderBy: 'id' },
  { name: 'persons', orderBy: 'id' },
  { name: 'person_links', orderBy: 'id' },
  { name: 'involvements', orderBy: 'id' },
  { name: 'access_grants', orderBy: 'id' },
  { name: 'break_glass', orderBy: 'id' },
  { name: 'break_glass_reviews', orderBy: 'id' },
  { name: 'consents', orderBy: 'id' },
  { name: 'imports', orderBy: 'id' },
  { name: 'exchange_versions', orderBy: 'id' },
  { name: 'source_systems', orderBy: 'id' },
  { name: 'records', orderBy: 'id' },
  { name: 'relationships', orderBy: 'id' },
  { name: 'events', orderBy: 'id' },
  { name: 'event_records', orderBy: 'event_id, record_key, role' },
  { name: 'event_persons', orderBy: 'event_id, person_id, role' },
  { name: 'recording_drafts', orderBy: 'id' },
  { name: 'attendance_marks', orderBy: 'id' },
  { name: 'alerts', orderBy: 'id' },
  { name: 'alert_actions', orderBy: 'id' },
  { name: 'alert_recipients', orderBy: 'alert_id, user_id, organisation_id, added_at' },
  { name: 'alert_records', orderBy: 'alert_id, record_key' },
  { name: 'alert_inbox', orderBy: 'user_id, alert_id' },
  { name: 'evaluation_schedule', orderBy: 'partnership_id, person_id' },
  { name: 'identity_decisions', orderBy: 'id' },
  { name: 'identity_changes', orderBy: 'id' },
  { name: 'identity_review_queue', orderBy: 'record_a, record_b' },
];

const PAGE = 2000;

interface BackupHeader {
  format: string;
  createdAt: string;
  migrations: string[];
  tables: Record<string, number>;
}

/** Rows of one table as JSON text made by the database itself, so every type survives exactly. */
/** `order by` for a table's listed columns ("a, b" orders by a, then b). */
export function orderByColumns(orderBy: string) {
  return sql.join(orderBy.split(',').map((c) => sql.ref(c.trim())));
}

async function readTablePage(trx: Transaction<DB>, table: string, orderBy: string, offset: number): Promise<string[]> {
  const { rows } = await sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(table)} t order by ${orderByColumns(orderBy)} limit ${PAGE} offset ${offset}`.execute(trx);
  return rows.map((r) => r.j);
}

/**
 * Writes a consistent snapshot of the whole database (one repeatable-read transaction) to a gzipped
 * NDJSON file: a header line, then one line per row. Audited per partnership as `backup.create`.
 */
export async function createBackup(db: Kysely<DB>, file: string, contexts: ActorContext[], onProgress: (table: string, rows: number) => void = () => {}): Promise<BackupHeader> {
  const counts: Record<string, number> = {};
  // Personal data: readable by the owner only, even when an older file of that name was not.
  let fd: number;
  try {
    fd = openSync(file, 'w', 0o600);
    fchmodSync(fd, 0o600);
  } catch (error) {
    throw new UserFacingError(`The backup file ${file} cannot be written; check that its folder exists and that you may write to it.`, { exitCode: 2, cause: error });
  }
  const gzip = createGzip();
  const out = createWriteStream('', { fd });
  let writeError: unknown;
  pipeline(gzip, out, (error) => {
    writeError = error ?? writeError;
  });
  const write = async (line: string) => {
    if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
  };
  const header = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      for (const { name } of BACKUP_TABLES) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(trx);
        counts[name] = rows[0]?.n ?? 0;
      }
      const h: BackupHeader = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations: listMigrations().map((m) => m.name), tables: counts };
      await write(JSON.stringify(h));
      for (const { name, orderBy } of BACKUP_TABLES) {
        for (let offset = 0; ; offset += PAGE) {
          const page = await readTablePage(trx, name, orderBy, offset);
          for (const row of page) await write(`{"table":${JSON.stringify(name)},"row":${row}}`);
          onProgress(name, offset + page.length);
          if (page.length < PAGE) break;
        }
      }
      return h;
    });
  gzip.end();
  await finished(out).catch(() => {});
  if (writeError) throw new UserFacingError(`The backup file ${file} could not be written completely.`, { exitCode: 2, cause: writeError });
  await db.transaction().execute(async (trx) => {
    for (const ctx of contexts) await appendAudit(trx, ctx, { action: 'backup.create', details: { file, tables: counts } });
  });
  return header;
}

/**
 * Restores a backup into an empty, migrated database, all in one transaction (nothing half-lands),
 * then audits the restore on each partnership's chain, continuing the restored chains.
 */
export async function restoreBackup(
  db: Kysely<DB>,
  file: string,
  contextFor: (partnershipId: string) => ActorContext,
  onProgress: (table: string, rows: number) => void = () => {},
): Promise<BackupHeader> {
  // pipeline() passes a missing file or bad gzip on as an error; taking the iterator at once makes
  // readline buffer every line from the start, however long the first database call takes.
  const reader = createInterface({ input: pipeline(createReadStream(file), createGunzip(), () => {}), crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  let header: BackupHeader | undefined;
  const restored: Record<string, number> = {};
  try {
    await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('partnerships').select('id').limit(1).executeTakeFirst();
      if (existing) throw new UserFacingError('The database is not empty; restore only into a new, empty store.', { exitCode: 2 });
      const expected = listMigrations().map((m) => m.name);
      let batch: string[] = [];
      let batchTable = '';
      const flush = async () => {
        if (batch.length === 0) return;
        await sql`insert into ${sql.table(batchTable)} select * from json_populate_recordset(null::${sql.table(batchTable)}, ${`[${batch.join(',')}]`}::json)`.execute(trx);
        const total = (restored[batchTable] ?? 0) + batch.length;
        restored[batchTable] = total;
        onProgress(batchTable, total);
        batch = [];
      };
      for await (const line of lines) {
        if (!line.trim()) continue;
        if (!header) {
          header = JSON.parse(line) as BackupHeader;
          if (header.format !== BACKUP_FORMAT) throw new UserFacingError(`${file} is not a Throughline backup.`, { exitCode: 2 });
          if (JSON.stringify(header.migrations) !== JSON.stringify(expected)) {
            throw new UserFacingError('This backup was made by a different version of Throughline (its database migrations differ); restore it with that version.', { exitCode: 2 });
          }
          continue;
        }
        const tableEnd = line.indexOf('","row":');
        const table = line.slice(10, tableEnd);
        if (!line.startsWith('{"table":"') || tableEnd < 0 || !BACKUP_TABLES.some((t) => t.name === table)) {
          throw new UserFacingError(`${file} is damaged: a line names no known table.`, { exitCode: 2 });
        }
        // schema_migrations is already filled by migrating the new store.
        if (table === 'schema_migrations') continue;
        if (table !== batchTable || batch.length >= 500) {
          await flush();
          batchTable = table;
        }
        batch.push(line.slice(tableEnd + 8, -1));
      }
      await flush();
      if (!header) throw new UserFacingError(`${file} is empty or not a Throughline backup.`, { exitCode: 2 });
      for (const [table, count] of Object.entries(header.tables)) {
        if (table !== 'schema_migrations' && (restored[table] ?? 0) !== count) {
          throw new UserFacingError(`${file} is incomplete: it should hold ${count} rows of ${table} but holds ${restored[table] ?? 0}.`, { exitCode: 2 });
        }
      }
      const partnerships = await trx.selectFrom('partnerships').select('id').execute();
      for (const p of partnerships) await appendAudit(trx, contextFor(p.id), { action: 'backup.restore', details: { file, createdAt: header.createdAt } });
    });
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserFacingError(`There is no file ${file}.`, { exitCode: 2, cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || error instanceof SyntaxError) {
      throw new UserFacingError(`${file} is not a Throughline backup or is damaged.`, { exitCode: 2, cause: error });
    }
    throw error;
  }
  return header!;
}
