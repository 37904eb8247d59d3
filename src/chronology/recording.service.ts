// Recording in the application: a practitioner's contact or concern, observation, what the child
// said or showed, a home visit, a check with another agency, an appointment outcome. One entry may
// concern several family members (recorded once, shown on each). Entries are append-only: an
// amendment is a new version with who, when and why; a wrong entry is marked "entered in error"
// with a reason and stays for auditors. Each version is kept as an exchange-format object, so
// exports carry entries recorded here exactly like imported ones (id `throughline:<uuid>`).
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { personAccess } from '../access/access-policy.js';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import { todayInLondon } from '../calendar/days.js';
import type { DB } from '../db/schema.js';
import { EVENT_SCHEMAS, type NormalisedEvent } from '../ingest/exchange-schema.js';
import { AccessDeniedError, NotFoundError, UserFacingError } from '../shared/errors.js';
import { isUuid, newId } from '../shared/ids.js';
import * as repo from './chronology.repository.js';

/** The kinds of entry practitioners record here. */
export const RECORDING_KINDS = ['concern', 'contact', 'observation', 'child-voice', 'home-visit', 'lateral-check', 'appointment'] as const;
export type RecordingKind = (typeof RECORDING_KINDS)[number];

/** An entry as a practitioner records it. */
export interface EntryInput {
  kind: RecordingKind;
  /** YYYY-MM-DD, or YYYY-MM-DDTHH:MM with the London offset added here. */
  date: string;
  subjects: string[];
  participants?: string[];
  summary: string;
  significant: boolean;
  restricted?: boolean;
  concerns?: string[];
  /** The kind's own fields, as the exchange format names them (e.g. outcome, childSeen for a home visit). */
  fields?: Record<string, unknown>;
}

/** The record id an entry recorded here uses for a person (exports list the person under it). */
export function personRecordKey(personId: string): string {
  return `throughline:person:${personId}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function mayRecord(ctx: ActorContext): boolean {
  return ctx.actor.type === 'user' && ctx.actor.organisationId !== null && (hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager') || hasRole(ctx, 'front-door'));
}

/** The organisation's source (its sending-system id), registered on its first entry recorded here. */
async function ownSource(trx: Transaction<DB>, ctx: ActorContext): Promise<{ key: string; agency: string }> {
  const organisationId = ctx.actor.organisationId!;
  const existing = await repo.sourceOfOrganisation(trx, ctx.partnershipId, organisationId);
  if (existing) return { key: existing.source_key, agency: existing.agency };
  const org = await repo.organisation(trx, ctx.partnershipId, organisationId);
  if (!org) throw new AccessDeniedError('no organisation');
  const content = JSON.stringify({ id: org.code, agency: org.agency, name: org.name, ...(org.authority ? { authority: org.authority } : {}) });
  await repo.insertSource(trx, { id: newId(), partnership_id: ctx.partnershipId, source_key: org.code, agency: org.agency, name: org.name, authority: org.authority, organisation_id: org.id, version: 1, content_sha256: sha256(content), updated_at: new Date() });
  return { key: org.code, agency: org.agency };
}

/** The exchange-format object of an entry, checked and normalised by the format's own schema. */
function exchangeObject(key: string, source: string, input: EntryInput, recorded: string): { object: Record<string, unknown>; normalised: NormalisedEvent } {
  const date = /T\d{2}:\d{2}$/.test(input.date) ? `${input.date}:00${londonOffset(input.date)}` : input.date;
  const object: Record<string, unknown> = {
    id: key,
    source,
    type: input.kind,
    date,
    ...(recorded !== date.slice(0, 10) ? { recorded } : {}),
    subjects: input.subjects.map(personRecordKey),
    ...(input.participants?.length ? { participants: input.participants.map(personRecordKey) } : {}),
    summary: input.summary,
    ...(input.significant ? { significant: true } : {}),
    ...(input.restricted ? { restricted: true } : {}),
    ...(input.concerns?.length ? { concerns: input.concerns } : {}),
    ...(input.fields ?? {}),
  };
  const parsed = (EVENT_SCHEMAS[input.kind] as unknown as { safeParse(v: unknown): { success: true; data: NormalisedEvent } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }).safeParse(object);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserFacingError(`The entry could not be saved: ${issue?.path.join('.') ?? 'a field'} ${issue?.message ?? 'is not valid'}.`);
  }
  return { object, normalised: parsed.data };
}

/** The UTC offset of Europe/London at a local date and time ("+01:00" in summer). */
function londonOffset(local: string): string {
  const guess = new Date(`${local}:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' }).formatToParts(guess);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return m ? m[1]! : '+00:00';
}

