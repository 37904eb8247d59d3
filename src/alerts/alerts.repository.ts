// Queries for alerts: the family histories the rules read (records, links and events of a set of
// people, straight from the current-state tables), the alerts held for them, and the alerts'
// routing, responses and inboxes. Only alert services call these, inside the door.
import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { AlertActionsTable, AlertInboxTable, AlertRecipientsTable, AlertRecordsTable, AlertsTable, DB } from '../db/schema.js';

/**
 * Everyone connected to `personIds` by family links (the whole family the rules look at), with a
 * ceiling so that a data error linking thousands of people cannot run away.
 */
export async function familyOf(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[], limit = 2000): Promise<string[]> {
  if (personIds.length === 0) return [];
  const result = await sql<{ id: string }>`
    with recursive fam(id) as (
      select unnest(${[...new Set(personIds)]}::uuid[])
      union
      select case when l.from_person_id = f.id then l.to_person_id else l.from_person_id end
        from fam f
        join person_links l on l.partnership_id = ${partnershipId} and (l.from_person_id = f.id or l.to_person_id = f.id)
    )
    select id from fam limit ${limit}`.execute(trx);
  return result.rows.map((r) => r.id);
}

/** Records of these people (what the rules need of each). */
export async function historyRecords(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return trx
    .selectFrom('records')
    .select(['record_key', 'source_key', 'person_id', 'kind', 'date_of_birth', 'expected_date', 'sex', 'recorded', 'first_received_at'])
    .where('partnership_id', '=', partnershipId)
    .where('person_id', 'in', [...personIds])
    .execute();
}

/** Relationships with both ends (or, for "father not known", the child) among these records. */
export async function historyRelationships(trx: Transaction<DB>, partnershipId: string, recordKeys: readonly string[]) {
  if (recordKeys.length === 0) return [];
  const keys = [...recordKeys];
  const result = await sql<{
    relationship_key: string;
    source_key: string;
    from_record_key: string | null;
    to_record_key: string;
    type: string;
    start_date: string | null;
    end_date: string | null;
    lives_elsewhere: boolean;
    father_unknown: boolean;
    recorded: string | null;
  }>`
    select relationship_key, source_key, from_record_key, to_record_key, type, start_date, end_date, lives_elsewhere, father_unknown, recorded
      from relationships
     where partnership_id = ${partnershipId} and to_record_key = any(${keys}::text[]) and (from_record_key is null or from_record_key = any(${keys}::text[]))`.execute(trx);
  return result.rows;
}

/** An event as the rules read it, with the records (or people, for entries recorded here) it names. */
export interface HistoryEventRow {
  id: string;
  event_key: string;
  source_key: string;
  type: string;
  date_sort: string;
  recorded_sort: string;
  first_received_at: Date;
  significant: boolean;
  concerns: unknown;
  about: unknown;
  details: unknown;
  subjects: string[] | null;
  participants: string[] | null;
  subject_persons: string[] | null;
  participant_persons: string[] | null;
}

/**
 * Every event that stands (not entered in error) about these records or people, with the ones of
 * them it names. Records outside the set are left out of `subjects` and `participants`: the rules
 * read a family as a whole (the set is the family), and a record the history does not hold names
 * nobody in it. One pass over the family's rows, grouped, rather than four lookups per event: a
 * partnership's evaluation reads every event it holds.
 */
