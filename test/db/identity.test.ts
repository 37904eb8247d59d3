import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { decideReviewPair, exportIdentities, separateRecord, undoMerge } from '../../src/identity/identity.service.js';
import { runImport } from '../../src/ingest/import-run.js';
import { getPersonView, searchPeople } from '../../src/people/people.service.js';
import { PersonMovedError } from '../../src/shared/errors.js';
import { buildPartnership, setupContext } from '../helpers/builders.js';
import { describeEachStore } from '../helpers/stores.js';
import { tempFolder } from '../ingest/ingest-helpers.js';

// Stored identities: persons keep their ids as records arrive, merges redirect, undo restores both
// people exactly, separation sticks, and search finds people by sound, nickname, swapped dates and
// postcode.
const SOURCES = [
  { id: 'gp', agency: 'gp', name: 'Surgery' },
  { id: 'school', agency: 'school', name: 'School' },
  { id: 'police', agency: 'police', name: 'Police' },
];
const file = (records: unknown[], events: unknown[] = []) => JSON.stringify({ format: 'throughline-exchange/1', sources: SOURCES, records, events });

describeEachStore('stored identities', (target) => {
  let store: Database;
  const folder = tempFolder('identity-db');
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store.close();
    folder.cleanup();
  });
  const personOf = async (partnership: string, key: string) =>
    (await store.db.selectFrom('records').select('person_id').where('partnership_id', '=', partnership).where('record_key', '=', key).executeTakeFirstOrThrow()).person_id!;

  it('keeps a person’s id when another agency’s record of them arrives later, and records the link', async () => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    await runImport(store.db, ctx, folder.write('a1.json', file([{ id: 'gp:1', source: 'gp', givenName: 'Thomas', familyName: 'Whitfield', dateOfBirth: '2016-04-12', sex: 'male', nhsNumber: '9434765919' }])));
    const first = await personOf(partnership, 'gp:1');
    await runImport(store.db, ctx, folder.write('a2.json', file([{ id: 'school:1', source: 'school', givenName: 'Tom', familyName: 'Whitfield', dateOfBirth: '2016-04-12', sex: 'male', nhsNumber: '943 476 5919' }])));
    expect(await personOf(partnership, 'school:1')).toBe(first);
    expect(await personOf(partnership, 'gp:1')).toBe(first);
    const changes = await store.db.selectFrom('identity_changes').select(['kind', 'person_id']).where('partnership_id', '=', partnership).orderBy('at').execute();
    expect(changes.map((c) => c.kind)).toEqual(['linked']);
    expect(changes[0]!.person_id).toBe(first);
  });

  it('merges two people when a record shows they are one; the old id redirects; undo restores both exactly', async () => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    // Two records that cannot be linked alone (no shared identifier, surname changed)...
    await runImport(store.db, ctx, folder.write('b1.json', file([
      { id: 'gp:mum', source: 'gp', givenName: 'Kelly', familyName: 'Marsh', dateOfBirth: '1994-02-03', sex: 'female', nhsNumber: '9434765870' },
      { id: 'police:mum', source: 'police', givenName: 'Kelly', familyName: 'Obi', otherNames: ['Kelly Marsh'], dateOfBirth: '1994-02-03', sex: 'female', address: { line1: '4 Weir Road', postcode: 'NS1 2AB' } },
    ])));
    const gpPerson = await personOf(partnership, 'gp:mum');
    const policePerson = await personOf(partnership, 'police:mum');
    if (gpPerson === policePerson) {
      // Linked already by score: separate them first (the rest of the test needs two people).
      await separateRecord(store.db, ctx, { personId: gpPerson, recordKey: 'police:mum', reason: 'test set-up' });
    }
    const a = await personOf(partnership, 'gp:mum');
    const b = await personOf(partnership, 'police:mum');
    expect(a).not.toBe(b);
    // ...then a reviewer says they are the same person.
    const { personId: survivor } = await decideReviewPair(store.db, ctx, { recordA: 'gp:mum', recordB: 'police:mum', decision: 'same', reason: 'same mobile number' });
    expect(survivor).not.toBeNull();
    expect(await personOf(partnership, 'gp:mum')).toBe(survivor);
    expect(await personOf(partnership, 'police:mum')).toBe(survivor);
    const gone = survivor === a ? b : a;
    await expect(getPersonView(store.db, ctx, gone)).rejects.toEqual(new PersonMovedError(survivor!));

    // A later import does not undo the reviewer's decision.
    await runImport(store.db, ctx, folder.write('b2.json', file([{ id: 'school:x', source: 'school', givenName: 'Unrelated', familyName: 'Child', dateOfBirth: '2018-01-01' }])));
    expect(await personOf(partnership, 'police:mum')).toBe(survivor);

    const merge = await store.db.selectFrom('identity_changes').select('id').where('partnership_id', '=', partnership).where('kind', '=', 'merged').where('basis', '=', 'reviewer').executeTakeFirstOrThrow();
    await undoMerge(store.db, ctx, merge.id, 'the dates of birth were a coincidence');
    expect(await personOf(partnership, 'gp:mum')).toBe(a);
    expect(await personOf(partnership, 'police:mum')).toBe(b);
    expect((await getPersonView(store.db, ctx, gone)).person.id).toBe(gone);
    // And they stay apart through the next resolution.
    await runImport(store.db, ctx, folder.write('b3.json', file([{ id: 'school:y', source: 'school', givenName: 'Another', familyName: 'Child', dateOfBirth: '2019-01-01' }])));
    expect(await personOf(partnership, 'gp:mum')).not.toBe(await personOf(partnership, 'police:mum'));
    await expect(undoMerge(store.db, ctx, merge.id, 'again')).rejects.toThrow();
  });

  it('never links two children with different valid NHS numbers, and exports every record once', async () => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    await runImport(store.db, ctx, folder.write('c.json', file([
      { id: 'gp:t1', source: 'gp', givenName: 'Amelia', familyName: 'Stone', dateOfBirth: '2020-06-01', sex: 'female', nhsNumber: '9434765919', address: { line1: '1 Elm Way', postcode: 'NS1 1AA' } },
      { id: 'gp:t2', source: 'gp', givenName: 'Amelia', familyName: 'Stone', dateOfBirth: '2020-06-01', sex: 'female', nhsNumber: '9434765870', address: { line1: '1 Elm Way', postcode: 'NS1 1AA' } },
    ])));
    expect(await personOf(partnership, 'gp:t1')).not.toBe(await personOf(partnership, 'gp:t2'));
    const exported = await exportIdentities(store.db, ctx);
    expect(exported.persons.flatMap((p) => p.records).sort()).toEqual(['gp:t1', 'gp:t2']);
  });

  it('finds people by a name that sounds alike, a nickname, a swapped date of birth, an NHS number or a postcode', async () => {
    const partnership = await buildPartnership(store.db);
    const ctx = setupContext(partnership);
    await runImport(store.db, ctx, folder.write('d.json', file([
      { id: 'gp:k', source: 'gp', givenName: 'Katherine', familyName: 'Macdonald', dateOfBirth: '2017-03-09', sex: 'female', nhsNumber: '9434765919', address: { line1: '9 Mill Row', postcode: 'NS4 7TT' } },
      { id: 'gp:z', source: 'gp', givenName: 'Zoe', familyName: 'Pritchard', dateOfBirth: '2015-11-20', sex: 'female' },
    ])));
    const kate = await personOf(partnership, 'gp:k');
    const names = async (query: Parameters<typeof searchPeople>[2]) => (await searchPeople(store.db, ctx, query)).map((p) => p.id);
    expect(await names({ name: 'Kate MacDonald' })).toContain(kate);
    expect(await names({ name: 'Katherine Mcdonald' })).toContain(kate);
    expect(await names({ dateOfBirth: '2017-09-03' })).toEqual([kate]);
    expect(await names({ nhsNumber: '943 476 5919' })).toEqual([kate]);
    expect(await names({ postcode: 'ns47tt' })).toEqual([kate]);
    expect(await names({ name: 'Katherine', postcode: 'NS1 1AA' })).toEqual([]);
    expect(await names({ name: 'Pritchard' })).not.toContain(kate);
  });
});
