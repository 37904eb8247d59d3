// What people do with identity: the review queue (decide a pair: same person, different people,
// not sure — ask), undoing a merge, separating a record that is not this person, a person's
// records and identity history, and `export identities`. Every action goes through the door, is
// audited, and is remembered as a decision so that later resolutions honour it.
import type { Kysely, Transaction } from 'kysely';
import { personAccess } from '../access/access-policy.js';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import type { DB, IdentityDecision } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import * as repo from './identity.repository.js';
import type { FieldExplanation } from './score.js';
import { personDetailsFrom } from './person-details.js';

/** Who may decide who is who: the front door (partnership-wide, to make decisions) and the command line. */
function mayResolve(ctx: ActorContext): boolean {
  return ctx.actor.type !== 'user' || hasRole(ctx, 'front-door');
}

/** One record as the review screen shows it. */
export interface RecordCard {
  key: string;
  source: string;
  personId: string | null;
  name: string;
  otherNames: string[];
  dateOfBirth: string | null;
  expectedDate: string | null;
  sex: string;
  nhsNumber: string | null;
  nhsNumberValid: boolean;
  address: string | null;
  restricted: boolean;
}

function card(r: repo.MatchableRecord, showAddress: boolean): RecordCard {
  const address = r.address ? ((typeof r.address === 'string' ? JSON.parse(r.address) : r.address) as Record<string, string>) : null;
  const otherNames = r.other_names ? ((typeof r.other_names === 'string' ? JSON.parse(r.other_names) : r.other_names) as string[]) : [];
  return {
    key: r.record_key,
    source: r.source_key,
    personId: r.person_id,
    name: [r.given_name, r.family_name].filter(Boolean).join(' ') || (r.kind === 'unborn' ? 'Unborn baby' : 'Name not recorded'),
    otherNames,
    dateOfBirth: r.date_of_birth,
    expectedDate: r.expected_date,
    sex: r.sex,
    nhsNumber: r.nhs_number,
    nhsNumberValid: r.nhs_number_valid,
    address: showAddress && !r.restricted && address ? [address.line1, address.line2, address.town, address.postcode].filter(Boolean).join(', ') : null,
    restricted: r.restricted,
  };
}

/** A pair waiting in the queue. */
export interface ReviewPair {
  a: RecordCard;
  b: RecordCard;
  score: number;
  why: string;
  fields: FieldExplanation[];
  /** "Not sure — ask" notes already made about this pair. */
  asked: { reason: string | null; by: string; at: Date } | null;
}