export async function historyEvents(trx: Transaction<DB>, partnershipId: string, recordKeys: readonly string[], personIds: readonly string[]): Promise<HistoryEventRow[]> {
  if (recordKeys.length === 0 && personIds.length === 0) return [];
  // One grouped list of the family's rows joined to the events by their key: the shape the planner
  // gets right even without statistics (a fresh embedded store has none).
  const result = await sql<HistoryEventRow>`
    select e.id, e.event_key, e.source_key, e.type, e.date_sort, e.recorded_sort, e.first_received_at, e.significant, e.concerns, e.about, e.details,
           x.subjects, x.participants, x.subject_persons, x.participant_persons
      from (
        select n.event_id,
               array_agg(n.record_key order by n.record_key) filter (where n.record_key is not null and n.role = 'subject') as subjects,
               array_agg(n.record_key order by n.record_key) filter (where n.record_key is not null and n.role = 'participant') as participants,
               array_agg(n.person_id order by n.person_id) filter (where n.person_id is not null and n.role = 'subject') as subject_persons,
               array_agg(n.person_id order by n.person_id) filter (where n.person_id is not null and n.role = 'participant') as participant_persons
          from (
            select er.event_id, er.record_key, null::uuid as person_id, er.role
              from event_records er
             where er.partnership_id = ${partnershipId} and er.record_key = any(${[...recordKeys]}::text[])
            union all
            select ep.event_id, null::text, ep.person_id, ep.role
              from event_persons ep
             where ep.partnership_id = ${partnershipId} and ep.person_id = any(${[...personIds]}::uuid[])
          ) n
         group by n.event_id
      ) x
      join events e on e.id = x.event_id
     where e.status = 'current'`.execute(trx);
  return result.rows;
}

/** Sources and their agencies. */
export async function sourceAgencies(trx: Transaction<DB>, partnershipId: string) {
  return trx.selectFrom('source_systems').select(['source_key', 'agency', 'authority', 'name', 'organisation_id']).where('partnership_id', '=', partnershipId).execute();
}