const COMMON = new Set(['id', 'source', 'type', 'date', 'recorded', 'subjects', 'participants', 'summary', 'significant', 'restricted', 'concerns', 'about']);

/** Every subject and participant must be someone the recorder may read (not only their summary). */
async function checkPeople(trx: Transaction<DB>, ctx: ActorContext, input: EntryInput, deny: (reason: string) => never): Promise<void> {
  const people = [...new Set([...input.subjects, ...(input.participants ?? [])])];
  if (input.subjects.length === 0) deny('an entry concerns at least one person');
  if (!people.every(isUuid)) deny('not a person id');
  const access = await personAccess(trx, ctx, people);
  for (const p of people) if (!access.has(p) || access.get(p) === 'governance') deny('no legitimate relationship with a person the entry names');
}

/** Writes one version of an entry: the current row, whom it concerns, and the version as an exchange object. */
async function writeVersion(
  trx: Transaction<DB>,
  ctx: ActorContext,
  meta: { id: string; key: string; source: string; version: number; firstReceivedAt: Date; status: 'current' | 'entered-in-error'; reason: string | null },
  input: EntryInput,
  recorded: string,
): Promise<void> {
  const { object, normalised } = exchangeObject(meta.key, meta.source, input, recorded);
  const received = JSON.stringify(object);
  const now = new Date();
  const details = Object.fromEntries(Object.entries(normalised).filter(([k]) => !COMMON.has(k)));
  await repo.upsertRecordedEvent(
    trx,
    {
      id: meta.id,
      partnership_id: ctx.partnershipId,
      event_key: meta.key,
      source_key: meta.source,
      version: meta.version,
      content_sha256: sha256(received),
      type: normalised.type,
      date: normalised.date.value,
      date_precision: normalised.date.precision,
      date_sort: normalised.date.sortKey,
      recorded: normalised.recorded?.value ?? null,
      recorded_sort: (normalised.recorded ?? normalised.date).sortKey,
      summary: normalised.summary ?? null,
      significant: normalised.significant ?? false,
      restricted: normalised.restricted ?? false,
      concerns: JSON.stringify(normalised.concerns ?? []),
      about: JSON.stringify(normalised.about ?? []),
      details: JSON.stringify(details),
      first_received_at: meta.firstReceivedAt,
      updated_at: now,
      origin: 'recorded',
      recorded_by: ctx.actor.label,
      recorded_by_user_id: ctx.actor.type === 'user' ? ctx.actor.id : null,
      status: meta.status,
      status_reason: meta.status === 'entered-in-error' ? meta.reason : null,
    },
    [
      ...input.subjects.map((p) => ({ partnership_id: ctx.partnershipId, event_id: meta.id, person_id: p, role: 'subject' as const })),
      ...(input.participants ?? []).filter((p) => !input.subjects.includes(p)).map((p) => ({ partnership_id: ctx.partnershipId, event_id: meta.id, person_id: p, role: 'participant' as const })),
    ],
  );
  await repo.insertVersion(trx, {
    id: newId(),
    partnership_id: ctx.partnershipId,
    kind: 'event',
    object_key: meta.key,
    source_key: meta.source,
    version: meta.version,
    content_sha256: sha256(received),
    received,
    import_id: null,
    location: 'recorded in Throughline',
    received_at: now,
    actor: ctx.actor.label,
    reason: meta.reason,
    status: meta.status,
  });
}

/** Recording about people keeps the organisation's involvement with them from going quiet (or opens one). */
async function noteActivity(trx: Transaction<DB>, ctx: ActorContext, people: readonly string[], day: string): Promise<void> {
  const organisationId = ctx.actor.organisationId!;
  for (const person of people) {
    const held = (await repo.quietInvolvements(trx, ctx.partnershipId, organisationId, person)).find((i) => i.end_date === null);
    if (held) await repo.touchInvolvement(trx, held.id, day);
    else {
      await repo.insertInvolvement(trx, {
        id: newId(),
        partnership_id: ctx.partnershipId,
        person_id: person,
        organisation_id: organisationId,
        worker_user_id: ctx.actor.id,
        role: hasRole(ctx, 'front-door') ? 'front-door' : 'service-provided',
        start_date: day,
        end_date: null,
        last_activity_date: day,
        created_at: new Date(),
      });
    }
  }
}

