import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliContext } from '../../src/access/cli-context.js';
import { evaluatePeople } from '../../src/alerts/evaluation.service.js';
import { addDays, todayInLondon } from '../../src/calendar/days.js';
import type { Database } from '../../src/db/database.js';
import { decideReviewPair, undoMerge } from '../../src/identity/identity.service.js';
import { runImport } from '../../src/ingest/import-run.js';
import { buildOrganisation, buildPartnership, buildUser, userContext } from '../helpers/builders.js';
import { describeEachStore } from '../helpers/stores.js';

// Issue 6: "when identities are merged or unmerged the affected people are evaluated again". A
// hospital and a GP each hold one missed appointment for a child under names too different for the
// matcher; alone, neither is a pattern. The front door decides they are one child: the evaluation
// that follows sees both misses and raises `was-not-brought`. Undoing the merge evaluates both
// again: the alert is found by the records it was raised on, still one alert, on one child.
const today = todayInLondon();

function caseFile(): string {
  return JSON.stringify({
    format: 'throughline-exchange/1',
    sources: [
      { id: 'hosp', agency: 'hospital', name: 'Northshire Hospitals', authority: 'Northshire' },
      { id: 'gp', agency: 'gp', name: 'Riverside Surgery', authority: 'Northshire' },
    ],
    records: [
      { id: 'hosp:child', source: 'hosp', givenName: 'Leo', familyName: 'Fenwick', dateOfBirth: addDays(today, -900), sex: 'male' },
      { id: 'gp:child', source: 'gp', givenName: 'Kai', familyName: 'Armitage', dateOfBirth: addDays(today, -900), sex: 'male' },
    ],
    events: [
      { id: 'hosp:e1', source: 'hosp', type: 'appointment', date: addDays(today, -40), subjects: ['hosp:child'], service: 'audiology', status: 'was-not-brought' },
      { id: 'gp:e1', source: 'gp', type: 'appointment', date: addDays(today, -20), subjects: ['gp:child'], service: 'immunisations', status: 'was-not-brought' },
    ],
  });
}

describeEachStore('evaluation after identity decisions', (target) => {
  let store: Database;
  let dir: string;
  beforeAll(async () => {
    store = await target.open();
    dir = await mkdtemp(join(tmpdir(), 'throughline-eval-identity-'));
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('raises the alert the merged records show together, and keeps it as one alert after the merge is undone', async () => {
    const partnership = await buildPartnership(store.db);
    const system = cliContext(partnership, 'test');
    const file = join(dir, `${partnership}.json`);
    await writeFile(file, caseFile());
    const run = await runImport(store.db, system, file);
    await evaluatePeople(store.db, system, { recordKeys: run.touchedRecords });
    const alerts = () => store.db.selectFrom('alerts').select(['id', 'rule', 'person_id', 'status', 'evidence']).where('partnership_id', '=', partnership).execute();
    const personOf = async (key: string) => (await store.db.selectFrom('records').select('person_id').where('partnership_id', '=', partnership).where('record_key', '=', key).executeTakeFirstOrThrow()).person_id!;
    expect(await personOf('hosp:child')).not.toBe(await personOf('gp:child'));
    expect(await alerts()).toEqual([]);

    const frontDoor = await buildOrganisation(store.db, partnership, { code: 'fd' });
    const reviewer = await buildUser(store.db, partnership, frontDoor, { roles: ['front-door'] });
    const ctx = userContext(partnership, reviewer, frontDoor, ['front-door']);
    const { personId } = await decideReviewPair(store.db, ctx, { recordA: 'hosp:child', recordB: 'gp:child', decision: 'same', reason: 'Same child: the GP record is under his stepfather’s surname.' });
    // What the web route queues after the decision commits.
    await evaluatePeople(store.db, system, { recordKeys: ['hosp:child', 'gp:child'] });
    const raised = await alerts();
    expect(raised.map((a) => [a.rule, a.person_id, a.status])).toEqual([['was-not-brought', personId, 'open']]);
    expect(raised[0]!.evidence).toEqual(expect.arrayContaining(['hosp:e1', 'gp:e1']));

    const change = await store.db.selectFrom('identity_changes').select('id').where('partnership_id', '=', partnership).where('kind', '=', 'merged').executeTakeFirstOrThrow();
    const { restored, from } = await undoMerge(store.db, ctx, change.id, 'Not the same child after all.');
    await evaluatePeople(store.db, system, { personIds: [restored, from] });
    const after = await alerts();
    expect(after).toHaveLength(1);
    expect([restored, from]).toContain(after[0]!.person_id);
    const records = await store.db.selectFrom('alert_records').select('record_key').where('alert_id', '=', after[0]!.id).execute();
    expect(records.map((r) => r.record_key).sort()).toEqual(['gp:child', 'hosp:child']);
  });
});