function pairKey(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

async function loadPairs(trx: Transaction<DB>, ctx: ActorContext, rows: Awaited<ReturnType<typeof repo.reviewQueue>>): Promise<ReviewPair[]> {
  const records = new Map((await repo.recordsByKeys(trx, ctx.partnershipId, rows.flatMap((r) => [r.record_a, r.record_b]))).map((r) => [r.record_key, r]));
  const decisions = new Map((await repo.currentDecisions(trx, ctx.partnershipId)).map((d) => [`${d.record_a}\u0000${d.record_b}`, d]));
  const pairs: ReviewPair[] = [];
  for (const row of rows) {
    const a = records.get(row.record_a);
    const b = records.get(row.record_b);
    // Pairs settled since the queue was made (merged, or decided) are not asked again.
    if (!a || !b || (a.person_id !== null && a.person_id === b.person_id)) continue;
    const decision = decisions.get(`${row.record_a}\u0000${row.record_b}`);
    if (decision && decision.decision !== 'ask') continue;
    const explanation = row.explanation as { why?: string; fields?: FieldExplanation[] };
    pairs.push({
      a: card(a, true),
      b: card(b, true),
      score: row.score,
      why: explanation.why ?? '',
      fields: explanation.fields ?? [],
      asked: decision ? { reason: decision.reason, by: decision.decided_by, at: decision.decided_at } : null,
    });
  }
  return pairs;
}

/** The review queue: pairs for a person to decide, most likely first. */
export async function listReviewQueue(db: Kysely<DB>, ctx: ActorContext): Promise<ReviewPair[]> {
  return throughDoor(db, ctx, { action: 'identity.review-queue', objectType: 'partnership', objectId: ctx.partnershipId }, async ({ trx, deny, note }) => {
    if (!mayResolve(ctx)) return deny('only the front door decides who is who');
    const pairs = await loadPairs(trx, ctx, await repo.reviewQueue(trx, ctx.partnershipId));
    note({ pairs: pairs.length });
    return pairs;
  });
}

/** One pair of the queue, side by side. */
export async function getReviewPair(db: Kysely<DB>, ctx: ActorContext, recordA: string, recordB: string): Promise<ReviewPair | null> {
  const [a, b] = pairKey(recordA, recordB);
  return throughDoor(db, ctx, { action: 'identity.review-pair', objectType: 'record', objectId: null, details: { records: [a, b] } }, async ({ trx, deny }) => {
    if (!mayResolve(ctx)) return deny('only the front door decides who is who');
    const row = await repo.reviewItem(trx, ctx.partnershipId, a, b);
    if (!row) return null;
    const [pair] = await loadPairs(trx, ctx, [row]);
    return pair ?? null;
  });
}

/**
 * Records a reviewer's decision about a pair. "same": the two people are merged now (the older
 * person keeps its id; the other redirects). "different": never linked again, not even through
 * other records. "ask": stays in the queue with the note, for someone who knows.
 */
export async function decideReviewPair(
  db: Kysely<DB>,
  ctx: ActorContext,
  input: { recordA: string; recordB: string; decision: IdentityDecision; reason?: string | null },
): Promise<{ personId: string | null }> {
  const [a, b] = pairKey(input.recordA, input.recordB);
  return throughDoor(db, ctx, { action: `identity.decide.${input.decision}`, objectType: 'record', details: { records: [a, b] } }, async ({ trx, deny, note }) => {
    if (!mayResolve(ctx)) return deny('only the front door decides who is who');
    const records = await repo.recordsByKeys(trx, ctx.partnershipId, [a, b]);
    const ra = records.find((r) => r.record_key === a);
    const rb = records.find((r) => r.record_key === b);
    if (!ra || !rb) return deny('no such records');
    const queued = await repo.reviewItem(trx, ctx.partnershipId, a, b);
    const now = new Date();
    await repo.insertDecision(trx, {
      id: newId(),
      partnership_id: ctx.partnershipId,
      record_a: a,
      record_b: b,
      decision: input.decision,
      reason: input.reason?.trim() || null,
      score: queued?.score ?? null,
      decided_by: ctx.actor.label,
      decided_at: now,
    });
    if (input.decision === 'ask') return { personId: null };
    await repo.removeReviewItem(trx, ctx.partnershipId, a, b);
    if (input.decision === 'different' || !ra.person_id || !rb.person_id || ra.person_id === rb.person_id) return { personId: ra.person_id };
    const survivor = await mergePersons(trx, ctx, ra.person_id, rb.person_id, input.reason ?? null, now);
    note({ personId: survivor });
    return { personId: survivor };
  });
}

/** Merges two persons: the older keeps its id; the other's records move to it and its id redirects. */
async function mergePersons(trx: Transaction<DB>, ctx: ActorContext, p1: string, p2: string, reason: string | null, now: Date): Promise<string> {
  const held = await repo.personsCreated(trx, ctx.partnershipId, [p1, p2]);
  const created = new Map(held.map((p) => [p.id, new Date(p.created_at).getTime()]));
  const [survivor, merged] = (created.get(p1) ?? 0) < (created.get(p2) ?? 0) || ((created.get(p1) ?? 0) === (created.get(p2) ?? 0) && p1 < p2) ? [p1, p2] : [p2, p1];
  const moving = await repo.recordsOfPersons(trx, ctx.partnershipId, [merged]);
  await repo.assignRecords(trx, ctx.partnershipId, new Map(moving.map((r) => [r.record_key, survivor])));
  const redirected = await repo.markMerged(trx, ctx.partnershipId, merged, survivor, now);
  await repo.insertChanges(trx, [
    {
      id: newId(),
      partnership_id: ctx.partnershipId,
      kind: 'merged',
      person_id: survivor,
      other_person_id: merged,
      records: JSON.stringify({ records: moving.map((r) => r.record_key).sort(), redirected }),
      basis: 'reviewer',
      reason,
      undoes: null,
      actor: ctx.actor.label,
      at: now,
    },
  ]);
  await refreshPersons(trx, ctx, [survivor], now);
  await repo.rebuildProjectedLinks(trx, ctx.partnershipId, now);
  return survivor;
}

/** Works out persons' display details again from their records. */
async function refreshPersons(trx: Transaction<DB>, ctx: ActorContext, personIds: readonly string[], now: Date): Promise<void> {
  const records = await repo.recordsOfPersons(trx, ctx.partnershipId, personIds);
  for (const id of personIds) {
    const mine = records.filter((r) => r.person_id === id);
    if (mine.length > 0) await repo.updatePersonDetails(trx, id, { ...personDetailsFrom(mine), updated_at: now });
  }
}

/**
 * Undoes a merge: the records that moved go back to the merged person, whose id stands on its own
 * again (with every involvement, alert and access record it had, because those were never moved),
 * and the two are recorded as different people so that no later resolution joins them again.
 */
export async function undoMerge(db: Kysely<DB>, ctx: ActorContext, changeId: string, reason: string): Promise<{ restored: string; from: string }> {
  return throughDoor(db, ctx, { action: 'identity.unmerge', objectType: 'identity-change', objectId: changeId }, async ({ trx, deny, note }) => {
    if (!mayResolve(ctx)) return deny('only the front door decides who is who');
    const change = await repo.findChange(trx, ctx.partnershipId, changeId);
    if (!change || change.kind !== 'merged' || !change.other_person_id) return deny('no such merge');
    if ((await repo.undoneBy(trx, ctx.partnershipId, [changeId])).size > 0) return deny('this merge has already been undone');
    const moved = change.records as { records: string[]; redirected?: string[] };
    const now = new Date();
    const stillThere = (await repo.recordsByKeys(trx, ctx.partnershipId, moved.records)).filter((r) => r.person_id === change.person_id);
    if (stillThere.length === 0) return deny('the records of this merge have moved on since');
    const remaining = (await repo.recordsOfPersons(trx, ctx.partnershipId, [change.person_id])).filter((r) => !moved.records.includes(r.record_key));
    await repo.assignRecords(trx, ctx.partnershipId, new Map(stillThere.map((r) => [r.record_key, change.other_person_id!])));
    await repo.markUnmerged(trx, ctx.partnershipId, change.other_person_id, moved.redirected ?? [], now);
    if (remaining[0]) await rememberDifferent(trx, ctx, stillThere[0]!.record_key, remaining[0].record_key, reason, now);
    await repo.insertChanges(trx, [
      {
        id: newId(),
        partnership_id: ctx.partnershipId,
        kind: 'unmerged',
        person_id: change.other_person_id,
        other_person_id: change.person_id,
        records: JSON.stringify({ records: stillThere.map((r) => r.record_key).sort(), redirected: moved.redirected ?? [] }),
        basis: 'reviewer',
        reason,
        undoes: changeId,
        actor: ctx.actor.label,
        at: now,
      },
    ]);
    await refreshPersons(trx, ctx, [change.person_id, change.other_person_id], now);
    await repo.rebuildProjectedLinks(trx, ctx.partnershipId, now);
    note({ restored: change.other_person_id, from: change.person_id });
    return { restored: change.other_person_id, from: change.person_id };
  });
}

async function rememberDifferent(trx: Transaction<DB>, ctx: ActorContext, x: string, y: string, reason: string, now: Date): Promise<void> {
  const [a, b] = pairKey(x, y);
  await repo.insertDecision(trx, { id: newId(), partnership_id: ctx.partnershipId, record_a: a, record_b: b, decision: 'different', reason, score: null, decided_by: ctx.actor.label, decided_at: now });
}

/**
 * Separates one record from a person it does not belong to: it becomes a person of its own, and is
 * recorded as a different person from the rest, so no later resolution joins them again.
 */
export async function separateRecord(db: Kysely<DB>, ctx: ActorContext, input: { personId: string; recordKey: string; reason: string }): Promise<string> {
  return throughDoor(db, ctx, { action: 'identity.separate', objectType: 'person', objectId: input.personId, details: { record: input.recordKey } }, async ({ trx, deny, note }) => {
    if (!mayResolve(ctx)) return deny('only the front door decides who is who');
    const records = await repo.recordsOfPersons(trx, ctx.partnershipId, [input.personId]);
    const record = records.find((r) => r.record_key === input.recordKey);
    if (!record) return deny('the record is not part of this person');
    const rest = records.filter((r) => r.record_key !== input.recordKey);
    if (rest.length === 0) return deny('a person’s only record cannot be separated from them');
    const now = new Date();
    const id = newId();
    await repo.insertPersons(trx, [{ id, partnership_id: ctx.partnershipId, created_at: now, updated_at: now, merged_into: null, ...personDetailsFrom([record]) }]);
    await repo.assignRecords(trx, ctx.partnershipId, new Map([[record.record_key, id]]));
    for (const other of rest) await rememberDifferent(trx, ctx, record.record_key, other.record_key, input.reason, now);
    await repo.insertChanges(trx, [
      { id: newId(), partnership_id: ctx.partnershipId, kind: 'separated', person_id: id, other_person_id: input.personId, records: JSON.stringify({ records: [record.record_key] }), basis: 'reviewer', reason: input.reason, undoes: null, actor: ctx.actor.label, at: now },
    ]);
    await refreshPersons(trx, ctx, [input.personId], now);
    await repo.rebuildProjectedLinks(trx, ctx.partnershipId, now);
    note({ newPersonId: id });
    return id;
  });
}

/** A person's records and identity history, for their page. */
export interface PersonIdentity {
  records: RecordCard[];
  history: { id: string; kind: string; basis: string; reason: string | null; actor: string; at: Date; records: string[]; otherPersonId: string | null; canUndo: boolean; role: 'kept' | 'other' }[];
  canResolve: boolean;
}

/** The records that make up a person and how they came together (for those who may read the person). */
export async function getPersonIdentity(db: Kysely<DB>, ctx: ActorContext, personId: string): Promise<PersonIdentity> {
  return throughDoor(db, ctx, { action: 'person.identity', objectType: 'person', objectId: personId }, async ({ trx, deny }) => {
    const basis = (await personAccess(trx, ctx, [personId])).get(personId);
    if (!basis || basis === 'governance') return deny('no legitimate relationship');
    const records = await repo.recordsOfPersons(trx, ctx.partnershipId, [personId]);
    const changes = await repo.changesOfPerson(trx, ctx.partnershipId, personId);
    const undone = await repo.undoneBy(trx, ctx.partnershipId, changes.map((c) => c.id));
    const canResolve = mayResolve(ctx);
    return {
      records: records.map((r) => card(r, false)),
      history: changes.map((c) => ({
        id: c.id,
        kind: c.kind,
        basis: c.basis,
        reason: c.reason,
        actor: c.actor,
        at: c.at,
        records: (c.records as { records?: string[] }).records ?? [],
        otherPersonId: c.person_id === personId ? c.other_person_id : c.person_id,
        canUndo: canResolve && c.kind === 'merged' && c.person_id === personId && !undone.has(c.id),
        role: c.person_id === personId ? ('kept' as const) : ('other' as const),
      })),
      canResolve,
    };
  });
}

/** `export identities`: every record in exactly one person, and the review queue. */
export interface IdentitiesExport {
  format: 'throughline-identities/1';
  persons: { id: string; records: string[] }[];
  reviewQueue: { records: [string, string]; score: number }[];
}

/** Who is who in the partnership, for the command line (the whole partnership, audited). */
export async function exportIdentities(db: Kysely<DB>, ctx: ActorContext): Promise<IdentitiesExport> {
  return throughDoor(db, ctx, { action: 'identity.export', objectType: 'partnership', objectId: ctx.partnershipId }, async ({ trx, deny, note }) => {
    if (ctx.actor.type === 'user') return deny('identities are exported from the command line');
    const byPerson = new Map<string, string[]>();
    for (const r of await repo.recordPersons(trx, ctx.partnershipId)) {
      // A record not yet resolved is a person of its own (it is listed exactly once either way).
      const person = r.person_id ?? `unresolved:${r.record_key}`;
      const list = byPerson.get(person) ?? [];
      list.push(r.record_key);
      byPerson.set(person, list);
    }
    const persons = [...byPerson].map(([id, records]) => ({ id, records: records.sort() })).sort((x, y) => (x.records[0]! < y.records[0]! ? -1 : 1));
    const queue = await loadPairs(trx, ctx, await repo.reviewQueue(trx, ctx.partnershipId));
    const reviewQueue = queue.map((p) => ({ records: pairKey(p.a.key, p.b.key), score: Math.round(p.score * 1e6) / 1e6 })).sort((x, y) => (x.records.join() < y.records.join() ? -1 : 1));
    note({ persons: persons.length, reviewQueue: reviewQueue.length });
    return { format: 'throughline-identities/1', persons, reviewQueue };
  });
}

/** The person each of these records belongs to now (for setting up work with imported people). */
export async function personsOfRecords(db: Kysely<DB>, ctx: ActorContext, recordKeys: readonly string[]): Promise<Map<string, string>> {
  return throughDoor(db, ctx, { action: 'identity.persons-of-records', objectType: 'record', details: { records: recordKeys.length } }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user') return deny('only set-up jobs look up persons by record');
    const out = new Map<string, string>();
    for (const r of await repo.recordsByKeys(trx, ctx.partnershipId, recordKeys)) if (r.person_id) out.set(r.record_key, r.person_id);
    return out;
  });
}