/** Records a new entry about one or more people. Returns its id and exchange id. */
export async function recordEntry(db: Kysely<DB>, ctx: ActorContext, input: EntryInput): Promise<{ id: string; key: string }> {
  const id = newId();
  const key = `throughline:${id}`;
  return throughDoor(db, ctx, { action: 'chronology.record', objectType: 'event', objectId: id, details: { kind: input.kind, personIds: input.subjects } }, async ({ trx, deny }) => {
    if (!mayRecord(ctx)) deny('only practitioners, managers and the front door record entries');
    await checkPeople(trx, ctx, input, deny);
    const source = await ownSource(trx, ctx);
    const today = todayInLondon();
    if (input.date.slice(0, 10) > today) throw new UserFacingError('The date of an entry cannot be in the future.');
    await writeVersion(trx, ctx, { id, key, source: source.key, version: 1, firstReceivedAt: new Date(), status: 'current', reason: null }, input, today);
    await noteActivity(trx, ctx, input.subjects, today);
    await repo.deleteDraft(trx, ctx.partnershipId, ctx.actor.id, input.subjects[0]!, input.kind);
    return { id, key };
  });
}

/** Reads an entry recorded here for its author's organisation to amend (refused otherwise). */
async function ownEntry(trx: Transaction<DB>, ctx: ActorContext, eventId: string, deny: (reason: string) => never) {
  if (!isUuid(eventId)) deny('not an entry id');
  const row = await repo.eventRow(trx, ctx.partnershipId, eventId);
  if (!row || row.origin !== 'recorded') deny('not an entry recorded here');
  const source = await ownSource(trx, ctx);
  if (row!.source_key !== source.key) deny('only the organisation that recorded an entry amends it');
  return row!;
}

