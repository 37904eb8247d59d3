import { sql, type Insertable, type Transaction } from 'kysely';
import type { BreakGlassReviewsTable, BreakGlassTable, DB } from '../db/schema.js';

// Break-glass records. Only break-glass.service.ts imports this file.

export async function insertBreakGlass(trx: Transaction<DB>, row: Insertable<BreakGlassTable>): Promise<void> {
  await trx.insertInto('break_glass').values(row).execute();
}

export async function insertBreakGlassReview(trx: Transaction<DB>, row: Insertable<BreakGlassReviewsTable>): Promise<void> {
  await trx.insertInto('break_glass_reviews').values(row).execute();
}

/** Whether a person exists in the partnership (break-glass may open anyone in it, and no one else). */
export async function personExists(trx: Transaction<DB>, partnershipId: string, personId: string): Promise<boolean> {
  const row = await trx.selectFrom('persons').select('id').where('partnership_id', '=', partnershipId).where('id', '=', personId).executeTakeFirst();
  return row !== undefined;
}

/**
 * Break-glass uses for review: by users of `organisationIds`, newest first, with the person's name,
 * the user and the latest review.
 */
export function findBreakGlassForReview(trx: Transaction<DB>, partnershipId: string, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('break_glass as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .innerJoin('organisations as o', 'o.id', 'b.organisation_id')
    .leftJoin('persons as p', 'p.id', 'b.person_id')
    .select((eb) => [
      'b.id',
      'b.kind',
      'b.person_id',
      'b.reason',
      'b.started_at',
      'b.expires_at',
      'u.display_name as user_name',
      'o.name as organisation_name',
      'p.given_name',
      'p.family_name',
      sql<string | null>`(select r.outcome || ': ' || r.note || ' — ' || ru.display_name
        from break_glass_reviews r join users ru on ru.id = r.reviewer_user_id
        where r.break_glass_id = ${eb.ref('b.id')} order by r.reviewed_at desc limit 1)`.as('review'),
    ])
    .where('b.partnership_id', '=', partnershipId)
    .where('b.organisation_id', 'in', [...organisationIds])
    .orderBy('b.started_at', 'desc')
    .limit(200)
    .execute();
}

/** The organisation of a break-glass record, for checking who may review it. */
export function findBreakGlass(trx: Transaction<DB>, partnershipId: string, id: string) {
  return trx.selectFrom('break_glass').select(['id', 'organisation_id', 'user_id']).where('partnership_id', '=', partnershipId).where('id', '=', id).executeTakeFirst();
}
