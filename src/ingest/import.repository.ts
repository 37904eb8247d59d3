// Storage of imported exchange objects: every version as received (exchange_versions) and the current
// state of each object (source_systems, records, relationships, events, event_records). Only
// import.service.ts uses this, inside the door.
import { sql, type Insertable, type RawBuilder, type Transaction } from 'kysely';
import { bulkInsert, type BulkColumn } from '../db/bulk-insert.js';
import type {
  DB,
  EventRecordsTable,
  EventsTable,
  ExchangeKind,
  ExchangeVersionsTable,
  ImportsTable,
  RecordsTable,
  RelationshipsTable,
  SourceSystemsTable,
} from '../db/schema.js';

/** What is held now for an object: its version, content hash and source. */
export interface HeldVersion {
  id: string;
  version: number;
  sha: string;
  source: string;
}

/**
 * The `set` of an upsert: each column takes the value of the row that was refused as a duplicate
 * (a new version replaces the current state; columns left out, such as when it first arrived, stay).
 */
function fromExcluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`) as RawBuilder<never>])) as Record<C, RawBuilder<never>>;
}

const CURRENT = {
  source: { table: 'source_systems', key: 'source_key' },
  record: { table: 'records', key: 'record_key' },
  relationship: { table: 'relationships', key: 'relationship_key' },
  event: { table: 'events', key: 'event_key' },
} as const;

/** The versions held now of the objects of `kind` with these keys (one query for the batch). */
export async function heldVersions(trx: Transaction<DB>, partnershipId: string, kind: ExchangeKind, keys: readonly string[]): Promise<Map<string, HeldVersion>> {
  const held = new Map<string, HeldVersion>();
  if (keys.length === 0) return held;
  const { table, key } = CURRENT[kind];
  const { rows } = await sql<{ id: string; k: string; version: number; sha: string; source: string }>`
    select id, ${sql.ref(key)} as k, version, content_sha256 as sha, source_key as source
    from ${sql.table(table)} where partnership_id = ${partnershipId} and ${sql.ref(key)} in (${sql.join([...new Set(keys)])})`.execute(trx);
  for (const r of rows) held.set(r.k, { id: r.id, version: r.version, sha: r.sha, source: r.source });
  return held;
}

/** Whether an object of `kind` with `key` was imported into the partnership before. */
export async function objectExists(trx: Transaction<DB>, partnershipId: string, kind: ExchangeKind, key: string): Promise<boolean> {
  const held = await heldVersions(trx, partnershipId, kind, [key]);
  return held.has(key);
}

export async function insertImport(trx: Transaction<DB>, row: Insertable<ImportsTable>): Promise<void> {
  await trx.insertInto('imports').values(row).execute();
}

/** Records the outcome of an import run on its row (the run's log; the objects are kept elsewhere). */
export async function finishImport(trx: Transaction<DB>, id: string, summary: unknown): Promise<void> {
  await trx.updateTable('imports').set({ finished_at: new Date(), summary: JSON.stringify(summary) }).where('id', '=', id).execute();
}

const VERSION_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'uuid' }, { name: 'partnership_id', type: 'uuid' }, { name: 'kind', type: 'text' }, { name: 'object_key', type: 'text' },
  { name: 'source_key', type: 'text' }, { name: 'version', type: 'integer' }, { name: 'content_sha256', type: 'text' }, { name: 'received', type: 'text' },
  { name: 'import_id', type: 'uuid' }, { name: 'location', type: 'text' }, { name: 'received_at', type: 'timestamptz' }, { name: 'original', type: 'text' },
];

export async function insertVersions(trx: Transaction<DB>, rows: Insertable<ExchangeVersionsTable>[]): Promise<void> {
  if (rows.length > 0) await bulkInsert('exchange_versions', VERSION_COLUMNS, rows).execute(trx);
}

/** The organisation a source maps to: one whose code is the source's id, if the partnership has one. */
export async function organisationByCode(trx: Transaction<DB>, partnershipId: string, code: string): Promise<string | undefined> {
  const row = await trx.selectFrom('organisations').select('id').where('partnership_id', '=', partnershipId).where('code', '=', code).executeTakeFirst();
  return row?.id;
}

export async function insertOrganisation(
  trx: Transaction<DB>,
  row: { id: string; partnershipId: string; code: string; name: string; agency: string; authority: string | null },
): Promise<void> {
  await trx
    .insertInto('organisations')
    .values({ id: row.id, partnership_id: row.partnershipId, code: row.code, name: row.name, agency: row.agency, authority: row.authority, created_at: new Date() })
    .execute();
}

export async function upsertSource(trx: Transaction<DB>, row: Insertable<SourceSystemsTable>): Promise<void> {
  await trx
    .insertInto('source_systems')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['partnership_id', 'source_key']).doUpdateSet(fromExcluded(['agency', 'name', 'authority', 'version', 'content_sha256', 'updated_at'])),
    )
    .execute();
}

const RECORD_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'uuid' }, { name: 'partnership_id', type: 'uuid' }, { name: 'record_key', type: 'text' }, { name: 'source_key', type: 'text' },
  { name: 'version', type: 'integer' }, { name: 'content_sha256', type: 'text' }, { name: 'person_id', type: 'uuid' }, { name: 'source_record_id', type: 'text' },
  { name: 'kind', type: 'text' }, { name: 'given_name', type: 'text' }, { name: 'family_name', type: 'text' }, { name: 'other_names', type: 'jsonb' },
  { name: 'date_of_birth', type: 'text' }, { name: 'expected_date', type: 'text' }, { name: 'sex', type: 'text' }, { name: 'nhs_number', type: 'text' },
  { name: 'nhs_number_valid', type: 'boolean' }, { name: 'upn', type: 'text' }, { name: 'address', type: 'jsonb' }, { name: 'phone', type: 'text' },
  { name: 'restricted', type: 'boolean' }, { name: 'details', type: 'jsonb' }, { name: 'recorded', type: 'text' }, { name: 'search_keys', type: 'text[]' },
  { name: 'first_received_at', type: 'timestamptz' }, { name: 'updated_at', type: 'timestamptz' },
];
// A new version replaces everything but the row's id, its person and when it first arrived.
const RECORD_UPDATES = RECORD_COLUMNS.map((c) => c.name).filter((c) => !['id', 'partnership_id', 'record_key', 'source_key', 'person_id', 'first_received_at'].includes(c));

/** New records are inserted; a new version of a record replaces its current row (its person is kept). */
export async function upsertRecords(trx: Transaction<DB>, rows: Insertable<RecordsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await bulkInsert('records', RECORD_COLUMNS, rows, { keys: ['partnership_id', 'record_key'], update: RECORD_UPDATES }).execute(trx);
}

export async function upsertRelationships(trx: Transaction<DB>, rows: Insertable<RelationshipsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('relationships')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['partnership_id', 'relationship_key']).doUpdateSet(fromExcluded(['version', 'content_sha256', 'from_record_key', 'to_record_key', 'type', 'start_date', 'end_date', 'lives_elsewhere', 'father_unknown', 'recorded', 'updated_at'])),
    )
    .execute();
}

const EVENT_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'uuid' }, { name: 'partnership_id', type: 'uuid' }, { name: 'event_key', type: 'text' }, { name: 'source_key', type: 'text' },
  { name: 'version', type: 'integer' }, { name: 'content_sha256', type: 'text' }, { name: 'type', type: 'text' }, { name: 'date', type: 'text' },
  { name: 'date_precision', type: 'text' }, { name: 'date_sort', type: 'text' }, { name: 'recorded', type: 'text' }, { name: 'recorded_sort', type: 'text' },
  { name: 'summary', type: 'text' }, { name: 'significant', type: 'boolean' }, { name: 'restricted', type: 'boolean' }, { name: 'concerns', type: 'jsonb' },
  { name: 'about', type: 'jsonb' }, { name: 'details', type: 'jsonb' }, { name: 'first_received_at', type: 'timestamptz' }, { name: 'updated_at', type: 'timestamptz' },
];
const EVENT_UPDATES = EVENT_COLUMNS.map((c) => c.name).filter((c) => !['id', 'partnership_id', 'event_key', 'source_key', 'first_received_at'].includes(c));
const EVENT_RECORD_COLUMNS: BulkColumn[] = [
  { name: 'partnership_id', type: 'uuid' }, { name: 'event_id', type: 'uuid' }, { name: 'record_key', type: 'text' }, { name: 'role', type: 'text' },
];

/**
 * New events are inserted; a new version replaces the current row. The records an event names are
 * derived from its current version, so they are rewritten with it.
 */
export async function upsertEvents(trx: Transaction<DB>, rows: Insertable<EventsTable>[], links: Insertable<EventRecordsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await bulkInsert('events', EVENT_COLUMNS, rows, { keys: ['partnership_id', 'event_key'], update: EVENT_UPDATES }).execute(trx);
  const ids = rows.map((r) => r.id as string);
  await trx.deleteFrom('event_records').where('event_id', 'in', ids).execute();
  if (links.length > 0) await bulkInsert('event_records', EVENT_RECORD_COLUMNS, links).execute(trx);
}

/** Savepoints let one object fail without undoing the rest of its batch. */
export async function savepoint(trx: Transaction<DB>, action: 'savepoint' | 'release' | 'rollback'): Promise<void> {
  if (action === 'savepoint') await sql`savepoint import_object`.execute(trx);
  else if (action === 'release') await sql`release savepoint import_object`.execute(trx);
  else await sql`rollback to savepoint import_object`.execute(trx);
}

/** The partnership's settings (school term dates for the attendance feed, among others). */
export async function partnershipSettings(trx: Transaction<DB>, partnershipId: string): Promise<unknown> {
  const row = await trx.selectFrom('partnerships').select('settings').where('id', '=', partnershipId).executeTakeFirst();
  return row?.settings ?? {};
}

/** The latest version of each register mark held for these pupils and days of one source. */
export async function heldMarks(trx: Transaction<DB>, partnershipId: string, sourceKey: string, pupils: readonly string[], from: string, to: string): Promise<Map<string, { version: number; code: string }>> {
  const out = new Map<string, { version: number; code: string }>();
  if (pupils.length === 0) return out;
  const { rows } = await sql<{ pupil_key: string; date: string; session: string; version: number; code: string }>`
    select distinct on (pupil_key, date, session) pupil_key, date, session, version, code
      from attendance_marks
     where partnership_id = ${partnershipId} and source_key = ${sourceKey} and pupil_key = any(${[...new Set(pupils)]}::text[]) and date between ${from} and ${to}
     order by pupil_key, date, session, version desc`.execute(trx);
  for (const r of rows) out.set(`${r.pupil_key}|${r.date}|${r.session}`, { version: r.version, code: r.code });
  return out;
}

const MARK_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'uuid' }, { name: 'partnership_id', type: 'uuid' }, { name: 'source_key', type: 'text' }, { name: 'pupil_key', type: 'text' },
  { name: 'pupil_ref', type: 'text' }, { name: 'date', type: 'text' }, { name: 'session', type: 'text' }, { name: 'code', type: 'text' },
  { name: 'version', type: 'integer' }, { name: 'original', type: 'text' }, { name: 'import_id', type: 'uuid' }, { name: 'received_at', type: 'timestamptz' },
];

/** Appends register marks (new, or new versions of changed ones). */
export async function insertMarks(trx: Transaction<DB>, rows: Insertable<DB['attendance_marks']>[]): Promise<void> {
  if (rows.length > 0) await bulkInsert('attendance_marks', MARK_COLUMNS, rows).execute(trx);
}

/** The latest version of every mark of one pupil in a period (a half term), for its summary. */
export async function currentMarks(trx: Transaction<DB>, partnershipId: string, sourceKey: string, pupil: string, from: string, to: string) {
  const { rows } = await sql<{ pupil_key: string; pupil_ref: string; date: string; session: 'AM' | 'PM'; code: string }>`
    select distinct on (date, session) pupil_key, pupil_ref, date, session, code
      from attendance_marks
     where partnership_id = ${partnershipId} and source_key = ${sourceKey} and pupil_key = ${pupil} and date between ${from} and ${to}
     order by date, session, version desc`.execute(trx);
  return rows;
}

/** The latest version of every object of a kind in a partnership, as received, a page at a time (by key). */
export async function latestVersionsPage(trx: Transaction<DB>, partnershipId: string, kind: ExchangeKind, after: string | null, limit: number): Promise<{ object_key: string; received: string }[]> {
  const result = await sql<{ object_key: string; received: string }>`
    select distinct on (object_key) object_key, received
      from exchange_versions
     where partnership_id = ${partnershipId} and kind = ${kind} ${after === null ? sql`` : sql`and object_key > ${after}`}
     order by object_key, version desc
     limit ${limit}`.execute(trx);
  return result.rows;
}
