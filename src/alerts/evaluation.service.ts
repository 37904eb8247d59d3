// Live evaluation of the pattern rules: for the families of the people whose records changed (after
// an import or a recording commits, as a background job), for the people whose deadline has come
// (each day), or for the whole partnership. The family's history is read from the store as known
// today (rules use the later of recorded and received: an old bundle imported today raises alerts
// today, never in the past), the rules run through the engine against the alerts already held,
// and what changed is written back with its history, routed to the people who can act, and put in
// their inboxes. Jobs act as a system actor; everything goes through the door.
import type { Insertable, Kysely, Transaction } from 'kysely';
import { rulesFor } from '../access/access-policy.js';
import type { ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import { ageInYears, todayInLondon, type Day } from '../calendar/days.js';
import type { AlertsTable, DB } from '../db/schema.js';
import { londonDay, parseExchangeDate, replaceDates } from '../ingest/exchange-dates.js';
import { CaseHistory, type HistoryEventInput, type HistoryInput, type HistoryLinkInput, type HistoryRecordInput } from '../patterns/case-history.js';
import { evaluateDay, type AlertRecord, type DayOutcome } from '../patterns/engine.js';
import { resolveRuleSettings } from '../patterns/rule-settings.js';
import type { PatternRule, RuleId } from '../patterns/rule.js';
import { ALL_RULES } from '../patterns/rules/index.js';
import { newId } from '../shared/ids.js';
import * as repo from './alerts.repository.js';

/** What an evaluation did. */
export interface EvaluationOutcome {
  people: number;
  events: number;
  raised: number;
  closed: number;
  severityChanged: number;
  carried: number;
  /** Inbox entries added (for notifications sent after the work commits). */
  notify: { userId: string; alertId: string; severity: string }[];
}

/** A person's record key in entries recorded in the application (see recording.service.ts). */
const PERSON_RECORD = 'throughline:person:';

function zero(): EvaluationOutcome {
  return { people: 0, events: 0, raised: 0, closed: 0, severityChanged: 0, carried: 0, notify: [] };
}

function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function sortKey(value: string | null): Day | null {
  if (!value) return null;
  const reading = parseExchangeDate(value);
  return reading.ok ? reading.date.sortKey : null;
}

function mayEvaluate(ctx: ActorContext): boolean {
  return ctx.actor.type !== 'user';
}

/** The case history of a set of people (whole families), as the store holds it now. */
async function loadHistory(trx: Transaction<DB>, ctx: ActorContext, people: readonly string[]): Promise<{ input: HistoryInput; personOf: Map<string, string>; recordKeys: string[] }> {
  const pid = ctx.partnershipId;
  const records = await repo.historyRecords(trx, pid, people);
  const recordKeys = records.map((r) => r.record_key);
  const [links, events, sources] = await Promise.all([repo.historyRelationships(trx, pid, recordKeys), repo.historyEvents(trx, pid, recordKeys, people), repo.sourceAgencies(trx, pid)]);
  const personOf = new Map<string, string>();
  for (const r of records) if (r.person_id) personOf.set(r.record_key, r.person_id);
  // Entries recorded here name people, not records: each such person is read through a record of its own.
  const named = new Set<string>();
  for (const e of events) for (const p of [...(e.subject_persons ?? []), ...(e.participant_persons ?? [])]) named.add(p);
  const survivors = await repo.survivors(trx, pid, [...named]);
  const historyRecords: HistoryRecordInput[] = records.map((r) => ({
    id: r.record_key,
    source: r.source_key,
    kind: r.kind,
    dateOfBirth: sortKey(r.date_of_birth),
    expectedDate: sortKey(r.expected_date),
    sex: r.sex,
    known: sortKey(r.recorded),
  }));
  for (const p of named) {
    historyRecords.push({ id: `${PERSON_RECORD}${p}`, source: 'throughline', kind: 'person', dateOfBirth: null, expectedDate: null, sex: 'unknown', known: null });
    personOf.set(`${PERSON_RECORD}${p}`, survivors.get(p) ?? p);
  }
  const historyLinks: HistoryLinkInput[] = links.map((l) => ({
    id: l.relationship_key,
    source: l.source_key,
    from: l.from_record_key,
    to: l.to_record_key,
    type: l.type,
    start: sortKey(l.start_date),
    end: sortKey(l.end_date),
    livesElsewhere: l.lives_elsewhere,
    fatherUnknown: l.father_unknown,
    known: sortKey(l.recorded),
  }));
  const historyEvents: HistoryEventInput[] = events.map((e) => {
    const received = londonDay(new Date(e.first_received_at));
    return {
      id: e.event_key,
      source: e.source_key,
      type: e.type,
      date: e.date_sort,
      // Live use: the later of recorded and received (spec, "Dates").
      known: received > e.recorded_sort ? received : e.recorded_sort,
      subjects: [...(e.subjects ?? []), ...(e.subject_persons ?? []).map((p) => `${PERSON_RECORD}${p}`)],
      participants: [...(e.participants ?? []), ...(e.participant_persons ?? []).map((p) => `${PERSON_RECORD}${p}`)],
      about: json<string[]>(e.about, []),
      concerns: json<string[]>(e.concerns, []),
      significant: e.significant,
      fields: replaceDates(json<Record<string, unknown>>(e.details, {}), 'sortKey') as Record<string, unknown>,
    };
  });
  return {
    input: { sources: sources.map((s) => ({ id: s.source_key, agency: s.agency, authority: s.authority })), records: historyRecords, links: historyLinks, events: historyEvents },
    personOf,
    recordKeys,
  };
}

function toRecord(row: Awaited<ReturnType<typeof repo.alertsFor>>[number]): AlertRecord {
  return {
    id: row.id,
    rule: row.rule as RuleId,
    ruleVersion: row.rule_version,
    subject: row.person_id,
    subjectRecords: json<string[]>(row.subject_records, []),
    unborn: row.unborn_person_id,
    unbornRecords: json<string[]>(row.unborn_records, []),
    episode: row.episode,
    raised: row.raised_on,
    raisedSeverity: row.raised_severity,
    severity: row.severity,
    severityChanges: [],
    evidence: json<string[]>(row.evidence, []),
    explanation: row.explanation,
    settings: row.settings,
    status: row.status,
    closed: row.status === 'closed' ? { date: row.closed_on ?? row.raised_on, by: row.closed_by ?? 'response', event: row.closing_event, note: row.closing_note ?? '' } : null,
    notes: [],
  };
}

/** The rules and the partnership's settings for them. */
async function rulesAndSettings(trx: Transaction<DB>, ctx: ActorContext) {
  const row = await trx.selectFrom('partnerships').select('settings').where('id', '=', ctx.partnershipId).executeTakeFirst();
  const rules: readonly PatternRule<unknown>[] = ALL_RULES;
  return { rules, settings: resolveRuleSettings((row?.settings as { rules?: unknown } | null)?.rules, rules) };
}

/** Evaluates the families of `people` on `day` and writes back what changed. */
async function evaluateFamilies(trx: Transaction<DB>, ctx: ActorContext, people: readonly string[], day: Day, engine: Awaited<ReturnType<typeof rulesAndSettings>>, outcome: EvaluationOutcome): Promise<string[]> {
  const family = await repo.familyOf(trx, ctx.partnershipId, people);
  const { input, personOf, recordKeys } = await loadHistory(trx, ctx, family);
  const held = (await repo.alertsFor(trx, ctx.partnershipId, family, recordKeys)).map(toRecord);
  const before = new Map(held.map((a) => [a.id, { subject: a.subject, status: a.status, severity: a.severity, unborn: a.unborn }]));
  const history = new CaseHistory(input, personOf, day);
  const result = evaluateDay(history, held, { rules: engine.rules, settings: engine.settings, newId });
  await persist(trx, ctx, history, held, before, result, day, outcome);
  outcome.people += family.length;
  outcome.events += input.events.length;
  // The next day anything may change with nothing new recorded.
  const next = result.wakeups[0] ?? null;
  await repo.setSchedule(trx, ctx.partnershipId, family.map((person_id) => ({ person_id, next_on: next })), new Date());
  return family;
}

async function persist(
  trx: Transaction<DB>,
  ctx: ActorContext,
  history: CaseHistory,
  alerts: readonly AlertRecord[],
  before: ReadonlyMap<string, { subject: string; status: string; severity: string; unborn: string | null }>,
  result: DayOutcome,
  day: Day,
  outcome: EvaluationOutcome,
): Promise<void> {
  const now = new Date();
  const actor = ctx.actor.label;
  const actions: Parameters<typeof repo.insertActions>[1] = [];
  const action = (alert: AlertRecord, kind: (typeof actions)[number]['kind'], reason: string | null, details: Record<string, unknown>) =>
    actions.push({ id: newId(), partnership_id: ctx.partnershipId, alert_id: alert.id, kind, actor, user_id: null, reason, details: JSON.stringify(details), at: now });
  const raised = new Set(result.raised.map((a) => a.id));
  const rows: Parameters<typeof repo.insertAlerts>[1] = result.raised
    .filter((a) => history.persons.has(a.subject))
    .map(
      (a): Insertable<AlertsTable> => ({
        id: a.id,
        partnership_id: ctx.partnershipId,
        rule: a.rule,
        rule_version: a.ruleVersion,
        person_id: a.subject,
        subject_records: JSON.stringify(a.subjectRecords),
        unborn_person_id: a.unborn,
        unborn_records: JSON.stringify(a.unbornRecords),
        episode: a.episode,
        raised_on: a.raised,
        raised_at: now,
        raised_severity: a.raisedSeverity,
        severity: a.severity,
        evidence: JSON.stringify(a.evidence),
        explanation: a.explanation,
        settings: JSON.stringify(a.settings ?? {}),
        status: a.status,
        closed_on: a.closed?.date ?? null,
        closed_by: a.closed?.by ?? null,
        closing_event: a.closed?.event ?? null,
        closing_note: a.closed?.note ?? null,
        assigned_user_id: null,
        updated_at: now,
      }),
    );
  await repo.insertAlerts(trx, rows);
  for (const a of result.raised) action(a, 'raised', null, { severity: a.raisedSeverity, evidence: a.evidence, day });
  outcome.raised += rows.length;

  for (const a of alerts) {
    if (raised.has(a.id)) {
      if (a.status === 'closed') action(a, 'closed-by-event', a.closed?.note ?? null, { event: a.closed?.event ?? null, day });
      continue;
    }
    const was = before.get(a.id);
    if (!was) continue;
    const changed = was.subject !== a.subject || was.unborn !== a.unborn || was.status !== a.status || was.severity !== a.severity;
    if (!changed) continue;
    await repo.updateAlert(trx, a.id, {
      person_id: a.subject,
      subject_records: JSON.stringify(a.subjectRecords),
      unborn_person_id: a.unborn,
      unborn_records: JSON.stringify(a.unbornRecords),
      status: a.status,
      severity: a.severity,
      closed_on: a.closed?.date ?? null,
      closed_by: a.closed?.by ?? null,
      closing_event: a.closed?.event ?? null,
      closing_note: a.closed?.note ?? null,
      updated_at: now,
    });
    if (was.subject !== a.subject || was.unborn !== a.unborn) {
      action(a, 'carried-over', a.notes.at(-1)?.text ?? null, { from: was.subject, to: a.subject });
      outcome.carried += 1;
    }
    if (was.severity !== a.severity) {
      action(a, 'severity', null, { from: was.severity, to: a.severity, day });
      outcome.severityChanged += 1;
    }
    if (was.status !== a.status) {
      action(a, a.closed?.by === 'merged' ? 'merged' : 'closed-by-event', a.closed?.note ?? null, { event: a.closed?.event ?? null, day });
      outcome.closed += 1;
    }
    await repo.updateInbox(trx, a.id, { open: a.status === 'open', severity: a.severity });
  }
  outcome.closed += result.raised.filter((a) => a.status === 'closed').length;
  await repo.insertActions(trx, actions);
  await route(trx, ctx, history, result.raised.filter((a) => a.status === 'open' && history.persons.has(a.subject)), now, outcome);
}

/** Rules whose alerts about a child under 5 also go to the health visitor. */
const HEALTH_VISITOR_RULES: ReadonlySet<string> = new Set(['young-child-ed', 'was-not-brought']);

/**
 * Whom each new alert goes to: the child's lead practitioner and team around the child; for a
 * child under 5, the health visitor too (`young-child-ed`, `was-not-brought`); where nobody is
 * allocated, the front door team. A named worker gets it in their own inbox; an organisation
 * allocated without a named worker, everyone in it who works with children.
 */
async function route(trx: Transaction<DB>, ctx: ActorContext, history: CaseHistory, alerts: readonly AlertRecord[], now: Date, outcome: EvaluationOutcome): Promise<void> {
  if (alerts.length === 0) return;
  const pid = ctx.partnershipId;
  const rules = await rulesFor(trx, ctx);
  const people = [...new Set(alerts.flatMap((a) => [a.subject, ...(a.unborn ? [a.unborn] : [])]))];
  const involvements = await repo.involvementsOf(trx, pid, people, rules.settings.relationshipGraceDays);
  const users = await repo.activeUsers(trx, pid);
  const workers = new Set(['practitioner', 'manager', 'front-door']);
  const recipients: Parameters<typeof repo.insertRecipients>[1] = [];
  const inbox = new Map<string, Parameters<typeof repo.addToInbox>[1][number]>();
  const deliver = (alert: AlertRecord, userId: string) => {
    if (!inbox.has(`${userId}|${alert.id}`)) inbox.set(`${userId}|${alert.id}`, { partnership_id: pid, user_id: userId, alert_id: alert.id, severity: alert.severity, open: true, unread: true, created_at: now, emailed_at: null });
  };
  for (const alert of alerts) {
    const child = alert.unborn ?? alert.subject;
    const about = new Set([child, alert.subject]);
    const mine = involvements.filter((i) => about.has(i.person_id));
    const chosen: { userId: string | null; organisationId: string | null; reason: string }[] = [];
    for (const i of mine.filter((i) => i.role === 'lead-practitioner' || i.role === 'team-around-child')) {
      chosen.push({ userId: i.worker_user_id, organisationId: i.worker_user_id ? null : i.organisation_id, reason: i.role === 'lead-practitioner' ? 'lead practitioner' : 'team around the child' });
    }
    const dob = history.persons.get(child)?.dateOfBirth ?? null;
    const underFive = dob === null ? history.persons.get(child)?.unbornRecords.length !== 0 : ageInYears(dob, history.day) < 5;
    if (HEALTH_VISITOR_RULES.has(alert.rule) && underFive) {
      for (const i of mine.filter((i) => i.agency === 'health-visiting')) chosen.push({ userId: i.worker_user_id, organisationId: i.worker_user_id ? null : i.organisation_id, reason: 'health visitor (a child under 5)' });
    }
    if (chosen.length === 0) {
      const frontDoorOrgs = [...new Set(users.filter((u) => u.roles.includes('front-door')).map((u) => u.organisation_id))];
      for (const o of frontDoorOrgs) chosen.push({ userId: null, organisationId: o, reason: 'front door (nobody is allocated)' });
    }
    const seen = new Set<string>();
    for (const c of chosen) {
      const key = `${c.userId ?? ''}|${c.organisationId ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      recipients.push({ partnership_id: pid, alert_id: alert.id, user_id: c.userId, organisation_id: c.organisationId, reason: c.reason, added_at: now });
      if (c.userId) deliver(alert, c.userId);
      else for (const u of users.filter((u) => u.organisation_id === c.organisationId && u.roles.some((r) => workers.has(r)))) deliver(alert, u.id);
    }
  }
  await repo.insertRecipients(trx, recipients);
  const rows = [...inbox.values()];
  await repo.addToInbox(trx, rows);
  outcome.notify.push(...rows.map((r) => ({ userId: r.user_id, alertId: r.alert_id, severity: r.severity })));
}

/**
 * Evaluates the rules for the families of the people changed (by person id, or by the records an
 * import touched) after an import or a recording, as known
 * on `day` (default today in London). Only jobs and the command line evaluate.
 */
export async function evaluatePeople(db: Kysely<DB>, ctx: ActorContext, changed: { personIds?: readonly string[]; recordKeys?: readonly string[] }, options: { day?: Day; batch?: number } = {}): Promise<EvaluationOutcome> {
  const outcome = zero();
  const personIds = changed.personIds ?? [];
  const recordKeys = changed.recordKeys ?? [];
  if (personIds.length === 0 && recordKeys.length === 0) return outcome;
  const day = options.day ?? todayInLondon();
  const people = await throughDoor(db, ctx, { action: 'alerts.find-changed', objectType: 'partnership', objectId: ctx.partnershipId, details: { people: personIds.length, records: recordKeys.length } }, async ({ trx, deny }) => {
    if (!mayEvaluate(ctx)) deny('only jobs and the command line evaluate the rules');
    const found = [...personIds, ...(await repo.personsOfRecordKeys(trx, ctx.partnershipId, recordKeys))];
    return [...new Set((await repo.survivors(trx, ctx.partnershipId, found)).values())];
  });
  // A large import touches many families: a batch of them per transaction.
  const done = new Set<string>();
  const size = options.batch ?? 200;
  for (let i = 0; i < people.length; i += size) {
    const todo = people.slice(i, i + size).filter((p) => !done.has(p));
    if (todo.length === 0) continue;
    await throughDoor(db, ctx, { action: 'alerts.evaluate', objectType: 'partnership', objectId: ctx.partnershipId, details: { people: todo.length, day } }, async ({ trx, note }) => {
      const engine = await rulesAndSettings(trx, ctx);
      const before = { raised: outcome.raised, closed: outcome.closed };
      for (const p of await evaluateFamilies(trx, ctx, todo, day, engine, outcome)) done.add(p);
      note({ raised: outcome.raised - before.raised, closed: outcome.closed - before.closed });
    });
  }
  return outcome;
}

/** Evaluates everyone whose deadline has come (each day), a batch of families at a time. */
export async function evaluateDue(db: Kysely<DB>, ctx: ActorContext, options: { day?: Day; batch?: number } = {}): Promise<EvaluationOutcome> {
  const day = options.day ?? todayInLondon();
  const outcome = zero();
  for (;;) {
    const done = await throughDoor(db, ctx, { action: 'alerts.evaluate-due', objectType: 'partnership', objectId: ctx.partnershipId, details: { day } }, async ({ trx, deny, note }) => {
      if (!mayEvaluate(ctx)) deny('only jobs and the command line evaluate the rules');
      const due = await repo.dueForEvaluation(trx, ctx.partnershipId, day, options.batch ?? 200);
      if (due.length === 0) return true;
      const engine = await rulesAndSettings(trx, ctx);
      const before = outcome.raised;
      await evaluateFamilies(trx, ctx, due, day, engine, outcome);
      note({ people: due.length, raised: outcome.raised - before });
      return false;
    });
    if (done) return outcome;
  }
}

/**
 * Evaluates every family of the partnership (after changing a rule's settings, or for the
 * benchmark), in batches of `batch` people, each batch one transaction.
 */
export async function evaluatePartnership(db: Kysely<DB>, ctx: ActorContext, options: { day?: Day; batch?: number; onProgress?: (people: number) => void } = {}): Promise<EvaluationOutcome> {
  const day = options.day ?? todayInLondon();
  const outcome = zero();
  const evaluated = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page: string[] | null = await throughDoor(db, ctx, { action: 'alerts.evaluate-partnership', objectType: 'partnership', objectId: ctx.partnershipId, details: { day, after } }, async ({ trx, deny }) => {
      if (!mayEvaluate(ctx)) deny('only jobs and the command line evaluate the rules');
      const ids = await repo.personPage(trx, ctx.partnershipId, after, options.batch ?? 500);
      if (ids.length === 0) return null;
      const todo = ids.filter((id) => !evaluated.has(id));
      if (todo.length > 0) {
        const engine = await rulesAndSettings(trx, ctx);
        for (const p of await evaluateFamilies(trx, ctx, todo, day, engine, outcome)) evaluated.add(p);
      }
      return ids;
    });
    if (page === null) return outcome;
    after = page.at(-1)!;
    options.onProgress?.(evaluated.size);
  }
}
