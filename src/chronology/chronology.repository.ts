// Queries for the chronology: the events about a set of people (through the agencies' records of
// them, and entries recorded here about the people themselves), their details for one page, and
// what was recorded in the application. Only chronology services call these, inside the door.
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB, EventPersonsTable, EventsTable, ExchangeVersionsTable, RecordingDraftsTable } from '../db/schema.js';

/** One event of a chronology as the list shows it (the rest of its details come per page). */
export interface ScopeEventRow {
  id: string;
  event_key: string;
  source_key: string;
  type: string;
  date: string;
  date_precision: string;
  date_sort: string;
  recorded: string | null;
  recorded_sort: string;
  significant: boolean;
  restricted: boolean;
  status: 'current' | 'entered-in-error';
  origin: 'import' | 'recorded';
  version: number;
  visibility: 'full' | 'involvement-only' | 'restricted-stub';
  /** The people in scope it is about. */
  persons: string[];
}

/** What the viewer may see of the events in scope, decided in the database for the whole set. */
export interface ScopeVisibility {
  /** False for the command line and jobs: they read for the partnership (restricted entries aside). */
  user: boolean;
  includeRestricted: boolean;
  /** The viewer organisation's own sources (its entries are always open to it). */
  ownSources: readonly string[];
  /** People in scope the viewer reaches other than through family (their entries are open in full). */
  fullPersons: readonly string[];
  /** People whose restricted entries the viewer holds a grant for. */
  grantedPersons: readonly string[];
  /** Types seen in full through a family member. */
  familyTypes: 'all' | readonly string[];
}

/** Filters on the list. Those that read an entry's content apply only to entries seen in full. */
export interface ScopeFilters {
  types?: readonly string[];
  sourceKeys?: readonly string[];
  concerns?: readonly string[];
  significantOnly?: boolean;
  from?: string;
  to?: string;
  /** Words that must all appear in the summary (case-insensitive). */
  text?: string;
}

/**
 * Puts the chronology's scope in a temporary table for this transaction: every (event, person)
 * pair where the event is about one of `personIds` (as subject, or named in it: children present,
 * a birth's baby), from agencies' records of the people and from entries recorded here. The queries
 * below read it, so the scope is worked out once per page.
 */
export async function createScope(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[], v: ScopeVisibility): Promise<void> {
  const ids = [...personIds];
  await sql`create temporary table if not exists chronology_scope (event_id uuid not null, person_id uuid not null) on commit drop`.execute(trx);
  await sql`truncate chronology_scope`.execute(trx);
  await sql`
    insert into chronology_scope (event_id, person_id)
    select distinct er.event_id, r.person_id
      from records r
      join event_records er on er.partnership_id = r.partnership_id and er.record_key = r.record_key
     where r.partnership_id = ${partnershipId} and r.person_id = any(${ids}::uuid[]) and er.role in ('subject', 'named')
    union
    select ep.event_id, coalesce(p.merged_into, p.id)
      from event_persons ep
      join persons p on p.id = ep.person_id
     where ep.partnership_id = ${partnershipId} and ep.role = 'subject' and coalesce(p.merged_into, p.id) = any(${ids}::uuid[])`.execute(trx);
  await sql`create index if not exists chronology_scope_event on chronology_scope (event_id)`.execute(trx);
  // How much of each event in scope the viewer sees, decided once here: every query of the page
  // reads it rather than deciding again for each event it scans.
  await sql`create temporary table if not exists chronology_seen (event_id uuid primary key, visibility text not null) on commit drop`.execute(trx);
  await sql`truncate chronology_seen`.execute(trx);
  await sql`insert into chronology_seen (event_id, visibility) select e.id, ${visibilityOf(v)} from events e where e.id in (select event_id from chronology_scope)`.execute(trx);
}

/** The events in scope (`e`), each with how much of it the viewer sees (`c.visibility`), for the queries below. */
const SCOPED = sql`events e join chronology_seen c on c.event_id = e.id`;

/** SQL: how much of event `e` the viewer sees, as createScope decided. */
const VISIBILITY = sql<string>`c.visibility`;

