import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { GENESIS_HASH, hashAuditRow } from './audit-hash.js';

export interface ChainReport {
  chainId: string;
  rows: number;
  intact: boolean;
  /** The first broken link, in plain words, when the chain is not intact. */
  firstBreak?: { seq: number; id: string | null; problem: string };
}

export interface VerifyReport {
  intact: boolean;
  chains: ChainReport[];
}

const PAGE = 5000;

/**
 * Recomputes every row's hash and checks each row points at the one before it, chain by chain,
 * reading in pages so a long trail needs little memory. Reports the first broken link per chain:
 * a row whose content no longer matches its hash (altered), a gap in the sequence (removed), or a
 * row whose previous-hash does not match its predecessor (inserted or reordered).
 */
export async function verifyAuditChains(db: Kysely<DB>, onProgress: (rows: number) => void = () => {}, onlyChain?: string): Promise<VerifyReport> {
  let query = db.selectFrom('audit_log').select('chain_id').distinct().orderBy('chain_id');
  if (onlyChain) query = query.where('chain_id', '=', onlyChain);
  const chainIds = (await query.execute()).map((r) => r.chain_id);
  const chains: ChainReport[] = [];
  let checked = 0;
  for (const chainId of chainIds) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let rows = 0;
    let firstBreak: ChainReport['firstBreak'];
    for (;;) {
      const page = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('chain_id', '=', chainId)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const row of page) {
        rows++;
        if (firstBreak) continue;
        if (row.seq !== expectedSeq) {
          firstBreak = { seq: expectedSeq, id: null, problem: `row ${expectedSeq} is missing (the next row is ${row.seq})` };
        } else if (row.prev_hash !== prevHash) {
          firstBreak = { seq: row.seq, id: row.id, problem: `row ${row.seq} does not follow row ${row.seq - 1} (its previous-hash differs)` };
        } else if (hashAuditRow(row) !== row.hash) {
          firstBreak = { seq: row.seq, id: row.id, problem: `row ${row.seq} was altered after it was written (its hash no longer matches)` };
        }
        expectedSeq = row.seq + 1;
        prevHash = row.hash;
      }
      checked += page.length;
      onProgress(checked);
      if (page.length < PAGE) break;
    }
    chains.push({ chainId, rows, intact: !firstBreak, ...(firstBreak ? { firstBreak } : {}) });
  }
  return { intact: chains.every((c) => c.intact), chains };
}
