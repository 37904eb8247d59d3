import type { Insertable, Selectable, Transaction } from 'kysely';
import type { DB, InvolvementsTable, PersonLinksTable, PersonsTable } from '../db/schema.js';

// Queries on people. Only people.service.ts may import this file (eslint and test/unit/door.test.ts
// enforce it): the service wraps every call in the data-access door.

export type PersonRow = Selectable<PersonsTable>;

/** People of one partnership by id. */
export function findPersons(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('persons')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', 'in', [...ids])
    .execute();
}

/** Ids of the people a user is the named worker for, with an open involvement. */
export async function findAllocatedPersonIds(trx: Transaction<DB>, partnershipId: string, userId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('involvements')
    .select('person_id')
    .distinct()
    .where('partnership_id', '=', partnershipId)
    .where('worker_user_id', '=', userId)
    .where('end_date', 'is', null)
    .execute();
  return rows.map((r) => r.person_id);
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
