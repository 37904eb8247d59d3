import type { Insertable, Transaction } from 'kysely';
import type { AccessGrantsTable, DB } from '../db/schema.js';

// Explicit access grants. Only grants.service.ts imports this file.

export async function insertGrant(trx: Transaction<DB>, row: Insertable<AccessGrantsTable>): Promise<void> {
  await trx.insertInto('access_grants').values(row).execute();
}
