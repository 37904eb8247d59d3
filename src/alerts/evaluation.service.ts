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

/** One family's part of a batch: its history, and the alerts held about it. */
interface FamilyPart {
  input: HistoryInput;
  persons: Set<string>;
  alerts: AlertRecord[];
}

/**
 * Splits a batch's history into families: people joined by a link or named together in an event
 * (union-find), each with its records, links, events and alerts. The rules then run on each family
 * on its own, so their cost grows with the family, not with the batch.
 */
function splitFamilies(input: HistoryInput, personOf: ReadonlyMap<string, string>, alerts: readonly AlertRecord[]): FamilyPart[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    let step = x;
    while (step !== root) {
      const next = parent.get(step) ?? root;
      parent.set(step, root);
      step = next;
    }
    if (!parent.has(root)) parent.set(root, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const person = (record: string) => personOf.get(record) ?? record;
  for (const r of input.records) find(person(r.id));
  for (const l of input.links) if (l.from !== null) union(person(l.from), person(l.to));
  const eventPeople = (e: HistoryInput['events'][number]) => {
    const named = Object.values(e.fields).flatMap((v) => (typeof v === 'string' && personOf.has(v) ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && personOf.has(x)) : []));
    return [...e.subjects, ...e.participants, ...named].map(person);
  };
  for (const e of input.events) {
    const people = eventPeople(e);
    for (let i = 1; i < people.length; i += 1) union(people[0]!, people[i]!);
  }
  const parts = new Map<string, FamilyPart>();
  const part = (root: string) => {
    let p = parts.get(root);
    if (!p) {
      p = { input: { sources: input.sources, records: [], links: [], events: [] }, persons: new Set(), alerts: [] };
      parts.set(root, p);
    }
    return p;
  };
  for (const r of input.records) {
    const p = part(find(person(r.id)));
    (p.input.records as HistoryRecordInput[]).push(r);
    p.persons.add(person(r.id));
  }
  for (const l of input.links) (part(find(person(l.to))).input.links as HistoryLinkInput[]).push(l);
  for (const e of input.events) {
    const first = eventPeople(e)[0];
    if (first !== undefined) (part(find(first)).input.events as HistoryEventInput[]).push(e);
  }
  for (const a of alerts) {
    const record = a.subjectRecords.find((r) => personOf.has(r));
    const root = find(record ? person(record) : a.subject);
    part(root).alerts.push(a);
  }
  return [...parts.values()];
}

/** What a batch's evaluation writes back, gathered so that it is written in a few statements. */
interface Pending {
  alerts: Insertable<AlertsTable>[];
  updates: { id: string; changes: Parameters<typeof repo.updateAlert>[2] }[];
  inbox: { id: string; open: boolean; severity: string }[];
  actions: Parameters<typeof repo.insertActions>[1];
  /** New alerts to route, with whether the child they are about is under 5. */
  route: { alert: AlertRecord; underFive: boolean }[];
  schedule: { person_id: string; next_on: string | null }[];
}

/** Evaluates the families of `people` on `day` and writes back what changed. */
async function evaluateFamilies(trx: Transaction<DB>, ctx: ActorContext, people: readonly string[], day: Day, engine: Awaited<ReturnType<typeof rulesAndSettings>>, outcome: EvaluationOutcome): Promise<string[]> {
  const family = await repo.familyOf(trx, ctx.partnershipId, people);
  const { input, personOf, recordKeys } = await loadHistory(trx, ctx, family);
  const held = (await repo.alertsFor(trx, ctx.partnershipId, family, recordKeys)).map(toRecord);
  const pending: Pending = { alerts: [], updates: [], inbox: [], actions: [], route: [], schedule: [] };
  for (const part of splitFamilies(input, personOf, held)) {
    const before = new Map(part.alerts.map((a) => [a.id, { subject: a.subject, status: a.status, severity: a.severity, unborn: a.unborn }]));
    const history = new CaseHistory(part.input, personOf, day);
    const result = evaluateDay(history, part.alerts, { rules: engine.rules, settings: engine.settings, newId });
    collect(ctx, history, part.alerts, before, result, day, outcome, pending);
    // The next day anything may change for this family with nothing new recorded.
    const next = result.wakeups[0] ?? null;
    for (const person_id of part.persons) pending.schedule.push({ person_id, next_on: next });
  }
  await write(trx, ctx, pending, outcome);
  outcome.people += family.length;
  outcome.events += input.events.length;
  return family;
}