/** What each person id is now (a merged person's id leads to the survivor). */
export async function survivors(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const rows = await trx.selectFrom('persons').select(['id', 'merged_into']).where('partnership_id', '=', partnershipId).where('id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) out.set(r.id, r.merged_into ?? r.id);
  return out;
}

/** Every alert about any of these people (raised on them, or naming them as an unborn baby), or carrying one of these records. */
export async function alertsFor(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[], recordKeys: readonly string[]) {
  if (personIds.length === 0) return [];
  // Three lookups, each on its own index (person, unborn baby, the records raised on), joined by
  // union: an OR of the three can lead the planner to read every alert of the partnership.
  const result = await sql<Selectable<AlertsTable>>`
    select a.* from alerts a
     where a.id in (
       select id from alerts where partnership_id = ${partnershipId} and person_id = any(${[...personIds]}::uuid[])
       union
       select id from alerts where partnership_id = ${partnershipId} and unborn_person_id = any(${[...personIds]}::uuid[])
       union
       select alert_id from alert_records where partnership_id = ${partnershipId} and record_key = any(${[...recordKeys]}::text[])
     )`.execute(trx);
  return result.rows;
}

export async function insertAlerts(trx: Transaction<DB>, rows: Insertable<AlertsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('alerts').values(rows.slice(i, i + 500)).execute();
}

/** Records alerts were raised on or carried to (already held ones are left as they are). */
export async function addAlertRecords(trx: Transaction<DB>, rows: Insertable<AlertRecordsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await trx.insertInto('alert_records').values(rows.slice(i, i + 2000)).onConflict((oc) => oc.doNothing()).execute();
}

/** The changing part of an alert: its person, status, severity and how it closed. */
export async function updateAlert(
  trx: Transaction<DB>,
  id: string,
  changes: Updateable<AlertsTable> & { updated_at: Date },
): Promise<void> {
  await trx.updateTable('alerts').set(changes).where('id', '=', id).execute();
}

export async function insertActions(trx: Transaction<DB>, rows: Insertable<AlertActionsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('alert_actions').values(rows.slice(i, i + 500)).execute();
}

export async function insertRecipients(trx: Transaction<DB>, rows: Insertable<AlertRecipientsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('alert_recipients').values(rows.slice(i, i + 500)).execute();
}

/** Adds alerts to users' inboxes (once each). */
export async function addToInbox(trx: Transaction<DB>, rows: Insertable<AlertInboxTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('alert_inbox').values(rows).onConflict((oc) => oc.columns(['user_id', 'alert_id']).doUpdateSet({ open: true, severity: sql`excluded.severity` })).execute();
}

/** Keeps inboxes in step with an alert's state. */
export async function updateInbox(trx: Transaction<DB>, alertId: string, changes: { open?: boolean; severity?: string }): Promise<void> {
  await trx.updateTable('alert_inbox').set(changes).where('alert_id', '=', alertId).execute();
}

/** Active involvements with these people: who works with them (for routing an alert). */
export async function involvementsOf(trx: Transaction<DB>, partnershipId: string, personIds: readonly string[], graceDays: number) {
  if (personIds.length === 0) return [];
  const result = await sql<{ person_id: string; organisation_id: string; worker_user_id: string | null; role: string; agency: string }>`
    select i.person_id, i.organisation_id, i.worker_user_id, i.role, o.agency
      from involvements i
      join organisations o on o.id = i.organisation_id
     where i.partnership_id = ${partnershipId} and i.person_id = any(${[...personIds]}::uuid[])
       and (coalesce(i.end_date, case when i.role in ('service-provided', 'front-door') then coalesce(i.last_activity_date, i.start_date) end) is null
            or coalesce(i.end_date, case when i.role in ('service-provided', 'front-door') then coalesce(i.last_activity_date, i.start_date) end)::date + ${graceDays}::int >= current_date)`.execute(trx);
  return result.rows;
}

/** Active users of the partnership with their organisation and roles (for routing and notifying). */
export async function activeUsers(trx: Transaction<DB>, partnershipId: string) {
  return trx.selectFrom('users').select(['id', 'organisation_id', 'roles', 'email', 'display_name']).where('partnership_id', '=', partnershipId).where('active', '=', true).execute();
}

/** When each of these people must next be looked at with nothing new recorded. */
export async function setSchedule(trx: Transaction<DB>, partnershipId: string, rows: { person_id: string; next_on: string | null }[], now: Date): Promise<void> {
  const clear = rows.filter((r) => r.next_on === null).map((r) => r.person_id);
  if (clear.length > 0) await trx.deleteFrom('evaluation_schedule').where('partnership_id', '=', partnershipId).where('person_id', 'in', clear).execute();
  const set = rows.filter((r): r is { person_id: string; next_on: string } => r.next_on !== null);
  for (let i = 0; i < set.length; i += 500) {
    await trx
      .insertInto('evaluation_schedule')
      .values(set.slice(i, i + 500).map((r) => ({ partnership_id: partnershipId, person_id: r.person_id, next_on: r.next_on, updated_at: now })))
      .onConflict((oc) => oc.columns(['partnership_id', 'person_id']).doUpdateSet({ next_on: sql`excluded.next_on`, updated_at: now }))
      .execute();
  }
}

/** People due to be looked at again on or before `day`. */
export async function dueForEvaluation(trx: Transaction<DB>, partnershipId: string, day: string, limit: number): Promise<string[]> {
  const rows = await trx.selectFrom('evaluation_schedule').select('person_id').where('partnership_id', '=', partnershipId).where('next_on', '<=', day).orderBy('next_on').limit(limit).execute();
  return rows.map((r) => r.person_id);
}

/** Every person of the partnership not merged into another, a page at a time (for re-evaluating everyone). */
export async function personPage(trx: Transaction<DB>, partnershipId: string, after: string | null, limit: number): Promise<string[]> {
  let q = trx.selectFrom('persons').select('id').where('partnership_id', '=', partnershipId).where('merged_into', 'is', null);
  if (after) q = q.where('id', '>', after);
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Alerts by id. */
export async function alertsById(trx: Transaction<DB>, partnershipId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return trx.selectFrom('alerts').selectAll().where('partnership_id', '=', partnershipId).where('id', 'in', [...new Set(ids)]).execute();
}

/** The alerts in a user's own inbox (routed to them, or to their organisation's team), with whether each is new. */
export async function inboxOf(trx: Transaction<DB>, userId: string, openOnly: boolean) {
  let q = trx.selectFrom('alert_inbox').select(['alert_id', 'unread', 'open']).where('user_id', '=', userId);
  if (openOnly) q = q.where('open', '=', true);
  return q.execute();
}

/** Alerts routed to any user or team of an organisation (its team's alerts). */
export async function teamAlertIds(trx: Transaction<DB>, partnershipId: string, organisationId: string, openOnly: boolean): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select distinct a.id from alerts a
      join alert_recipients r on r.alert_id = a.id
      left join users u on u.id = r.user_id
     where a.partnership_id = ${partnershipId} and (r.organisation_id = ${organisationId} or u.organisation_id = ${organisationId}) ${openOnly ? sql`and a.status = 'open'` : sql``}`.execute(trx);
  return result.rows.map((r) => r.id);
}

/** Everything done to these alerts, oldest first. */
export async function actionsOf(trx: Transaction<DB>, alertIds: readonly string[]) {
  if (alertIds.length === 0) return [];
  return trx.selectFrom('alert_actions').selectAll().where('alert_id', 'in', [...alertIds]).orderBy('at').execute();
}

/** Whom an alert went to, with the names of named workers and teams. */
export async function recipientsOf(trx: Transaction<DB>, alertId: string) {
  return trx
    .selectFrom('alert_recipients as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.user_id', 'r.organisation_id', 'r.reason', 'r.added_at', 'u.display_name as user_name', 'o.name as organisation_name'])
    .where('r.alert_id', '=', alertId)
    .orderBy('r.added_at')
    .execute();
}

/** Marks an alert read in a user's inbox. */
export async function markRead(trx: Transaction<DB>, userId: string, alertId: string): Promise<void> {
  await trx.updateTable('alert_inbox').set({ unread: false }).where('user_id', '=', userId).where('alert_id', '=', alertId).execute();
}

/** Events by their exchange ids (an alert's evidence), with their sources' organisations. */
export async function eventsByKey(trx: Transaction<DB>, partnershipId: string, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return trx
    .selectFrom('events as e')
    .leftJoin('source_systems as s', (j) => j.onRef('s.partnership_id', '=', 'e.partnership_id').onRef('s.source_key', '=', 'e.source_key'))
    .select(['e.id', 'e.event_key', 'e.type', 'e.date', 'e.summary', 'e.restricted', 'e.status', 'e.source_key', 's.name as source_name', 's.agency', 's.organisation_id'])
    .where('e.partnership_id', '=', partnershipId)
    .where('e.event_key', 'in', [...new Set(keys)])
    .execute();
}

/** Managers of an organisation (whom an escalation goes to). */
export async function managersOf(trx: Transaction<DB>, organisationId: string) {
  const rows = await trx.selectFrom('users').select(['id', 'display_name', 'roles']).where('organisation_id', '=', organisationId).where('active', '=', true).execute();
  return rows.filter((r) => r.roles.includes('manager'));
}

/** Per rule: how many alerts were raised, how many are open, and how many got a practitioner's response. */
export async function ruleCounts(trx: Transaction<DB>, partnershipId: string) {
  const result = await sql<{ rule: string; raised: string; open: string; responded: string }>`
    select a.rule, count(*) as raised, count(*) filter (where a.status = 'open') as open,
           count(*) filter (where exists (select 1 from alert_actions x where x.alert_id = a.id and x.kind in ('acknowledged', 'action-taken', 'escalated', 'signed-off'))) as responded
      from alerts a where a.partnership_id = ${partnershipId} group by a.rule`.execute(trx);
  return result.rows.map((r) => ({ rule: r.rule, raised: Number(r.raised), open: Number(r.open), responded: Number(r.responded) }));
}

/** Alerts reassigned to a user (escalated to them). */
export async function assignedTo(trx: Transaction<DB>, partnershipId: string, userId: string) {
  return trx.selectFrom('alerts').selectAll().where('partnership_id', '=', partnershipId).where('assigned_user_id', '=', userId).execute();
}

/** A user's name. */
export async function userName(trx: Transaction<DB>, userId: string): Promise<string | null> {
  const row = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
  return row?.display_name ?? null;
}

/** The people these records belong to now. */
export async function personsOfRecordKeys(trx: Transaction<DB>, partnershipId: string, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await sql<{ person_id: string }>`
    select distinct person_id from records where partnership_id = ${partnershipId} and record_key = any(${[...new Set(keys)]}::text[]) and person_id is not null`.execute(trx);
  return rows.rows.map((r) => r.person_id);
}
