// Storage of who is who: records' persons, persons' display details and redirects, decisions,
// identity changes, the review queue, and family links projected from imported relationships.
// Only identity services use this, inside the door.
import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import { bulkInsert, type BulkColumn } from '../db/bulk-insert.js';
import type { DB, IdentityChangesTable, IdentityDecision, IdentityDecisionsTable, IdentityReviewQueueTable, PersonsTable, RecordsTable } from '../db/schema.js';

const MATCH_COLUMNS = [
  'id', 'record_key', 'source_key', 'source_record_id', 'person_id', 'kind', 'given_name', 'family_name', 'other_names',
  'date_of_birth', 'expected_date', 'sex', 'nhs_number', 'nhs_number_valid', 'upn', 'address', 'phone', 'restricted', 'updated_at',
] as const;

/** A record with what matching and a person's display details need. */
export type MatchableRecord = Pick<Selectable<RecordsTable>, (typeof MATCH_COLUMNS)[number]>;

/** Every record of the partnership (identity resolution looks at them all). */
export async function allRecords(trx: Transaction<DB>, partnershipId: string): Promise<MatchableRecord[]> {
  return trx.selectFrom('records').select(MATCH_COLUMNS).where('partnership_id', '=', partnershipId).orderBy('record_key').execute();
}

/** The records that make up some persons. */
export async function recordsOfPersons(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[]): Promise<MatchableRecord[]> {
  if (personIds.length === 0) return [];
  return trx
    .selectFrom('records')
    .select(MATCH_COLUMNS)
    .where('partnership_id', '=', partnershipId)
    .where('person_id', 'in', [...personIds])
    .orderBy('record_key')
    .execute();
}

export async function recordsByKeys(trx: Transaction<DB>, partnershipId: string, keys: readonly string[]): Promise<MatchableRecord[]> {
  if (keys.length === 0) return [];
  return trx.selectFrom('records').select(MATCH_COLUMNS).where('partnership_id', '=', partnershipId).where('record_key', 'in', [...keys]).execute();
}

/** unborn-child-of links (unborn record → mother's record) and births (unborn record → baby). */
export async function unbornLinks(trx: Transaction<DB>, partnershipId: string): Promise<{ unborn: string; mother: string }[]> {
  const rows = await trx
    .selectFrom('relationships')
    .select(['from_record_key', 'to_record_key'])
    .where('partnership_id', '=', partnershipId)
    .where('type', '=', 'unborn-child-of')
    .where('from_record_key', 'is not', null)
    .execute();
  return rows.map((r) => ({ unborn: r.from_record_key!, mother: r.to_record_key }));
}

export async function births(trx: Transaction<DB>, partnershipId: string): Promise<{ child: string; unborn: string }[]> {
  const { rows } = await sql<{ child: string | null; unborn: string | null }>`
    select details->>'child' as child, details->>'unborn' as unborn from events
    where partnership_id = ${partnershipId} and type = 'birth'`.execute(trx);
  return rows.filter((r) => r.child && r.unborn).map((r) => ({ child: r.child!, unborn: r.unborn! }));
}

/** The decision in force for each pair: the latest one. */
export async function currentDecisions(trx: Transaction<DB>, partnershipId: string): Promise<{ record_a: string; record_b: string; decision: IdentityDecision; reason: string | null; decided_by: string; decided_at: Date }[]> {
  const { rows } = await sql<{ record_a: string; record_b: string; decision: IdentityDecision; reason: string | null; decided_by: string; decided_at: Date }>`
    select distinct on (record_a, record_b) record_a, record_b, decision, reason, decided_by, decided_at
    from identity_decisions where partnership_id = ${partnershipId}
    order by record_a, record_b, decided_at desc, id desc`.execute(trx);
  return rows;
}

export async function insertDecision(trx: Transaction<DB>, row: Insertable<IdentityDecisionsTable>): Promise<void> {
  await trx.insertInto('identity_decisions').values(row).execute();
}

