import type { Kysely } from 'kysely';
import { readablePersonIds } from '../access/access-policy.js';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import type { DB, InvolvementRole, LinkType } from '../db/schema.js';
import { NotFoundError, AccessDeniedError } from '../shared/errors.js';
import { isUuid, newId } from '../shared/ids.js';
import { findAllocatedPersonIds, findPersons, insertInvolvement, insertPerson, insertPersonLink, type PersonRow } from './people.repository.js';

/** A person as the web and CLI show them. */
export interface PersonSummary {
  id: string;
  kind: 'person' | 'unborn';
  name: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDate: string | null;
  sex: string;
  nhsNumber: string | null;
  restricted: boolean;
}

function toSummary(row: PersonRow): PersonSummary {
  const name = [row.given_name, row.family_name].filter(Boolean).join(' ') || (row.kind === 'unborn' ? 'Unborn baby' : 'Name not recorded');
  return {
    id: row.id,
    kind: row.kind,
    name,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    expectedDate: row.expected_date,
    sex: row.sex,
    nhsNumber: row.nhs_number,
    restricted: row.restricted,
  };
}

/**
 * Reads one person. A person who does not exist and a person the actor may not see give the same
 * NotFoundError, so refusal never reveals that a record exists; the refusal is audited as denied.
 */
export async function getPerson(db: Kysely<DB>, ctx: ActorContext, personId: string): Promise<PersonSummary> {
  try {
    return await throughDoor(db, ctx, { action: 'person.read', objectType: 'person', objectId: personId }, async ({ trx, deny }) => {
      if (!isUuid(personId)) deny('not a person id');
      const allowed = await readablePersonIds(trx, ctx, [personId]);
      if (!allowed.has(personId)) deny('no legitimate relationship');
      const [row] = await findPersons(trx, ctx.partnershipId, [personId]);
      if (!row) return deny('no such person');
      return toSummary(row);
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Person not found');
    throw error;
  }
}

/** The people allocated to the signed-in user ("My work"), filtered set-wise by what they may read. */
export async function listMyWork(db: Kysely<DB>, ctx: ActorContext): Promise<PersonSummary[]> {
  return throughDoor(db, ctx, { action: 'person.list', objectType: 'person', details: { list: 'my-work' } }, async ({ trx, note }) => {
    if (ctx.actor.type !== 'user') return [];
    const ids = await findAllocatedPersonIds(trx, ctx.partnershipId, ctx.actor.id);
    const allowed = await readablePersonIds(trx, ctx, ids);
    const rows = await findPersons(trx, ctx.partnershipId, [...allowed]);
    note({ count: rows.length, personIds: rows.map((r) => r.id) });
    return rows.map(toSummary).sort((a, b) => a.name.localeCompare(b.name));
  });
}

export interface NewPerson {
  kind?: 'person' | 'unborn';
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  expectedDate?: string | null;
  sex?: 'female' | 'male' | 'unknown';
  nhsNumber?: string | null;
  restricted?: boolean;
}

/** Records a new person. Only the command line, system jobs and admins may create people directly. */
export async function createPerson(db: Kysely<DB>, ctx: ActorContext, person: NewPerson): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'person.create', objectType: 'person', objectId: id }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user' && !hasRole(ctx, 'admin')) deny('only an administrator may create people directly');
    await insertPerson(trx, {
      id,
      partnership_id: ctx.partnershipId,
      kind: person.kind ?? 'person',
      given_name: person.givenName ?? null,
      family_name: person.familyName ?? null,
      date_of_birth: person.dateOfBirth ?? null,
      expected_date: person.expectedDate ?? null,
      sex: person.sex ?? 'unknown',
      nhs_number: person.nhsNumber ?? null,
      restricted: person.restricted ?? false,
      created_at: new Date(),
    });
  });
  return id;
}

/** Records that `fromId` is the `type` of `toId` (e.g. mother of). */
export async function linkPeople(
  db: Kysely<DB>,
  ctx: ActorContext,
  link: { fromId: string; toId: string; type: LinkType; startDate?: string | null; endDate?: string | null; livesElsewhere?: boolean },
): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'person-link.create', objectType: 'person-link', objectId: id }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user' && !hasRole(ctx, 'admin')) deny('only an administrator may link people directly');
    await insertPersonLink(trx, {
      id,
      partnership_id: ctx.partnershipId,
      from_person_id: link.fromId,
      to_person_id: link.toId,
      type: link.type,
      start_date: link.startDate ?? null,
      end_date: link.endDate ?? null,
      lives_elsewhere: link.livesElsewhere ?? false,
      created_at: new Date(),
    });
  });
  return id;
}

/** Records an organisation's involvement with a person (managers allocate; the CLI and jobs too). */
export async function addInvolvement(
  db: Kysely<DB>,
  ctx: ActorContext,
  involvement: { personId: string; organisationId: string; role: InvolvementRole; workerUserId?: string | null; startDate: string; endDate?: string | null },
): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'involvement.create', objectType: 'person', objectId: involvement.personId }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user' && !hasRole(ctx, 'manager') && !hasRole(ctx, 'admin')) deny('only a manager may allocate work');
    await insertInvolvement(trx, {
      id,
      partnership_id: ctx.partnershipId,
      person_id: involvement.personId,
      organisation_id: involvement.organisationId,
      worker_user_id: involvement.workerUserId ?? null,
      role: involvement.role,
      start_date: involvement.startDate,
      end_date: involvement.endDate ?? null,
      created_at: new Date(),
    });
  });
  return id;
}
