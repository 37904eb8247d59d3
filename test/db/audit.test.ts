import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendAnonymousAudit, appendAudit, SYSTEM_CHAIN_ID } from '../../src/audit/audit.service.js';
import { verifyAuditChains } from '../../src/audit/audit-verify.service.js';
import type { Database } from '../../src/db/database.js';
import { buildPartnership, setupContext } from '../helpers/builders.js';
import { describeEachStore } from '../helpers/stores.js';

describeEachStore('audit trail', (target) => {
  let store: Database;
  let partnershipA: string;
  let partnershipB: string;

  beforeAll(async () => {
    store = await target.open();
    partnershipA = await buildPartnership(store.db);
    partnershipB = await buildPartnership(store.db);
    for (let i = 0; i < 5; i++) {
      await store.db.transaction().execute((trx) => appendAudit(trx, setupContext(partnershipA), { action: 'test.a', details: { i, nested: { z: 1, a: 2 } } }));
      await store.db.transaction().execute((trx) => appendAudit(trx, setupContext(partnershipB), { action: 'test.b', objectType: 'thing', objectId: String(i) }));
    }
    await store.db.transaction().execute((trx) =>
      appendAnonymousAudit(trx, { partnershipId: null, actorLabel: 'unknown email', purpose: 'sign in', correlationId: 'c', ip: null }, { action: 'auth.sign-in', outcome: 'failure' }),
    );
  });
  afterAll(() => store.close());

  it('chains each partnership separately, numbered from 1, and verifies intact', async () => {
    const rows = await store.db.selectFrom('audit_log').select(['chain_id', 'seq', 'prev_hash', 'hash']).orderBy('chain_id').orderBy('seq').execute();
    const a = rows.filter((r) => r.chain_id === partnershipA);
    expect(a.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < a.length; i++) expect(a[i]!.prev_hash).toBe(a[i - 1]!.hash);
    expect(rows.filter((r) => r.chain_id === SYSTEM_CHAIN_ID)).toHaveLength(1);
    const report = await verifyAuditChains(store.db);
    expect(report.intact).toBe(true);
    expect(report.chains).toHaveLength(3);
  });

  it('keeps concurrent writers of one chain in a single unbroken line', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.db.transaction().execute((trx) => appendAudit(trx, setupContext(partnershipA), { action: 'test.concurrent', details: { i } }))),
    );
    const seqs = (await store.db.selectFrom('audit_log').select('seq').where('chain_id', '=', partnershipA).orderBy('seq').execute()).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect((await verifyAuditChains(store.db)).intact).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await expect(sql`update audit_log set action = 'forged'`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChains(store.db)).intact).toBe(true);
  });

  it('detects a row altered behind the application’s back, naming the first broken link', async () => {
    // An attacker with superuser rights switches the triggers off and edits a row.
    await store.db.connection().execute(async (conn) => {
      await sql`alter table audit_log disable trigger audit_log_no_update_or_delete`.execute(conn);
      await sql`update audit_log set purpose = 'nothing to see' where chain_id = ${partnershipB} and seq = 3`.execute(conn);
      await sql`alter table audit_log enable trigger audit_log_no_update_or_delete`.execute(conn);
    });
    const report = await verifyAuditChains(store.db);
    expect(report.intact).toBe(false);
    const broken = report.chains.find((c) => c.chainId === partnershipB)!;
    expect(broken.firstBreak).toMatchObject({ seq: 3, problem: expect.stringMatching(/altered/) });
    expect(report.chains.find((c) => c.chainId === partnershipA)!.intact).toBe(true);
  });

  it('detects a row removed behind the application’s back', async () => {
    await store.db.connection().execute(async (conn) => {
      await sql`alter table audit_log disable trigger audit_log_no_update_or_delete`.execute(conn);
      await sql`delete from audit_log where chain_id = ${partnershipA} and seq = 2`.execute(conn);
      await sql`alter table audit_log enable trigger audit_log_no_update_or_delete`.execute(conn);
    });
    const chain = (await verifyAuditChains(store.db)).chains.find((c) => c.chainId === partnershipA)!;
    expect(chain.intact).toBe(false);
    expect(chain.firstBreak).toMatchObject({ seq: 2, problem: expect.stringMatching(/missing/) });
  });
});
