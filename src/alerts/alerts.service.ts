// Alerts as practitioners see them: "My alerts" and "Team alerts", an alert's page (the rule in
// plain English, why it fired, every piece of evidence linked into the chronology — an entry the
// viewer may not see shows only that it is restricted, its agency, date and whom to ask — the
// child's and family's other open alerts, and what is expected now), and the responses: each with a
// written reason, all audited, each kept in the alert's history. Through the door.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { grantedPersons, personAccess } from '../access/access-policy.js';
import type { AccessBasis } from '../access/access-rules.js';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import { daysBetween, todayInLondon, type Day } from '../calendar/days.js';
import { agencyLabel, dateLabel, typeLabel } from '../chronology/event-labels.js';
import type { AlertsTable, DB } from '../db/schema.js';
import { findPersons } from '../people/people.repository.js';
import { ALL_RULES } from '../patterns/rules/index.js';
import { resolveRuleSettings } from '../patterns/rule-settings.js';
import type { PatternRule } from '../patterns/rule.js';
import { AccessDeniedError, NotFoundError, UserFacingError } from '../shared/errors.js';
import { isUuid, newId } from '../shared/ids.js';
import * as repo from './alerts.repository.js';

/** One alert in a list. */
export interface AlertSummary {
  id: string;
  rule: string;
  title: string;
  severity: 'medium' | 'high';
  status: 'open' | 'closed';
  raised: string;
  ageDays: number;
  person: { id: string; name: string };
  unborn: { id: string; name: string } | null;
  unread: boolean;
  escalated: boolean;
}

/** An alert as a list shows it; `unbornShown`: the viewer may see the unborn baby it names. */
function summaryOf(
  r: Selectable<AlertsTable>,
  names: ReadonlyMap<string, Parameters<typeof nameOf>[0]>,
  today: Day,
  seen: { unread: boolean; unbornShown: boolean },
): AlertSummary {
  return {
    id: r.id,
    rule: r.rule,
    title: ruleTitle(r.rule),
    severity: r.severity,
    status: r.status,
    raised: r.raised_on,
    ageDays: daysBetween(r.raised_on, today),
    person: { id: r.person_id, name: nameOf(names.get(r.person_id)) },
    unborn: seen.unbornShown && r.unborn_person_id ? { id: r.unborn_person_id, name: nameOf(names.get(r.unborn_person_id)) } : null,
    unread: seen.unread,
    escalated: r.assigned_user_id !== null,
  };
}

/** What a list of alerts may be narrowed and ordered by. */
export interface AlertListQuery {
  scope: 'mine' | 'team';
  rule?: string;
  severity?: 'medium' | 'high';
  /** Raised at least this many days ago. */
  olderThanDays?: number;
  status?: 'open' | 'closed' | 'all';
  sort?: 'newest' | 'oldest' | 'severity';
}

const RULES = new Map<string, PatternRule<unknown>>(ALL_RULES.map((r) => [r.id, r]));

/** The rule's title, for lists and pages. */
export function ruleTitle(rule: string): string {
  return RULES.get(rule)?.title ?? rule;
}

function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function nameOf(row: { given_name: string | null; family_name: string | null; kind: string } | undefined): string {
  if (!row) return 'Someone you do not have access to';
  const name = [row.given_name, row.family_name].filter(Boolean).join(' ');
  if (row.kind === 'unborn' && !row.given_name) return `Unborn baby ${row.family_name ?? ''}`.trim();
  return name || 'Name not recorded';
}