/** SQL: how much of event `e` the viewer sees ('full', 'involvement-only' or 'restricted-stub'). */
function visibilityOf(v: ScopeVisibility) {
  if (!v.user) return v.includeRestricted ? sql<string>`'full'` : sql<string>`case when e.restricted then 'restricted-stub' else 'full' end`;
  const own = sql`e.source_key = any(${[...v.ownSources]}::text[])`;
  const granted = sql`exists (select 1 from chronology_scope g where g.event_id = e.id and g.person_id = any(${[...v.grantedPersons]}::uuid[]))`;
  const direct = sql`exists (select 1 from chronology_scope f where f.event_id = e.id and f.person_id = any(${[...v.fullPersons]}::uuid[]))`;
  const typeShown = v.familyTypes === 'all' ? sql`true` : sql`e.type = any(${[...v.familyTypes]}::text[])`;
  return sql<string>`case
    when e.restricted and not (${own}) and not (${granted}) then 'restricted-stub'
    when (${own}) or (${direct}) or (${typeShown}) then 'full'
    else 'involvement-only' end`;
}

function filterConditions(f: ScopeFilters) {
  const conditions = [sql`true`];
  const full = sql`${VISIBILITY} = 'full'`;
  if (f.sourceKeys?.length) conditions.push(sql`e.source_key = any(${[...f.sourceKeys]}::text[])`);
  if (f.from) conditions.push(sql`e.date_sort >= ${f.from}`);
  if (f.to) conditions.push(sql`e.date_sort <= ${f.to}`);
  // Filters on what an entry says or is match only entries the viewer may read: a stub must not
  // show that a hidden entry has the word, the type or the concern searched for.
  if (f.types?.length) conditions.push(sql`e.type = any(${[...f.types]}::text[]) and ${full}`);
  if (f.concerns?.length) conditions.push(sql`e.concerns ?| ${[...f.concerns]}::text[] and ${full}`);
  if (f.significantOnly) conditions.push(sql`e.significant and ${full}`);
  const words = (f.text ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
  for (const word of words) conditions.push(sql`coalesce(e.summary, '') ilike ${`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (words.length) conditions.push(full);
  return sql.join(conditions, sql` and `);
}

/** One page of the list (or all of it, with `limit` null), in date order, with how much of each the viewer sees. */
export async function scopePage(trx: Transaction<DB>, filters: ScopeFilters, limit: number | null, offset: number): Promise<ScopeEventRow[]> {
  const result = await sql<ScopeEventRow>`
    select e.id, e.event_key, e.source_key, e.type, e.date, e.date_precision, e.date_sort, e.recorded, e.recorded_sort,
           e.significant, e.restricted, e.status, e.origin, e.version, ${VISIBILITY} as visibility,
           (select array_agg(s.person_id) from chronology_scope s where s.event_id = e.id) as persons
      from ${SCOPED}
     where ${filterConditions(filters)}
     order by e.date_sort, e.event_key
     ${limit === null ? sql`` : sql`limit ${limit} offset ${offset}`}`.execute(trx);
  return result.rows;
}

/** How many entries of the list come before one entry (to open the page it is on), or null when it is not in the list. */
export async function scopePosition(trx: Transaction<DB>, filters: ScopeFilters, eventId: string): Promise<number | null> {
  const result = await sql<{ before: string | null }>`
    select (select count(*) from ${SCOPED} where ${filterConditions(filters)} and (e.date_sort, e.event_key) < (t.date_sort, t.event_key)) as before
      from events t where t.id = ${eventId} and t.id in (select event_id from chronology_seen)`.execute(trx);
  const row = result.rows[0];
  return row?.before === undefined || row.before === null ? null : Number(row.before);
}

/** How many entries the list has with these filters, and how many of the whole are shown only in outline. */
export async function scopeCounts(trx: Transaction<DB>, filters: ScopeFilters): Promise<{ total: number; withheld: number; restricted: number }> {
  const result = await sql<{ total: string; withheld: string; restricted: string }>`
    select count(*) filter (where ${filterConditions(filters)}) as total,
           count(*) filter (where c.visibility <> 'full') as withheld,
           count(*) filter (where c.visibility = 'restricted-stub') as restricted
      from ${SCOPED}`.execute(trx);
  const row = result.rows[0]!;
  return { total: Number(row.total), withheld: Number(row.withheld), restricted: Number(row.restricted) };
}

/** An event the picture or the figures read: only what they need of it. */
export interface KeyEventRow {
  id: string;
  type: string;
  source_key: string;
  date_sort: string;
  significant: boolean;
  details: unknown;
  about: unknown;
  persons: string[];
}

/** Types the timeline picture marks, and the ones the figures count. */
const KEY_TYPES = ['plan-start', 'plan-end', 'referral', 'contact', 'pregnancy', 'birth', 'move', 'police-incident', 'ed-attendance', 'incident', 'attendance-summary'];

/**
 * The events the timeline picture and the attendance figures need, among those the viewer reads in
 * full and that stand (not entered in error): plans, key events, significant ones, attendance.
 */
export async function scopeKeyEvents(trx: Transaction<DB>): Promise<KeyEventRow[]> {
  const result = await sql<KeyEventRow>`
    select e.id, e.type, e.source_key, e.date_sort, e.significant, e.details, e.about,
           (select array_agg(s.person_id) from chronology_scope s where s.event_id = e.id) as persons
      from ${SCOPED}
     where e.status = 'current' and (e.type = any(${KEY_TYPES}::text[]) or e.significant) and ${VISIBILITY} = 'full'
     order by e.date_sort, e.event_key`.execute(trx);
  return result.rows;
}

/** Appointments in a period counted by person, source, service and outcome (the figures need only the counts). */
export async function scopeAppointmentCounts(trx: Transaction<DB>, period: { from: string | null; to: string | null }): Promise<{ person_id: string; source_key: string; service: string | null; status: string; n: number }[]> {
  const result = await sql<{ person_id: string; source_key: string; service: string | null; status: string; n: string }>`
    select s.person_id, e.source_key, e.details->>'service' as service, e.details->>'status' as status, count(*) as n
      from ${SCOPED}
      join chronology_scope s on s.event_id = e.id
     where e.type = 'appointment' and e.status = 'current' and ${VISIBILITY} = 'full'
       ${period.from ? sql`and e.date_sort >= ${period.from}` : sql``} ${period.to ? sql`and e.date_sort <= ${period.to}` : sql``}
     group by 1, 2, 3, 4`.execute(trx);
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The agencies' sources and the types (seen in full) present, for the filters. */
export async function scopeOptions(trx: Transaction<DB>): Promise<{ source_key: string; type: string; full: boolean }[]> {
  const result = await sql<{ source_key: string; type: string; full: boolean }>`
    select distinct e.source_key, e.type, ${VISIBILITY} = 'full' as full from ${SCOPED}`.execute(trx);
  return result.rows;
}

/** The full rows of one page of events. */
export async function eventsById(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('events')
    .select(['id', 'event_key', 'summary', 'details', 'concerns', 'about', 'recorded_by', 'status_reason', 'version', 'first_received_at', 'updated_at'])
    .where('partnership_id', '=', partnershipId)
    .where('id', 'in', [...ids])
    .execute();
}

/** Who each event is about and who took part, as current persons (merged people followed to the survivor). */
export async function eventPeople(trx: Transaction<DB>, partnershipId: string, eventIds: readonly string[]): Promise<{ event_id: string; person_id: string; role: string }[]> {
  if (eventIds.length === 0) return [];
  const ids = [...eventIds];
  const result = await sql<{ event_id: string; person_id: string; role: string }>`
    select distinct er.event_id, r.person_id, er.role
      from event_records er
      join records r on r.partnership_id = er.partnership_id and r.record_key = er.record_key
     where er.partnership_id = ${partnershipId} and er.event_id = any(${ids}::uuid[]) and r.person_id is not null
    union
    select ep.event_id, coalesce(p.merged_into, p.id), ep.role
      from event_persons ep
      join persons p on p.id = ep.person_id
     where ep.partnership_id = ${partnershipId} and ep.event_id = any(${ids}::uuid[])`.execute(trx);
  return result.rows;
}

/** Sources (sending systems) of the partnership with their agency and organisation. */
export async function sources(trx: Transaction<DB>, partnershipId: string) {
  return trx.selectFrom('source_systems').select(['source_key', 'agency', 'name', 'authority', 'organisation_id']).where('partnership_id', '=', partnershipId).execute();
}

/** Every version of one event, oldest first, as received or recorded. */
export async function eventVersions(trx: Transaction<DB>, partnershipId: string, eventKey: string) {
  return trx
    .selectFrom('exchange_versions')
    .select(['version', 'received', 'received_at', 'actor', 'reason', 'status', 'import_id'])
    .where('partnership_id', '=', partnershipId)
    .where('kind', '=', 'event')
    .where('object_key', '=', eventKey)
    .orderBy('version')
    .execute();
}

/** One event's current row, by its id. */
export async function eventRow(trx: Transaction<DB>, partnershipId: string, id: string) {
  return trx.selectFrom('events').selectAll().where('partnership_id', '=', partnershipId).where('id', '=', id).executeTakeFirst();
}

/** Records a new entry (its first version) or replaces the current row of one (a later version). */
export async function upsertRecordedEvent(trx: Transaction<DB>, row: Insertable<EventsTable>, people: Insertable<EventPersonsTable>[]): Promise<void> {
  await trx
    .insertInto('events')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        version: row.version,
        content_sha256: row.content_sha256,
        type: row.type,
        date: row.date,
        date_precision: row.date_precision,
        date_sort: row.date_sort,
        recorded: row.recorded ?? null,
        recorded_sort: row.recorded_sort,
        summary: row.summary ?? null,
        significant: row.significant ?? false,
        restricted: row.restricted ?? false,
        concerns: row.concerns,
        about: row.about,
        details: row.details,
        updated_at: row.updated_at,
        status: row.status ?? 'current',
        status_reason: row.status_reason ?? null,
      }),
    )
    .execute();
  await trx.deleteFrom('event_persons').where('event_id', '=', row.id).execute();
  if (people.length > 0) await trx.insertInto('event_persons').values(people).execute();
}

