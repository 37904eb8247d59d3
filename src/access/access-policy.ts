import { sql, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { hasRole, type ActorContext } from './actor-context.js';
import { compileAccessRules, type AccessBasis, type AccessRules } from './access-rules.js';

/** The rules in force for this actor: the session's compiled rules, or the partnership's, compiled now. */
export async function rulesFor(trx: Transaction<DB>, ctx: ActorContext): Promise<AccessRules> {
  if (ctx.accessRules) return ctx.accessRules;
  const row = await trx.selectFrom('partnerships').select('settings').where('id', '=', ctx.partnershipId).executeTakeFirst();
  ctx.accessRules = compileAccessRules((row?.settings as { access?: unknown } | undefined)?.access);
  return ctx.accessRules;
}

/**
 * An involvement still gives a relationship: explicit allocations (lead practitioner, team around
 * the child) until `grace` days after they end; involvements opened by recording (a service
 * provided, a front-door contact) until `grace` days after they end or their last activity.
 */
function involvementActive(grace: number) {
  return sql<SqlBool>`(case when i.role in ('service-provided', 'front-door')
      then coalesce(i.end_date, i.last_activity_date, i.start_date)
      else i.end_date end) is null
    or (case when i.role in ('service-provided', 'front-door')
      then coalesce(i.end_date, i.last_activity_date, i.start_date)
      else i.end_date end)::date + ${grace}::int >= current_date`;
}

interface AccessRow {
  id: string;
  direct: boolean;
  family: boolean;
  glass: boolean;
}

/**
 * How the actor may read each of `personIds`, decided for the whole set in one query (never one
 * query per row). A person missing from the result may not be read. Default deny: only these hold —
 * - the command line and system jobs act for the partnership as a whole (audited);
 * - practitioners and managers: their organisation's involvement with the person, or with one of
 *   the person's family (one link away, when the partnership allows family reach; a link that ended
 *   counts until the grace period after its end, like an involvement), or their own
 *   unexpired break-glass access;
 * - front-door users: anyone in the partnership, to make a decision;
 * - the data protection officer and administrators: the record's summary and access log only;
 * - partnership analysts: nobody (they see aggregated, de-identified figures only).
 */
export async function personAccess(trx: Transaction<DB>, ctx: ActorContext, personIds: readonly string[]): Promise<Map<string, AccessBasis>> {
  const result = new Map<string, AccessBasis>();
  if (personIds.length === 0) return result;
  const ids = [...new Set(personIds)];
  if (ctx.actor.type !== 'user') {
    const rows = await trx.selectFrom('persons').select('id').where('partnership_id', '=', ctx.partnershipId).where('id', 'in', ids).execute();
    for (const r of rows) result.set(r.id, 'partnership');
    return result;
  }
  const rules = await rulesFor(trx, ctx);
  const organisationId = ctx.actor.organisationId;
  const caseworker = organisationId !== null && (hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager') || hasRole(ctx, 'front-door'));
  const active = involvementActive(rules.settings.relationshipGraceDays);
  const none = sql<boolean>`false`;
  // A person merged into this one (identity resolution) brings its involvements and break-glass
  // with it: the practitioner who worked with either record works with the person.
  const aliases = sql`select a.id from persons a where a.id = p.id or a.merged_into = p.id`;
  const direct: RawBuilder<boolean> = caseworker
    ? sql<boolean>`exists (select 1 from involvements i where i.person_id in (${aliases}) and i.organisation_id = ${organisationId} and (${active}))`
    : none;
  const family: RawBuilder<boolean> =
    caseworker && rules.settings.familyReach
      ? sql<boolean>`exists (select 1 from person_links l
          join involvements i on i.person_id = case when l.from_person_id = p.id then l.to_person_id else l.from_person_id end
          where (l.from_person_id = p.id or l.to_person_id = p.id) and l.partnership_id = p.partnership_id
            and (l.end_date is null or l.end_date::date + ${rules.settings.relationshipGraceDays}::int >= current_date)
            and i.organisation_id = ${organisationId} and (${active}))`
      : none;
  const glass: RawBuilder<boolean> = caseworker
    ? sql<boolean>`exists (select 1 from break_glass b where b.person_id in (${aliases}) and b.user_id = ${ctx.actor.id} and b.kind = 'access' and b.expires_at > now())`
    : none;
  const rows = (await trx
    .selectFrom('persons as p')
    .select(['p.id', direct.as('direct'), family.as('family'), glass.as('glass')])
    .where('p.partnership_id', '=', ctx.partnershipId)
    .where('p.id', 'in', ids)
    .execute()) as unknown as AccessRow[];
  const frontDoor = hasRole(ctx, 'front-door');
  const governance = hasRole(ctx, 'dpo') || hasRole(ctx, 'admin');
  for (const row of rows) {
    const basis: AccessBasis | undefined = row.direct
      ? 'involvement'
      : row.glass
        ? 'break-glass'
        : frontDoor
          ? 'front-door'
          : row.family
            ? 'family'
            : governance
              ? 'governance'
              : undefined;
    if (basis) result.set(row.id, basis);
  }
  return result;
}

/**
 * Which of `personIds` the actor holds an explicit grant for, of the given scope (a restricted
 * person's contact details, or a person's restricted entries): by a grant to the user or their
 * organisation that has not ended. Everyone else sees that the details are withheld.
 */
export async function grantedPersons(trx: Transaction<DB>, ctx: ActorContext, personIds: readonly string[], scope: 'restricted-details' | 'restricted-events'): Promise<Set<string>> {
  if (personIds.length === 0 || ctx.actor.type !== 'user') return new Set();
  const rows = await trx
    .selectFrom('access_grants')
    .select('person_id')
    .where('partnership_id', '=', ctx.partnershipId)
    .where('person_id', 'in', [...personIds])
    .where('scope', '=', scope)
    .where('starts_at', '<=', new Date())
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', new Date())]))
    .where((eb) =>
      eb.or([
        eb('grantee_user_id', '=', ctx.actor.id),
        ...(ctx.actor.organisationId ? [eb('grantee_organisation_id', '=', ctx.actor.organisationId)] : []),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

/** Which of `personIds` (restricted people) the actor may see the contact details of. */
export function restrictedDetailsGranted(trx: Transaction<DB>, ctx: ActorContext, personIds: readonly string[]): Promise<Set<string>> {
  return grantedPersons(trx, ctx, personIds, 'restricted-details');
}
