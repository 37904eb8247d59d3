import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { ConsentsTable, DB, InvolvementsTable, PersonLinksTable, PersonsTable } from '../db/schema.js';

// Queries on people. Only services may import this file (eslint and test/unit/door-static.test.ts
// enforce it): the services wrap every call in the data-access door.

export type PersonRow = Selectable<PersonsTable>;

/** People of one partnership by id. */
export function findPersons(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx.selectFrom('persons').selectAll().where('partnership_id', '=', partnershipId).where('id', 'in', [...ids]).execute();
}

/**
 * Where each of these person ids leads now: the person itself, or (for a person merged into
 * another by identity resolution) the survivor, so lists and links keep working after a merge.
 */
export async function findSurvivors(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const rows = await trx.selectFrom('persons').select(['id', 'merged_into']).where('partnership_id', '=', partnershipId).where('id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) out.set(r.id, r.merged_into ?? r.id);
  return out;
}

/** Person ids whose records carry any of these search keys (fuzzy name, date of birth, NHS number, postcode). */
export async function findPersonIdsByKeys(trx: Transaction<DB>, partnershipId: string, keys: readonly string[], limit: number): Promise<{ person_id: string; search_keys: string[] }[]> {
  if (keys.length === 0) return [];
  const rows = await trx
    .selectFrom('records')
    .select(['person_id', 'search_keys'])
    .where('partnership_id', '=', partnershipId)
    .where('person_id', 'is not', null)
    .where(sql<boolean>`search_keys && ${sql.val([...keys])}::text[]`)
    .limit(limit)
    .execute();
  return rows as { person_id: string; search_keys: string[] }[];
}

/** Ids of the people a user is the named worker for, with an open involvement. */
export async function findAllocatedPersonIds(trx: Transaction<DB>, partnershipId: string, userId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('involvements')
    .select('person_id')
    .distinct()
    .where('partnership_id', '=', partnershipId)
    .where('worker_user_id', '=', userId)
    .where('role', '!=', 'front-door')
    .where('end_date', 'is', null)
    .execute();
  return rows.map((r) => r.person_id);
}

/** Ids of the people with an open front-door contact at an organisation (its queue). */
export async function findFrontDoorQueue(trx: Transaction<DB>, partnershipId: string, organisationId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('involvements')
    .select('person_id')
    .distinct()
    .where('partnership_id', '=', partnershipId)
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'front-door')
    .where('end_date', 'is', null)
    .execute();
  return rows.map((r) => r.person_id);
}

/** The people a user opened most recently, newest first (from the audit trail). */
export async function findRecentlyViewed(trx: Transaction<DB>, partnershipId: string, userId: string, limit: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('audit_log')
    .select('object_id')
    .select(sql<Date>`max(occurred_at)`.as('last'))
    .where('chain_id', '=', partnershipId)
    .where('actor_id', '=', userId)
    .where('action', '=', 'person.read')
    .where('outcome', '=', 'success')
    .groupBy('object_id')
    .orderBy('last', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.object_id!).filter(Boolean);
}

/** People whose names start with every term (in given or family name) or match a date of birth / NHS number. */
export async function findPersonIdsMatching(
  trx: Transaction<DB>,
  partnershipId: string,
  query: { terms: string[]; dateOfBirth?: string | undefined; nhsNumber?: string | undefined },
  limit: number,
  offset = 0,
): Promise<string[]> {
  let q = trx.selectFrom('persons').select('id').where('partnership_id', '=', partnershipId).where('merged_into', 'is', null);
  for (const term of query.terms) {
    const pattern = `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(given_name)`, 'like', pattern),
        eb(sql`lower(family_name)`, 'like', pattern),
        eb(sql`lower(family_name)`, 'like', `%-${pattern}`),
      ]),
    );
  }
  if (query.dateOfBirth) q = q.where('date_of_birth', '=', query.dateOfBirth);
  if (query.nhsNumber) q = q.where('nhs_number', '=', query.nhsNumber);
  const rows = await q.orderBy('family_name').orderBy('given_name').orderBy('id').limit(limit).offset(offset).execute();
  return rows.map((r) => r.id);
}

