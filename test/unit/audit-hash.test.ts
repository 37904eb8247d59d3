import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashAuditRow, type HashedAuditContent } from '../../src/audit/audit-hash.js';

const row: HashedAuditContent = {
  id: '1b9f6a2e-4c1d-4e5f-8a7b-0c1d2e3f4a5b',
  chain_id: '2b9f6a2e-4c1d-4e5f-8a7b-0c1d2e3f4a5b',
  seq: 1,
  partnership_id: '2b9f6a2e-4c1d-4e5f-8a7b-0c1d2e3f4a5b',
  occurred_at: new Date('2026-01-02T03:04:05.678Z'),
  actor_type: 'user',
  actor_id: 'u1',
  actor_label: 'Sam Lee',
  organisation_id: null,
  action: 'person.read',
  object_type: 'person',
  object_id: 'p1',
  purpose: 'case work',
  outcome: 'success',
  correlation_id: 'c1',
  ip: '127.0.0.1',
  details: { b: 1, a: [1, { d: 2, c: 3 }] },
  prev_hash: GENESIS_HASH,
};

describe('audit row hash', () => {
  it('is a SHA-256 hex digest that changes when any column changes', () => {
    const base = hashAuditRow(row);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    for (const [key, value] of Object.entries({ action: 'person.update', seq: 2, purpose: null, details: {}, prev_hash: 'f'.repeat(64), occurred_at: new Date(0) })) {
      expect(hashAuditRow({ ...row, [key]: value } as HashedAuditContent)).not.toBe(base);
    }
  });

  it('does not depend on the order of keys in details (jsonb reorders them)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (details) => {
        const reversed = Object.fromEntries(Object.entries(details).reverse());
        expect(hashAuditRow({ ...row, details })).toBe(hashAuditRow({ ...row, details: reversed }));
      }),
    );
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });
});