/** Appends one version of an object. */
export async function insertVersion(trx: Transaction<DB>, row: Insertable<ExchangeVersionsTable>): Promise<void> {
  await trx.insertInto('exchange_versions').values(row).execute();
}

/** The source row for an organisation's own entries, if it has one. */
export async function sourceOfOrganisation(trx: Transaction<DB>, partnershipId: string, organisationId: string) {
  return trx.selectFrom('source_systems').select(['source_key', 'agency', 'name']).where('partnership_id', '=', partnershipId).where('organisation_id', '=', organisationId).orderBy('source_key').executeTakeFirst();
}

/** The organisation's code, name and agency. */
export async function organisation(trx: Transaction<DB>, partnershipId: string, organisationId: string) {
  return trx.selectFrom('organisations').select(['id', 'code', 'name', 'agency', 'authority']).where('partnership_id', '=', partnershipId).where('id', '=', organisationId).executeTakeFirst();
}

/** Registers an organisation as the source of the entries it records here. */
export async function insertSource(trx: Transaction<DB>, row: Insertable<DB['source_systems']>): Promise<void> {
  await trx.insertInto('source_systems').values(row).onConflict((oc) => oc.columns(['partnership_id', 'source_key']).doNothing()).execute();
}

/** A user's draft of an entry about a person. */
export async function findDraft(trx: Transaction<DB>, partnershipId: string, userId: string, personId: string, kind: string) {
  return trx.selectFrom('recording_drafts').select(['content', 'updated_at']).where('partnership_id', '=', partnershipId).where('user_id', '=', userId).where('person_id', '=', personId).where('kind', '=', kind).executeTakeFirst();
}