/** Family links touching any of the people, both directions. */
export function findLinks(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[]): Promise<Selectable<PersonLinksTable>[]> {
  if (personIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('person_links')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where((eb) => eb.or([eb('from_person_id', 'in', [...personIds]), eb('to_person_id', 'in', [...personIds])]))
    .execute();
}

/** Involvements with a person, with organisation and worker names. */
export function findInvolvements(trx: Transaction<DB>, partnershipId: string, personId: string) {
  return trx
    .selectFrom('involvements as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .leftJoin('users as u', 'u.id', 'i.worker_user_id')
    .select(['i.id', 'i.role', 'i.start_date', 'i.end_date', 'i.organisation_id', 'o.name as organisation_name', 'o.agency', 'i.worker_user_id', 'u.display_name as worker_name', 'u.email as worker_email'])
    .where('i.partnership_id', '=', partnershipId)
    .where('i.person_id', '=', personId)
    .orderBy('i.start_date', 'desc')
    .execute();
}

/** The latest consent per organisation for a person. */
export function findConsents(trx: Transaction<DB>, partnershipId: string, personId: string) {
  return trx
    .selectFrom('consents as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'c.status', 'c.reason', 'c.recorded_by', 'c.recorded_at', 'c.organisation_id', 'o.name as organisation_name'])
    .where('c.partnership_id', '=', partnershipId)
    .where('c.person_id', '=', personId)
    .orderBy('c.recorded_at', 'desc')
    .execute();
}

export async function insertPerson(trx: Transaction<DB>, row: Insertable<PersonsTable>): Promise<void> {
  await trx.insertInto('persons').values(row).execute();
}

export async function insertPersonLink(trx: Transaction<DB>, row: Insertable<PersonLinksTable>): Promise<void> {
  await trx.insertInto('person_links').values(row).execute();
}

export async function insertInvolvement(trx: Transaction<DB>, row: Insertable<InvolvementsTable>): Promise<void> {
  await trx.insertInto('involvements').values(row).execute();
}

export async function insertConsent(trx: Transaction<DB>, row: Insertable<ConsentsTable>): Promise<void> {
  await trx.insertInto('consents').values(row).execute();
}

/** Whether a user is a person's current lead practitioner. */
export async function isLeadPractitioner(trx: Transaction<DB>, personId: string, userId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('involvements')
    .select('id')
    .where('person_id', '=', personId)
    .where('worker_user_id', '=', userId)
    .where('role', '=', 'lead-practitioner')
    .where('end_date', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Addresses the person's records hold (each as its source recorded it), with the source's name and authority. */
export async function findRecordAddresses(trx: Transaction<DB>, partnershipId: string, personId: string) {
  return trx
    .selectFrom('records as r')
    .leftJoin('source_systems as s', (j) => j.onRef('s.partnership_id', '=', 'r.partnership_id').onRef('s.source_key', '=', 'r.source_key'))
    .select(['r.record_key', 'r.address', 's.name as source_name', 's.authority'])
    .where('r.partnership_id', '=', partnershipId)
    .where('r.person_id', '=', personId)
    .where('r.address', 'is not', null)
    .execute();
}

/** Moves (events of type "move") about the person's records: the new address and authority. */
export async function findMoves(trx: Transaction<DB>, partnershipId: string, personId: string) {
  return trx
    .selectFrom('events as e')
    .innerJoin('event_records as er', 'er.event_id', 'e.id')
    .innerJoin('records as r', (j) => j.onRef('r.partnership_id', '=', 'er.partnership_id').onRef('r.record_key', '=', 'er.record_key'))
    .leftJoin('source_systems as s', (j) => j.onRef('s.partnership_id', '=', 'e.partnership_id').onRef('s.source_key', '=', 'e.source_key'))
    .select(['e.event_key', 'e.date', 'e.date_sort', 'e.details', 'e.restricted', 's.name as source_name'])
    .distinct()
    .where('e.partnership_id', '=', partnershipId)
    .where('e.type', '=', 'move')
    .where('er.role', '=', 'subject')
    .where('r.person_id', '=', personId)
    .orderBy('e.date_sort')
    .execute();
}

/** The local authorities whose agencies hold records of these people. */
export async function findAuthorities(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const rows = await trx
    .selectFrom('records as r')
    .innerJoin('source_systems as s', (j) => j.onRef('s.partnership_id', '=', 'r.partnership_id').onRef('s.source_key', '=', 'r.source_key'))
    .select('s.authority')
    .distinct()
    .where('r.partnership_id', '=', partnershipId)
    .where('r.person_id', 'in', [...personIds])
    .where('s.authority', 'is not', null)
    .execute();
  return rows.map((r) => r.authority!).sort();
}

/** Whether a source recorded that this child's father is not known. */
export async function fatherRecordedUnknown(trx: Transaction<DB>, partnershipId: string, personId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('relationships as l')
    .innerJoin('records as r', (j) => j.onRef('r.partnership_id', '=', 'l.partnership_id').onRef('r.record_key', '=', 'l.to_record_key'))
    .select('l.id')
    .where('l.partnership_id', '=', partnershipId)
    .where('l.type', '=', 'father')
    .where('l.father_unknown', '=', true)
    .where('r.person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}