/** Gathers what one family's evaluation changed. */
function collect(
  ctx: ActorContext,
  history: CaseHistory,
  alerts: readonly AlertRecord[],
  before: ReadonlyMap<string, { subject: string; status: string; severity: string; unborn: string | null }>,
  result: DayOutcome,
  day: Day,
  outcome: EvaluationOutcome,
  pending: Pending,
): void {
  const now = new Date();
  const actor = ctx.actor.label;
  const action = (alert: AlertRecord, kind: Pending['actions'][number]['kind'], reason: string | null, details: Record<string, unknown>) =>
    pending.actions.push({ id: newId(), partnership_id: ctx.partnershipId, alert_id: alert.id, kind, actor, user_id: null, reason, details: JSON.stringify(details), at: now });
  const raised = new Set(result.raised.map((a) => a.id));
  for (const a of result.raised) {
    if (!history.persons.has(a.subject)) continue;
    pending.alerts.push({
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
    });
    action(a, 'raised', null, { severity: a.raisedSeverity, evidence: a.evidence, day });
    outcome.raised += 1;
    if (a.status === 'closed') {
      action(a, 'closed-by-event', a.closed?.note ?? null, { event: a.closed?.event ?? null, day });
      outcome.closed += 1;
    } else {
      const child = a.unborn ?? a.subject;
      const dob = history.persons.get(child)?.dateOfBirth ?? null;
      const underFive = dob === null ? (history.persons.get(child)?.unbornRecords.length ?? 0) > 0 : ageInYears(dob, history.day) < 5;
      pending.route.push({ alert: a, underFive });
    }
  }
  for (const a of alerts) {
    if (raised.has(a.id)) continue;
    const was = before.get(a.id);
    if (!was || (was.subject === a.subject && was.unborn === a.unborn && was.status === a.status && was.severity === a.severity)) continue;
    pending.updates.push({
      id: a.id,
      changes: {
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
      },
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
    pending.inbox.push({ id: a.id, open: a.status === 'open', severity: a.severity });
  }
}

/** Writes a batch's changes: new alerts, changed ones, their history, routing and schedule. */
async function write(trx: Transaction<DB>, ctx: ActorContext, pending: Pending, outcome: EvaluationOutcome): Promise<void> {
  await repo.insertAlerts(trx, pending.alerts);
  for (const u of pending.updates) await repo.updateAlert(trx, u.id, u.changes);
  // Every record an alert was raised on or carried to, for finding it again (alertsFor).
  const records = [...pending.alerts.map((a) => ({ id: a.id, list: a.subject_records })), ...pending.updates.map((u) => ({ id: u.id, list: u.changes.subject_records }))];
  await repo.addAlertRecords(
    trx,
    records.flatMap(({ id, list }) => json<string[]>(list, []).map((record_key) => ({ partnership_id: ctx.partnershipId, alert_id: id, record_key }))),
  );
  for (const i of pending.inbox) await repo.updateInbox(trx, i.id, { open: i.open, severity: i.severity });
  await repo.insertActions(trx, pending.actions);
  await route(trx, ctx, pending.route, new Date(), outcome);
  await repo.setSchedule(trx, ctx.partnershipId, pending.schedule, new Date());
}

/** Rules whose alerts about a child under 5 also go to the health visitor. */
const HEALTH_VISITOR_RULES: ReadonlySet<string> = new Set(['young-child-ed', 'was-not-brought']);

/**
 * Whom each new alert goes to: the child's lead practitioner and team around the child; for a
 * child under 5, the health visitor too (`young-child-ed`, `was-not-brought`); where nobody is
 * allocated, the front door team. A named worker gets it in their own inbox; an organisation
 * allocated without a named worker, everyone in it who works with children.
 */
async function route(trx: Transaction<DB>, ctx: ActorContext, toRoute: readonly { alert: AlertRecord; underFive: boolean }[], now: Date, outcome: EvaluationOutcome): Promise<void> {
  if (toRoute.length === 0) return;
  const alerts = toRoute.map((r) => r.alert);
  const underFive = new Map(toRoute.map((r) => [r.alert.id, r.underFive]));
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
    if (HEALTH_VISITOR_RULES.has(alert.rule) && underFive.get(alert.id)) {
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