/** Keeps (or replaces) a user's draft. */
export async function saveDraft(trx: Transaction<DB>, row: Insertable<RecordingDraftsTable>): Promise<void> {
  await trx
    .insertInto('recording_drafts')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'person_id', 'kind']).doUpdateSet({ content: row.content, updated_at: row.updated_at }))
    .execute();
}

/** Removes a user's draft once the entry is saved (a draft is a convenience, not a record). */
export async function deleteDraft(trx: Transaction<DB>, partnershipId: string, userId: string, personId: string, kind: string): Promise<void> {
  await trx.deleteFrom('recording_drafts').where('partnership_id', '=', partnershipId).where('user_id', '=', userId).where('person_id', '=', personId).where('kind', '=', kind).execute();
}

/** The kinds of entry a user has drafts of for a person. */
export async function draftKinds(trx: Transaction<DB>, partnershipId: string, userId: string, personId: string): Promise<string[]> {
  const rows = await trx.selectFrom('recording_drafts').select('kind').where('partnership_id', '=', partnershipId).where('user_id', '=', userId).where('person_id', '=', personId).execute();
  return rows.map((r) => r.kind);
}

/** The organisation's involvements with a person that go quiet (opened by recording), newest first. */
export async function quietInvolvements(trx: Transaction<DB>, partnershipId: string, organisationId: string, personId: string) {
  return trx
    .selectFrom('involvements')
    .select(['id', 'role', 'end_date'])
    .where('partnership_id', '=', partnershipId)
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('role', 'in', ['service-provided', 'front-door'])
    .orderBy('start_date', 'desc')
    .execute();
}

