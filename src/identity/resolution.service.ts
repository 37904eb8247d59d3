// Identity resolution over a partnership's stored records: the matcher resolves every record (with
// the reviewers' decisions, unborn babies' mothers and births), and the outcome is reconciled with
// the persons already held, so that persons keep their ids. Every change is written to
// identity_changes; the review queue is replaced; family links are projected onto persons again.
import type { Insertable, Kysely, Transaction } from 'kysely';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import type { DB, IdentityChangesTable, PersonsTable } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import * as repo from './identity.repository.js';
import { Matcher, type ReviewDecision } from './matcher.js';
import type { IdentityRecordInput } from './normalise.js';
import { personDetailsFrom } from './person-details.js';
import { reconcile, type IdentityChange } from './reconcile.js';

/** What a resolution did, for the import summary and logs. */
export interface ResolutionOutcome {
  records: number;
  persons: number;
  created: number;
  merged: number;
  reviewQueue: number;
}

/** A stored record as the matcher reads it. */
export function matcherInput(r: repo.MatchableRecord): IdentityRecordInput {
  const address = typeof r.address === 'string' ? (JSON.parse(r.address) as IdentityRecordInput['address']) : (r.address as IdentityRecordInput['address']);
  const otherNames = typeof r.other_names === 'string' ? (JSON.parse(r.other_names) as string[]) : (r.other_names as string[] | null);
  return {
    id: r.record_key,
    source: r.source_key,
    sourceRecordId: r.source_record_id,
    kind: r.kind,
    givenName: r.given_name,
    familyName: r.family_name,
    otherNames,
    dateOfBirth: r.date_of_birth,
    expectedDate: r.expected_date,
    sex: r.sex,
    // An NHS number with a wrong check digit is never trusted for matching.
    nhsNumber: r.nhs_number_valid ? r.nhs_number : null,
    upn: r.upn,
    address: address ?? null,
    phone: r.phone,
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Resolves who is who across every record of the actor's partnership and brings the stored persons
 * into line, keeping persons' ids. One transaction, audited.
 */
export async function resolveIdentities(db: Kysely<DB>, ctx: ActorContext, options: { evaluationDate?: string } = {}): Promise<ResolutionOutcome> {
  return throughDoor(db, ctx, { action: 'identity.resolve', objectType: 'partnership', objectId: ctx.partnershipId }, async ({ trx, note, deny }) => {
    // After an import (command line, job, or an administrator's upload), or by the front door.
    if (ctx.actor.type === 'user' && !hasRole(ctx, 'admin') && !hasRole(ctx, 'front-door')) deny('only imports and the front door resolve identities');
    const outcome = await resolveInTransaction(trx, ctx, options.evaluationDate ?? today());
    note({ ...outcome });
    return outcome;
  });
}

async function resolveInTransaction(trx: Transaction<DB>, ctx: ActorContext, evaluationDate: string): Promise<ResolutionOutcome> {
  const pid = ctx.partnershipId;
  const records = await repo.allRecords(trx, pid);
  const decisions: ReviewDecision[] = [];
  for (const d of await repo.currentDecisions(trx, pid)) {
    if (d.decision !== 'ask') decisions.push({ records: [d.record_a, d.record_b], decision: d.decision });
  }
  // A birth makes the unborn record and the baby's record one person (exchange format, "birth").
  for (const b of await repo.births(trx, pid)) decisions.push({ records: [b.unborn, b.child], decision: 'same' });
  const matcher = new Matcher(undefined, { evaluationDate, decisions });
  matcher.add(records.map(matcherInput));
  const known = new Set(records.map((r) => r.record_key));
  for (const u of await repo.unbornLinks(trx, pid)) if (known.has(u.unborn) && known.has(u.mother)) matcher.addUnbornOf(u.unborn, u.mother);
  const resolution = matcher.resolve();

  const current = new Map(records.map((r) => [r.record_key, r.person_id] as const));
  const heldIds = [...new Set(records.map((r) => r.person_id).filter((p): p is string => p !== null))];
  const held = new Map((await repo.personsCreated(trx, pid, heldIds)).map((p) => [p.id, { id: p.id, createdAt: new Date(p.created_at).getTime() }] as const));
  const result = reconcile({ groups: resolution.persons, current, persons: held, newId });
  const now = new Date();

  // New persons first (records point at them), with their details from their records.
  const byKey = new Map(records.map((r) => [r.record_key, r] as const));
  const membersOf = new Map<string, repo.MatchableRecord[]>();
  for (const r of records) {
    const person = result.assignments.get(r.record_key) ?? r.person_id;
    if (!person || !result.affected.has(person)) continue;
    const list = membersOf.get(person) ?? [];
    list.push(r);
    membersOf.set(person, list);
  }
  const createdRows: Insertable<PersonsTable>[] = result.created.map((id) => ({
    id,
    partnership_id: pid,
    created_at: now,
    updated_at: now,
    merged_into: null,
    ...personDetailsFrom(membersOf.get(id) ?? []),
  }));
  await repo.insertPersons(trx, createdRows);
  await repo.assignRecords(trx, pid, result.assignments);
  const redirectedBy = new Map<string, string[]>();
  for (const [merged, survivor] of result.mergedInto) redirectedBy.set(merged, await repo.markMerged(trx, pid, merged, survivor, now));
  const created = new Set(result.created);
  for (const person of result.affected) {
    if (created.has(person) || result.mergedInto.has(person)) continue;
    const members = membersOf.get(person);
    if (members && members.length > 0) await repo.updatePersonDetails(trx, person, { ...personDetailsFrom(members), updated_at: now });
  }
  await repo.insertChanges(trx, result.changes.map((c) => changeRow(ctx, c, now, redirectedBy)));

  // The review queue: pairs for a person to decide (those already decided are not asked again).
  await repo.replaceReviewQueue(
    trx,
    pid,
    resolution.reviewQueue
      .filter((item) => byKey.has(item.records[0]) && byKey.has(item.records[1]))
      .map((item) => {
        const [a, b] = [...item.records].sort() as [string, string];
        return { partnership_id: pid, record_a: a, record_b: b, score: item.score, explanation: JSON.stringify({ why: item.why, ...item.explanation }), queued_at: now };
      }),
  );
  await repo.rebuildProjectedLinks(trx, pid, now);
  return {
    records: records.length,
    persons: resolution.persons.length,
    created: result.created.length,
    merged: result.mergedInto.size,
    reviewQueue: resolution.reviewQueue.length,
  };
}

function changeRow(ctx: ActorContext, c: IdentityChange, at: Date, redirectedBy: ReadonlyMap<string, string[]>): Insertable<IdentityChangesTable> {
  const other = c.kind === 'merged' || c.kind === 'separated' ? c.other : null;
  const redirected = c.kind === 'merged' ? (redirectedBy.get(c.other) ?? []) : [];
  return {
    id: newId(),
    partnership_id: ctx.partnershipId,
    kind: c.kind,
    person_id: c.person,
    other_person_id: other,
    records: JSON.stringify({ records: c.records, redirected }),
    basis: 'automatic',
    reason: null,
    undoes: null,
    actor: ctx.actor.label,
    at,
  };
}