function mayWork(ctx: ActorContext): boolean {
  return ctx.actor.type === 'user' && (hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager') || hasRole(ctx, 'front-door'));
}

/** Alerts whose person the viewer may open (not only their summary): set-wise, one query. */
async function readable(trx: Transaction<DB>, ctx: ActorContext, rows: { person_id: string; unborn_person_id: string | null }[]): Promise<Map<string, AccessBasis>> {
  const access = await personAccess(trx, ctx, rows.flatMap((r) => [r.person_id, ...(r.unborn_person_id ? [r.unborn_person_id] : [])]));
  for (const [id, basis] of access) if (basis === 'governance') access.delete(id);
  return access;
}

/** "My alerts" (routed to me or escalated to me) or "Team alerts" (routed to my organisation), filtered and sorted. */
export async function listAlerts(db: Kysely<DB>, ctx: ActorContext, query: AlertListQuery): Promise<AlertSummary[]> {
  return throughDoor(db, ctx, { action: 'alert.list', objectType: 'alert', details: { scope: query.scope } }, async ({ trx, deny, note }) => {
    if (!mayWork(ctx) || !ctx.actor.organisationId) deny('alerts are for practitioners, managers and the front door');
    const inbox = await repo.inboxOf(trx, ctx.actor.id, false);
    const unread = new Set(inbox.filter((i) => i.unread).map((i) => i.alert_id));
    const ids = query.scope === 'mine' ? inbox.map((i) => i.alert_id) : await repo.teamAlertIds(trx, ctx.partnershipId, ctx.actor.organisationId!, false);
    let rows = await repo.alertsById(trx, ctx.partnershipId, ids);
    if (query.scope === 'mine') rows = [...rows, ...(await repo.assignedTo(trx, ctx.partnershipId, ctx.actor.id))];
    const status = query.status ?? 'open';
    rows = rows.filter((r, i, all) => all.findIndex((x) => x.id === r.id) === i && (status === 'all' || r.status === status) && (!query.rule || r.rule === query.rule) && (!query.severity || r.severity === query.severity));
    const access = await readable(trx, ctx, rows);
    rows = rows.filter((r) => access.has(r.person_id));
    const today = todayInLondon();
    if (query.olderThanDays !== undefined) rows = rows.filter((r) => daysBetween(r.raised_on, today) >= query.olderThanDays!);
    const names = new Map((await findPersons(trx, ctx.partnershipId, [...new Set(rows.flatMap((r) => [r.person_id, ...(r.unborn_person_id ? [r.unborn_person_id] : [])]))])).map((p) => [p.id, p]));
    const list = rows.map((r) => summaryOf(r, names, today, { unread: unread.has(r.id), unbornShown: r.unborn_person_id !== null && access.has(r.unborn_person_id) }));
    const sort = query.sort ?? 'severity';
    list.sort((a, b) =>
      sort === 'oldest' ? a.raised.localeCompare(b.raised) : sort === 'newest' ? b.raised.localeCompare(a.raised) : Number(b.severity === 'high') - Number(a.severity === 'high') || b.raised.localeCompare(a.raised),
    );
    note({ alertIds: list.map((a) => a.id), personIds: [...new Set(list.map((a) => a.person.id))] });
    return list;
  });
}

/** One piece of an alert's evidence, as far as the viewer may see it. */
export interface EvidenceItem {
  key: string;
  eventId: string | null;
  visible: boolean;
  date: string;
  agency: string;
  source: string;
  type: string;
  summary: string | null;
  /** Where the entry is in the chronology (visible entries only). */
  href: string | null;
}

/** An alert's page. */
export interface AlertView {
  id: string;
  rule: { id: string; title: string; subject: string; purpose: string; research: string; expected: string; managerOnly: boolean };
  severity: 'medium' | 'high';
  raisedSeverity: 'medium' | 'high';
  status: 'open' | 'closed';
  raised: string;
  explanation: string;
  thresholds: Record<string, unknown>;
  person: { id: string; name: string };
  unborn: { id: string; name: string } | null;
  evidence: EvidenceItem[];
  otherOpen: AlertSummary[];
  actions: { kind: string; actor: string; reason: string | null; at: Date; details: Record<string, unknown> }[];
  recipients: { name: string; reason: string }[];
  closed: { on: string | null; by: string | null; note: string | null } | null;
  assignedTo: string | null;
  canRespond: boolean;
  canSignOff: boolean;
  managers: { id: string; name: string }[];
}

/** Reads an alert for its page; refusal and absence both end in NotFoundError (the refusal audited). */
export async function getAlert(db: Kysely<DB>, ctx: ActorContext, alertId: string): Promise<AlertView> {
  try {
    return await throughDoor(db, ctx, { action: 'alert.read', objectType: 'alert', objectId: alertId }, async ({ trx, deny, note }) => {
      if (!mayWork(ctx) || !isUuid(alertId)) deny('alerts are for practitioners, managers and the front door');
      const [row] = await repo.alertsById(trx, ctx.partnershipId, [alertId]);
      if (!row) return deny('no such alert');
      const access = await readable(trx, ctx, [row]);
      if (!access.has(row.person_id)) return deny('no legitimate relationship');
      const rule = RULES.get(row.rule);
      const child = row.unborn_person_id ?? row.person_id;
      const people = new Map((await findPersons(trx, ctx.partnershipId, [row.person_id, ...(row.unborn_person_id ? [row.unborn_person_id] : [])])).map((p) => [p.id, p]));

      // Evidence, entry by entry, as this viewer may see it.
      const keys = json<string[]>(row.evidence, []);
      const events = new Map((await repo.eventsByKey(trx, ctx.partnershipId, keys)).map((e) => [e.event_key, e]));
      const granted = await grantedPersons(trx, ctx, [row.person_id, child], 'restricted-events');
      const evidence: EvidenceItem[] = keys.map((key) => {
        const e = events.get(key);
        if (!e) return { key, eventId: null, visible: false, date: '', agency: '', source: 'the agency that recorded it', type: 'Entry no longer held', summary: null, href: null };
        const visible = !e.restricted || e.organisation_id === ctx.actor.organisationId || granted.size > 0;
        return {
          key,
          eventId: e.id,
          visible,
          date: dateLabel(e.date),
          agency: agencyLabel(e.agency ?? 'other'),
          source: e.source_name ?? e.source_key,
          type: visible ? typeLabel(e.type) : 'Restricted entry',
          summary: visible ? e.summary : null,
          href: visible ? `/people/${child}/chronology?scope=family&entry=${e.id}#entry-${e.id}` : null,
        };
      });

      // The child's and the family's other open alerts.
      const family = await repo.familyOf(trx, ctx.partnershipId, [row.person_id, child], 200);
      const others = (await repo.alertsFor(trx, ctx.partnershipId, family, [])).filter((a) => a.id !== row.id && a.status === 'open');
      const otherAccess = await readable(trx, ctx, others);
      const visibleOthers = others.filter((a) => otherAccess.has(a.person_id));
      const otherNames = new Map((await findPersons(trx, ctx.partnershipId, visibleOthers.map((a) => a.person_id))).map((p) => [p.id, p]));
      const today = todayInLondon();
      const otherOpen: AlertSummary[] = visibleOthers.map((a) => ({
        id: a.id,
        rule: a.rule,
        title: ruleTitle(a.rule),
        severity: a.severity,
        status: a.status,
        raised: a.raised_on,
        ageDays: daysBetween(a.raised_on, today),
        person: { id: a.person_id, name: nameOf(otherNames.get(a.person_id)) },
        unborn: null,
        unread: false,
        escalated: a.assigned_user_id !== null,
      }));

      const actions = (await repo.actionsOf(trx, [row.id])).map((a) => ({ kind: a.kind, actor: a.actor, reason: a.reason, at: a.at, details: json<Record<string, unknown>>(a.details, {}) }));
      const recipients = (await repo.recipientsOf(trx, row.id)).map((r) => ({ name: r.user_name ?? r.organisation_name ?? 'A team', reason: r.reason }));
      const assigned = row.assigned_user_id ? await repo.userName(trx, row.assigned_user_id) : null;
      const managers = ctx.actor.organisationId ? (await repo.managersOf(trx, ctx.actor.organisationId)).filter((m) => m.id !== ctx.actor.id).map((m) => ({ id: m.id, name: m.display_name })) : [];
      await repo.markRead(trx, ctx.actor.id, row.id);
      note({ personIds: [row.person_id, ...(row.unborn_person_id ? [row.unborn_person_id] : [])], rule: row.rule });
      return {
        id: row.id,
        rule: { id: row.rule, title: ruleTitle(row.rule), subject: rule?.subject ?? 'child', purpose: rule?.purpose ?? '', research: rule?.research ?? '', expected: rule?.expected ?? '', managerOnly: rule?.managerOnly === true },
        severity: row.severity,
        raisedSeverity: row.raised_severity,
        status: row.status,
        raised: row.raised_on,
        explanation: row.explanation,
        thresholds: json<Record<string, unknown>>(row.settings, {}),
        person: { id: row.person_id, name: nameOf(people.get(row.person_id)) },
        unborn: row.unborn_person_id ? { id: row.unborn_person_id, name: nameOf(people.get(row.unborn_person_id)) } : null,
        evidence,
        otherOpen,
        actions,
        recipients,
        closed: row.status === 'closed' ? { on: row.closed_on, by: row.closed_by, note: row.closing_note } : null,
        assignedTo: assigned,
        canRespond: row.status === 'open',
        canSignOff: row.status === 'open' && hasRole(ctx, 'manager'),
        managers,
      };
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Alert not found');
    throw error;
  }
}

/** A practitioner's (or manager's) response to an alert. */
export interface AlertResponse {
  kind: 'acknowledged' | 'action-taken' | 'escalated' | 'signed-off';
  reason: string;
  /** For an escalation: the manager it goes to (default: a manager of the responder's organisation). */
  managerId?: string;
}

/**
 * Responds to an alert, with a written reason, audited. Acknowledging (no action needed) or
 * recording the action taken closes it; escalating reassigns it to a manager and leaves it open;
 * `closure-risk` closes only on a manager's response (a manager's sign-off, acknowledgement or
 * action). Every response is kept in the alert's history (and shown in the chronology).
 */
export async function respondToAlert(db: Kysely<DB>, ctx: ActorContext, alertId: string, response: AlertResponse): Promise<{ closed: boolean }> {
  try {
    return await throughDoor(db, ctx, { action: `alert.${response.kind}`, objectType: 'alert', objectId: alertId }, async ({ trx, deny, note }) => {
      if (!mayWork(ctx) || !isUuid(alertId)) deny('alerts are for practitioners, managers and the front door');
      const reason = response.reason.trim();
      if (reason.length === 0) throw new UserFacingError('Write why: every response to an alert needs a reason.');
      const [row] = await repo.alertsById(trx, ctx.partnershipId, [alertId]);
      if (!row) return deny('no such alert');
      if (!(await readable(trx, ctx, [row])).has(row.person_id)) return deny('no legitimate relationship');
      if (row.status !== 'open') throw new UserFacingError('This alert is already closed.');
      const manager = hasRole(ctx, 'manager');
      if (response.kind === 'signed-off' && !manager) deny('only a manager signs off an alert');
      const now = new Date();
      const today = todayInLondon();
      const managerOnly = RULES.get(row.rule)?.managerOnly === true;
      let closes = response.kind !== 'escalated' && (!managerOnly || manager);
      let details: Record<string, unknown> = {};
      if (response.kind === 'escalated') {
        const managers = ctx.actor.organisationId ? (await repo.managersOf(trx, ctx.actor.organisationId)).filter((m) => m.id !== ctx.actor.id) : [];
        const to = response.managerId ? managers.find((m) => m.id === response.managerId) : managers[0];
        if (!to) throw new UserFacingError('There is no manager in your organisation to escalate to: ask your service lead.');
        await repo.updateAlert(trx, row.id, { assigned_user_id: to.id, updated_at: now });
        await repo.insertRecipients(trx, [{ partnership_id: ctx.partnershipId, alert_id: row.id, user_id: to.id, organisation_id: null, reason: `escalated by ${ctx.actor.label}`, added_at: now }]);
        await repo.addToInbox(trx, [{ partnership_id: ctx.partnershipId, user_id: to.id, alert_id: row.id, severity: row.severity, open: true, unread: true, created_at: now, emailed_at: null }]);
        details = { to: to.id, toName: to.display_name };
        closes = false;
      }
      if (closes) {
        await repo.updateAlert(trx, row.id, { status: 'closed', closed_on: today, closed_by: 'response', closing_note: reason, updated_at: now });
        await repo.updateInbox(trx, row.id, { open: false });
      }
      await repo.insertActions(trx, [{ id: newId(), partnership_id: ctx.partnershipId, alert_id: row.id, kind: response.kind, actor: ctx.actor.label, user_id: ctx.actor.id, reason, details: JSON.stringify({ ...details, closed: closes }), at: now }]);
      note({ personIds: [row.person_id], rule: row.rule, closed: closes });
      return { closed: closes };
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Alert not found');
    throw error;
  }
}

/** Alerts and their responses about people, for their chronology (the viewer must be able to read them). */
export async function alertsForChronology(db: Kysely<DB>, ctx: ActorContext, personIds: readonly string[]): Promise<(AlertSummary & { responses: { kind: string; actor: string; reason: string | null; at: Date }[] })[]> {
  return throughDoor(db, ctx, { action: 'alert.list', objectType: 'alert', details: { chronology: true } }, async ({ trx, note }) => {
    if (!mayWork(ctx)) return [];
    const rows = await repo.alertsFor(trx, ctx.partnershipId, personIds, []);
    const access = await readable(trx, ctx, rows);
    const visible = rows.filter((r) => access.has(r.person_id));
    const actions = await repo.actionsOf(trx, visible.map((r) => r.id));
    const names = new Map((await findPersons(trx, ctx.partnershipId, visible.map((r) => r.person_id))).map((p) => [p.id, p]));
    const today = todayInLondon();
    note({ alertIds: visible.map((r) => r.id) });
    return visible
      .map((r) => ({
        ...summaryOf(r, names, today, { unread: false, unbornShown: false }),
        responses: actions.filter((a) => a.alert_id === r.id && ['acknowledged', 'action-taken', 'escalated', 'signed-off', 'closed-by-event'].includes(a.kind)).map((a) => ({ kind: a.kind, actor: a.actor, reason: a.reason, at: a.at })),
      }))
      .sort((a, b) => b.raised.localeCompare(a.raised));
  });
}

/** Each rule with its thresholds in force in the partnership, and how often it fired and was acted on. */
export async function rulesOverview(db: Kysely<DB>, ctx: ActorContext): Promise<{ rule: PatternRule<unknown>; settings: Record<string, unknown>; raised: number; open: number; responded: number }[]> {
  return throughDoor(db, ctx, { action: 'rules.read', objectType: 'partnership', objectId: ctx.partnershipId }, async ({ trx }) => {
    const row = await trx.selectFrom('partnerships').select('settings').where('id', '=', ctx.partnershipId).executeTakeFirst();
    const settings = resolveRuleSettings((row?.settings as { rules?: unknown } | null)?.rules, ALL_RULES);
    const counts = new Map((await repo.ruleCounts(trx, ctx.partnershipId)).map((c) => [c.rule, c]));
    return ALL_RULES.map((rule) => ({ rule, settings: settings[rule.id] as Record<string, unknown>, raised: counts.get(rule.id)?.raised ?? 0, open: counts.get(rule.id)?.open ?? 0, responded: counts.get(rule.id)?.responded ?? 0 }));
  });
}