/** Work recorded today keeps an involvement opened by recording from going quiet. */
export async function touchInvolvement(trx: Transaction<DB>, id: string, day: string): Promise<void> {
  await trx.updateTable('involvements').set({ last_activity_date: day }).where('id', '=', id).execute();
}

/** Opens an involvement by recording (a service provided, or a front-door contact). */
export async function insertInvolvement(trx: Transaction<DB>, row: Insertable<DB['involvements']>): Promise<void> {
  await trx.insertInto('involvements').values(row).execute();
}

/** The latest version of each object as received (or recorded here), by kind and key. */
export async function latestReceived(trx: Transaction<DB>, partnershipId: string, kind: 'source' | 'record' | 'relationship' | 'event', keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (keys.length === 0) return out;
  const result = await sql<{ object_key: string; received: string }>`
    select distinct on (object_key) object_key, received
      from exchange_versions
     where partnership_id = ${partnershipId} and kind = ${kind} and object_key = any(${[...new Set(keys)]}::text[])
     order by object_key, version desc`.execute(trx);
  for (const r of result.rows) out.set(r.object_key, r.received);
  return out;
}

/** Stored records by key: whether each is restricted. */
export async function recordFlags(trx: Transaction<DB>, partnershipId: string, keys: readonly string[]): Promise<Map<string, { restricted: boolean }>> {
  if (keys.length === 0) return new Map();
  const rows = await trx.selectFrom('records').select(['record_key', 'restricted']).where('partnership_id', '=', partnershipId).where('record_key', 'in', [...new Set(keys)]).execute();
  return new Map(rows.map((r) => [r.record_key, { restricted: r.restricted }]));
}

/** Relationship keys whose two ends are both among `recordKeys`. */
export async function relationshipsAmong(trx: Transaction<DB>, partnershipId: string, recordKeys: readonly string[]): Promise<string[]> {
  if (recordKeys.length === 0) return [];
  const keys = [...new Set(recordKeys)];
  const rows = await trx
    .selectFrom('relationships')
    .select('relationship_key')
    .where('partnership_id', '=', partnershipId)
    .where('to_record_key', 'in', keys)
    .where((eb) => eb.or([eb('from_record_key', 'is', null), eb('from_record_key', 'in', keys)]))
    .execute();
  return rows.map((r) => r.relationship_key);
}

/** The record of a person an entry recorded here names (by person id), as a record. */
export async function personsById(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return trx.selectFrom('persons').select(['id', 'kind', 'given_name', 'family_name', 'date_of_birth', 'expected_date', 'sex', 'nhs_number', 'restricted']).where('partnership_id', '=', partnershipId).where('id', 'in', [...new Set(ids)]).execute();
}

/** Records of a person (their keys), for an export named by person. */
export async function recordOwner(trx: Transaction<DB>, partnershipId: string, recordKey: string): Promise<string | null> {
  const row = await trx.selectFrom('records').select('person_id').where('partnership_id', '=', partnershipId).where('record_key', '=', recordKey).executeTakeFirst();
  return row?.person_id ?? null;
}