export async function personsCreated(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]): Promise<{ id: string; created_at: Date; merged_into: string | null }[]> {
  if (ids.length === 0) return [];
  const out: { id: string; created_at: Date; merged_into: string | null }[] = [];
  const list = [...ids];
  for (let i = 0; i < list.length; i += 5000) {
    out.push(
      ...(await trx
        .selectFrom('persons')
        .select(['id', 'created_at', 'merged_into'])
        .where('partnership_id', '=', partnershipId)
        .where('id', 'in', list.slice(i, i + 5000))
        .execute()),
    );
  }
  return out;
}

const PERSON_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'uuid' }, { name: 'partnership_id', type: 'uuid' }, { name: 'kind', type: 'text' }, { name: 'given_name', type: 'text' },
  { name: 'family_name', type: 'text' }, { name: 'date_of_birth', type: 'text' }, { name: 'expected_date', type: 'text' }, { name: 'sex', type: 'text' },
  { name: 'nhs_number', type: 'text' }, { name: 'restricted', type: 'boolean' }, { name: 'created_at', type: 'timestamptz' }, { name: 'address', type: 'jsonb' },
  { name: 'phone', type: 'text' }, { name: 'merged_into', type: 'uuid' }, { name: 'updated_at', type: 'timestamptz' },
];

export async function insertPersons(trx: Transaction<DB>, rows: Insertable<PersonsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) await bulkInsert('persons', PERSON_COLUMNS, rows.slice(i, i + 5000)).execute(trx);
}

/** A person's display details, worked out again from its records. */
export async function updatePersonDetails(trx: Transaction<DB>, id: string, details: Partial<Insertable<PersonsTable>>): Promise<void> {
  await trx.updateTable('persons').set(details).where('id', '=', id).execute();
}

/** Moves records to persons, in one statement per ten thousand (an import can resolve many thousands). */
export async function assignRecords(trx: Transaction<DB>, partnershipId: string, assignments: ReadonlyMap<string, string>): Promise<void> {
  const all = [...assignments];
  for (let i = 0; i < all.length; i += 10_000) {
    const part = all.slice(i, i + 10_000);
    await sql`
      update records set person_id = v.person_id
      from unnest(${sql.val(part.map(([record]) => record))}::text[], ${sql.val(part.map(([, person]) => person))}::uuid[]) as v(record_key, person_id)
      where records.partnership_id = ${partnershipId} and records.record_key = v.record_key`.execute(trx);
  }
}

/**
 * Marks `merged` as merged into `survivor` (its id redirects there). Persons that already
 * redirected to `merged` now redirect to `survivor`; their ids are returned so an unmerge can put
 * them back.
 */
export async function markMerged(trx: Transaction<DB>, partnershipId: string, merged: string, survivor: string, now: Date): Promise<string[]> {
  const redirected = await trx
    .updateTable('persons')
    .set({ merged_into: survivor, updated_at: now })
    .where('partnership_id', '=', partnershipId)
    .where('merged_into', '=', merged)
    .returning('id')
    .execute();
  await trx.updateTable('persons').set({ merged_into: survivor, updated_at: now }).where('id', '=', merged).execute();
  return redirected.map((r) => r.id);
}

/** Undoes `markMerged`: the person stands on its own again, and those it redirected follow it. */
export async function markUnmerged(trx: Transaction<DB>, partnershipId: string, person: string, redirected: readonly string[], now: Date): Promise<void> {
  await trx.updateTable('persons').set({ merged_into: null, updated_at: now }).where('partnership_id', '=', partnershipId).where('id', '=', person).execute();
  if (redirected.length > 0) {
    await trx.updateTable('persons').set({ merged_into: person, updated_at: now }).where('partnership_id', '=', partnershipId).where('id', 'in', [...redirected]).execute();
  }
}

export async function insertChanges(trx: Transaction<DB>, rows: Insertable<IdentityChangesTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('identity_changes').values(rows.slice(i, i + 1000)).execute();
}

export async function findChange(trx: Transaction<DB>, partnershipId: string, id: string) {
  return trx.selectFrom('identity_changes').selectAll().where('partnership_id', '=', partnershipId).where('id', '=', id).executeTakeFirst();
}

