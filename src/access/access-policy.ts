import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { hasRole, type ActorContext } from './actor-context.js';

/** Days a relationship lasts after an involvement ends (the default of the access model). */
export const RELATIONSHIP_GRACE_DAYS = 180;

/**
 * Which of `personIds` the actor may read, decided for the whole set in one query (never one query
 * per row). Default deny: a person is readable only when a rule below grants it.
 *
 * - the command line and system jobs act for the partnership as a whole (they are audited);
 * - `front-door` users read across the partnership to make decisions;
 * - anyone else needs their organisation to have an involvement with the person that is open, or
 *   ended within the grace period.
 */
export async function readablePersonIds(trx: Transaction<DB>, ctx: ActorContext, personIds: readonly string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const inPartnership = trx
    .selectFrom('persons')
    .select('id')
    .where('partnership_id', '=', ctx.partnershipId)
    .where('id', 'in', [...personIds]);
  if (ctx.actor.type !== 'user' || hasRole(ctx, 'front-door')) {
    return new Set((await inPartnership.execute()).map((r) => r.id));
  }
  const organisationId = ctx.actor.organisationId;
  if (!organisationId || !(hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager'))) return new Set();
  const rows = await inPartnership
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('involvements as i')
          .select(sql`1`.as('one'))
          .whereRef('i.person_id', '=', 'persons.id')
          .where('i.organisation_id', '=', organisationId)
          .where((w) =>
            w.or([
              w('i.end_date', 'is', null),
              w(sql<string>`i.end_date::date`, '>=', sql<string>`current_date - ${RELATIONSHIP_GRACE_DAYS}::int`),
            ]),
          ),
      ),
    )
    .execute();
  return new Set(rows.map((r) => r.id));
}
