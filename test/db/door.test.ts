import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throughDoor } from '../../src/access/door.js';
import type { Database } from '../../src/db/database.js';
import { addInvolvement, createPerson, getPersonView, listHome, searchPeople } from '../../src/people/people.service.js';
import { AccessDeniedError, NotFoundError } from '../../src/shared/errors.js';
import { newId } from '../../src/shared/ids.js';
import { buildOrganisation, buildPartnership, buildUser, setupContext, userContext } from '../helpers/builders.js';
import { describeEachStore } from '../helpers/stores.js';

describeEachStore('the data-access door', (target) => {
  let store: Database;
  let partnership: string;
  let otherPartnership: string;
  let school: string;
  let police: string;
  let child: string;
  let strangerChild: string;
  let foreignChild: string;
  let dsl: { id: string };
  let officer: { id: string };
  let frontDoor: { id: string };

  beforeAll(async () => {
    store = await target.open();
    const db = store.db;
    partnership = await buildPartnership(db);
    otherPartnership = await buildPartnership(db);
    school = await buildOrganisation(db, partnership, { agency: 'school' });
    police = await buildOrganisation(db, partnership, { agency: 'police' });
    const csc = await buildOrganisation(db, partnership);
    dsl = await buildUser(db, partnership, school);
    officer = await buildUser(db, partnership, police);
    frontDoor = await buildUser(db, partnership, csc, { roles: ['front-door'] });
    const setup = setupContext(partnership);
    child = await createPerson(db, setup, { givenName: 'Ruby', familyName: 'Test', dateOfBirth: '2019-01-01' });
    strangerChild = await createPerson(db, setup, { givenName: 'Other', familyName: 'Child' });
    await addInvolvement(db, setup, { personId: child, organisationId: school, role: 'team-around-child', workerUserId: dsl.id, startDate: '2024-09-01' });
    foreignChild = await createPerson(db, setupContext(otherPartnership), { givenName: 'Foreign', familyName: 'Child' });
  });
  afterAll(() => store.close());

  const auditRows = (objectId: string) =>
    store.db.selectFrom('audit_log').selectAll().where('object_id', '=', objectId).where('action', '=', 'person.read').orderBy('seq').execute();

  it('lets an organisation with an involvement read the person, and audits the read in the same transaction', async () => {
    const ctx = userContext(partnership, dsl, school, ['practitioner']);
    const view = await getPersonView(store.db, ctx, child);
    expect(view.person.name).toBe('Ruby Test');
    expect(view.basis).toBe('involvement');
    const rows = await auditRows(child);
    expect(rows.at(-1)).toMatchObject({ actor_id: dsl.id, outcome: 'success', correlation_id: ctx.correlationId, purpose: 'test' });
  });

  it('answers "not found" for a person the user has no relationship with, exactly as for one that does not exist, and audits the refusal', async () => {
    const ctx = userContext(partnership, officer, police, ['practitioner']);
    const refused = await getPersonView(store.db, ctx, child).catch((e: unknown) => e);
    const missingId = newId();
    const missing = await getPersonView(store.db, ctx, missingId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotFoundError);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((refused as Error).message).toBe((missing as Error).message);
    expect((await auditRows(child)).at(-1)).toMatchObject({ actor_id: officer.id, outcome: 'denied' });
    expect((await auditRows(missingId)).at(-1)).toMatchObject({ outcome: 'denied' });
  });

  it('never crosses partnerships, whatever the role', async () => {
    const ctx = userContext(partnership, frontDoor, school, ['front-door']);
    await expect(getPersonView(store.db, ctx, strangerChild)).resolves.toMatchObject({ person: { id: strangerChild }, basis: 'front-door' });
    await expect(getPersonView(store.db, ctx, foreignChild)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('treats a malformed id as not found', async () => {
    const ctx = userContext(partnership, frontDoor, school, ['front-door']);
    await expect(getPersonView(store.db, ctx, "1' or '1'='1")).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists "My work" set-wise and audits the list with the ids shown', async () => {
    const ctx = userContext(partnership, dsl, school, ['practitioner']);
    const { allocated } = await listHome(store.db, ctx);
    expect(allocated.map((p) => p.id)).toEqual([child]);
    const row = await store.db.selectFrom('audit_log').select('details').where('correlation_id', '=', ctx.correlationId).executeTakeFirstOrThrow();
    expect(row.details).toMatchObject({ personIds: [child] });
  });

  it('refuses writes to users without the role, leaving no data and a denied audit row', async () => {
    const ctx = userContext(partnership, dsl, school, ['practitioner']);
    await expect(createPerson(store.db, ctx, { givenName: 'Sneaky' })).rejects.toBeInstanceOf(AccessDeniedError);
    const rows = await store.db.selectFrom('audit_log').selectAll().where('correlation_id', '=', ctx.correlationId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'person.create', outcome: 'denied' });
  });

  it('finds a person the user works with even behind hundreds of same-name people they may not see', async () => {
    const setup = setupContext(partnership);
    const now = new Date();
    await store.db
      .insertInto('persons')
      .values(Array.from({ length: 620 }, (_, i) => ({ id: newId(), partnership_id: partnership, kind: 'person' as const, given_name: `A${String(i).padStart(3, '0')}`, family_name: 'Commonname', sex: 'unknown' as const, created_at: now })))
      .execute();
    const known = await createPerson(store.db, setup, { givenName: 'Zed', familyName: 'Commonname' });
    await addInvolvement(store.db, setup, { personId: known, organisationId: school, role: 'team-around-child', startDate: '2025-01-01' });
    const found = await searchPeople(store.db, userContext(partnership, dsl, school, ['practitioner']), { name: 'commonname' });
    expect(found.map((p) => p.id)).toEqual([known]);
  });

  describe('transactions', () => {
    it('rolls back the work and writes no success row when the work fails', async () => {
      const ctx = setupContext(partnership);
      const before = await store.db.selectFrom('persons').select('id').execute();
      await expect(
        throughDoor(store.db, ctx, { action: 'test.fail' }, async ({ trx }) => {
          await trx.insertInto('persons').values({ id: newId(), partnership_id: partnership, kind: 'person', sex: 'unknown', restricted: false, created_at: new Date() }).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.db.selectFrom('persons').select('id').execute()).toHaveLength(before.length);
      expect(await store.db.selectFrom('audit_log').select('id').where('correlation_id', '=', ctx.correlationId).execute()).toHaveLength(0);
    });
  });
});