/** The entry as it stands, as the form shows it for an amendment. */
export async function entryForAmendment(db: Kysely<DB>, ctx: ActorContext, eventId: string): Promise<EntryInput & { version: number; status: string }> {
  try {
    return await throughDoor(db, ctx, { action: 'chronology.read-entry', objectType: 'event', objectId: eventId }, async ({ trx, deny }) => {
      if (!mayRecord(ctx)) deny('only practitioners, managers and the front door amend entries');
      const row = await ownEntry(trx, ctx, eventId, deny);
      const people = await repo.eventPeople(trx, ctx.partnershipId, [row.id]);
      const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<string, unknown>;
      return {
        kind: row.type as RecordingKind,
        date: row.date.length > 10 ? row.date.slice(0, 16) : row.date,
        subjects: people.filter((p) => p.role === 'subject').map((p) => p.person_id),
        participants: people.filter((p) => p.role === 'participant').map((p) => p.person_id),
        summary: row.summary ?? '',
        significant: row.significant,
        restricted: row.restricted,
        concerns: (typeof row.concerns === 'string' ? JSON.parse(row.concerns) : row.concerns) as string[],
        fields: details,
        version: row.version,
        status: row.status,
      };
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Entry not found');
    throw error;
  }
}

/** Amends an entry recorded here: a new version, with who and why; the earlier version stays. */
export async function amendEntry(db: Kysely<DB>, ctx: ActorContext, eventId: string, input: EntryInput, reason: string): Promise<void> {
  try {
    await throughDoor(db, ctx, { action: 'chronology.amend', objectType: 'event', objectId: eventId, details: { kind: input.kind } }, async ({ trx, deny }) => {
      if (!mayRecord(ctx)) deny('only practitioners, managers and the front door amend entries');
      if (!reason.trim()) throw new UserFacingError('Say why the entry is being amended.');
      const row = await ownEntry(trx, ctx, eventId, deny);
      if (row.status === 'entered-in-error') throw new UserFacingError('An entry marked as entered in error cannot be amended; record a new entry instead.');
      await checkPeople(trx, ctx, input, deny);
      await writeVersion(trx, ctx, { id: row.id, key: row.event_key, source: row.source_key, version: row.version + 1, firstReceivedAt: row.first_received_at, status: 'current', reason: reason.trim() }, { ...input, kind: row.type as RecordingKind }, row.recorded_sort);
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Entry not found');
    throw error;
  }
}

/** Marks an entry recorded here as entered in error, with the reason: a new version; nothing is deleted. */
export async function markEnteredInError(db: Kysely<DB>, ctx: ActorContext, eventId: string, reason: string): Promise<void> {
  try {
    await throughDoor(db, ctx, { action: 'chronology.entered-in-error', objectType: 'event', objectId: eventId }, async ({ trx, deny }) => {
      if (!mayRecord(ctx)) deny('only practitioners, managers and the front door correct entries');
      if (!reason.trim()) throw new UserFacingError('Say why the entry was entered in error.');
      const row = await ownEntry(trx, ctx, eventId, deny);
      if (row.status === 'entered-in-error') return;
      const versions = await repo.eventVersions(trx, ctx.partnershipId, row.event_key);
      const last = JSON.parse(versions.at(-1)!.received) as Record<string, unknown>;
      const people = await repo.eventPeople(trx, ctx.partnershipId, [row.id]);
      const input: EntryInput = {
        kind: row.type as RecordingKind,
        date: String(last.date),
        subjects: people.filter((p) => p.role === 'subject').map((p) => p.person_id),
        participants: people.filter((p) => p.role === 'participant').map((p) => p.person_id),
        summary: String(last.summary ?? ''),
        significant: last.significant === true,
        restricted: last.restricted === true,
        concerns: (last.concerns as string[] | undefined) ?? [],
        fields: Object.fromEntries(Object.entries(last).filter(([k]) => !COMMON.has(k))),
      };
      await writeVersion(trx, ctx, { id: row.id, key: row.event_key, source: row.source_key, version: row.version + 1, firstReceivedAt: row.first_received_at, status: 'entered-in-error', reason: reason.trim() }, input, row.recorded_sort);
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Entry not found');
    throw error;
  }
}

/** Every version of an entry the viewer may read in full: when, by whom, why, and what it said. */
export async function entryHistory(db: Kysely<DB>, ctx: ActorContext, eventId: string): Promise<{ key: string; versions: { version: number; at: Date; by: string; reason: string | null; status: string; content: Record<string, unknown> }[] }> {
  try {
    return await throughDoor(db, ctx, { action: 'chronology.read-history', objectType: 'event', objectId: eventId }, async ({ trx, deny }) => {
      if (!isUuid(eventId)) deny('not an entry id');
      const row = await repo.eventRow(trx, ctx.partnershipId, eventId);
      if (!row) deny('no such entry');
      const people = [...new Set((await repo.eventPeople(trx, ctx.partnershipId, [row!.id])).map((p) => p.person_id))];
      const access = await personAccess(trx, ctx, people);
      if (![...access.values()].some((b) => b !== 'governance' && b !== 'family') && !hasRole(ctx, 'dpo') && !hasRole(ctx, 'admin')) deny('no legitimate relationship');
      if (row!.restricted) {
        const own = ctx.actor.organisationId && (await repo.sourceOfOrganisation(trx, ctx.partnershipId, ctx.actor.organisationId))?.source_key === row!.source_key;
        if (!own) deny('a restricted entry');
      }
      const versions = await repo.eventVersions(trx, ctx.partnershipId, row!.event_key);
      return {
        key: row!.event_key,
        versions: versions.map((v) => ({ version: v.version, at: v.received_at, by: v.actor ?? 'imported', reason: v.reason ?? null, status: v.status ?? 'current', content: JSON.parse(v.received) as Record<string, unknown> })),
      };
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Entry not found');
    throw error;
  }
}

/** Keeps what a practitioner has typed so far, so a session time-out loses nothing. */
export async function saveDraft(db: Kysely<DB>, ctx: ActorContext, personId: string, kind: string, content: Record<string, unknown>): Promise<void> {
  await throughDoor(db, ctx, { action: 'chronology.save-draft', objectType: 'person', objectId: personId, details: { kind } }, async ({ trx, deny }) => {
    if (!mayRecord(ctx) || !isUuid(personId)) deny('only practitioners, managers and the front door record entries');
    const basis = (await personAccess(trx, ctx, [personId])).get(personId);
    if (!basis || basis === 'governance') deny('no legitimate relationship');
    await repo.saveDraft(trx, { id: newId(), partnership_id: ctx.partnershipId, user_id: ctx.actor.id, person_id: personId, kind, content: JSON.stringify(content), updated_at: new Date() });
  });
}

/** The practitioner's draft for a person and kind of entry, if there is one. */
export async function loadDraft(db: Kysely<DB>, ctx: ActorContext, personId: string, kind: string): Promise<{ content: Record<string, unknown>; updatedAt: Date } | null> {
  return throughDoor(db, ctx, { action: 'chronology.read-draft', objectType: 'person', objectId: personId, details: { kind } }, async ({ trx, deny }) => {
    if (!mayRecord(ctx) || !isUuid(personId)) deny('only practitioners, managers and the front door record entries');
    const draft = await repo.findDraft(trx, ctx.partnershipId, ctx.actor.id, personId, kind);
    if (!draft) return null;
    return { content: (typeof draft.content === 'string' ? JSON.parse(draft.content) : draft.content) as Record<string, unknown>, updatedAt: draft.updated_at };
  });
}

/** The kinds of entry the practitioner has unsaved drafts of, for a person. */
export async function listDrafts(db: Kysely<DB>, ctx: ActorContext, personId: string): Promise<string[]> {
  return throughDoor(db, ctx, { action: 'chronology.list-drafts', objectType: 'person', objectId: personId }, async ({ trx }) => {
    if (!mayRecord(ctx) || !isUuid(personId)) return [];
    return repo.draftKinds(trx, ctx.partnershipId, ctx.actor.id, personId);
  });
}