/** Changes that touched a person (as the person kept or as the other one), newest first. */
export async function changesOfPerson(trx: Transaction<DB>, partnershipId: string, personId: string) {
  return trx
    .selectFrom('identity_changes')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('other_person_id', '=', personId)]))
    .orderBy('at', 'desc')
    .orderBy('id')
    .execute();
}

/** Whether a change has been undone already. */
export async function undoneBy(trx: Transaction<DB>, partnershipId: string, changeIds: readonly string[]): Promise<Set<string>> {
  if (changeIds.length === 0) return new Set();
  const rows = await trx.selectFrom('identity_changes').select('undoes').where('partnership_id', '=', partnershipId).where('undoes', 'in', [...changeIds]).execute();
  return new Set(rows.map((r) => r.undoes!));
}

/** The review queue is derived from each resolution: replaced whole. */
export async function replaceReviewQueue(trx: Transaction<DB>, partnershipId: string, rows: Insertable<IdentityReviewQueueTable>[]): Promise<void> {
  await trx.deleteFrom('identity_review_queue').where('partnership_id', '=', partnershipId).execute();
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('identity_review_queue').values(rows.slice(i, i + 1000)).execute();
}

export async function reviewQueue(trx: Transaction<DB>, partnershipId: string) {
  return trx.selectFrom('identity_review_queue').selectAll().where('partnership_id', '=', partnershipId).orderBy('score', 'desc').orderBy('record_a').orderBy('record_b').execute();
}

export async function reviewItem(trx: Transaction<DB>, partnershipId: string, a: string, b: string) {
  return trx.selectFrom('identity_review_queue').selectAll().where('partnership_id', '=', partnershipId).where('record_a', '=', a).where('record_b', '=', b).executeTakeFirst();
}

export async function removeReviewItem(trx: Transaction<DB>, partnershipId: string, a: string, b: string): Promise<void> {
  await trx.deleteFrom('identity_review_queue').where('partnership_id', '=', partnershipId).where('record_a', '=', a).where('record_b', '=', b).execute();
}

/**
 * Family links on persons, projected from imported relationships through each record's person.
 * Derived data: rebuilt whole after identities change (links recorded in the application stay).
 */
export async function rebuildProjectedLinks(trx: Transaction<DB>, partnershipId: string, now: Date): Promise<void> {
  await trx.deleteFrom('person_links').where('partnership_id', '=', partnershipId).where('relationship_key', 'is not', null).execute();
  await sql`
    insert into person_links (id, partnership_id, from_person_id, to_person_id, type, start_date, end_date, lives_elsewhere, created_at, relationship_key)
    select r.id, r.partnership_id, f.person_id, t.person_id, r.type, r.start_date, r.end_date, r.lives_elsewhere, ${now}, r.relationship_key
    from relationships r
    join records f on f.partnership_id = r.partnership_id and f.record_key = r.from_record_key
    join records t on t.partnership_id = r.partnership_id and t.record_key = r.to_record_key
    where r.partnership_id = ${partnershipId} and f.person_id is not null and t.person_id is not null and f.person_id <> t.person_id`.execute(trx);
}

/** Every record's person, for `export identities`. */
export async function recordPersons(trx: Transaction<DB>, partnershipId: string): Promise<{ record_key: string; person_id: string | null }[]> {
  return trx.selectFrom('records').select(['record_key', 'person_id']).where('partnership_id', '=', partnershipId).orderBy('record_key').execute();
}

/** Where a person id leads now: itself, or the person it was merged into (followed to the end). */
export async function survivorOf(trx: Transaction<DB>, partnershipId: string, personId: string): Promise<string | null> {
  let id = personId;
  for (let hops = 0; hops < 20; hops += 1) {
    const row = await trx.selectFrom('persons').select(['id', 'merged_into']).where('partnership_id', '=', partnershipId).where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    if (!row.merged_into) return row.id;
    id = row.merged_into;
  }
  return id;
}
