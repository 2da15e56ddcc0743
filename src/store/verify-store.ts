import { chainHash, GENESIS_HASH, sha256 } from './canonical.js';
import type { EvidenceStore } from './open-store.js';

export interface ChainProblem {
  readonly stream: string;
  readonly id: number | null;
  readonly itemKey: string | null;
  readonly version: number | null;
  readonly seq: number;
  readonly problem: string;
}

export interface VerifyReport {
  readonly streams: number;
  readonly rows: number;
  readonly problems: readonly ChainProblem[];
}

/**
 * Recomputes every payload hash and every chain link, stream by stream, in `seq` order. An edited row breaks
 * its payload hash or its link; a deleted row leaves a hole in `seq` or a head that no row reaches.
 */
export async function verifyStore(store: EvidenceStore, pageSize = 5_000): Promise<VerifyReport> {
  const heads = await store.db.selectFrom('chain_heads').selectAll().orderBy('stream').execute();
  const problems: ChainProblem[] = [];
  let rows = 0;
  const streams = new Set(heads.map((head) => head.stream));
  const orphanStreams = await store.db.selectFrom('evidence_items').select('stream').distinct().execute();
  for (const { stream } of orphanStreams) {
    if (!streams.has(stream))
      problems.push({
        stream,
        id: null,
        itemKey: null,
        version: null,
        seq: 0,
        problem: 'rows exist but the chain head is missing',
      });
  }
  for (const head of heads) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let afterSeq = 0;
    for (;;) {
      const page = await store.db
        .selectFrom('evidence_items')
        .selectAll()
        .where('stream', '=', head.stream)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of page) {
        rows += 1;
        const at = {
          stream: row.stream,
          id: Number(row.id),
          itemKey: row.item_key,
          version: row.version,
          seq: Number(row.seq),
        };
        if (Number(row.seq) !== expectedSeq) {
          problems.push({
            ...at,
            problem: `rows ${expectedSeq}..${Number(row.seq) - 1} of the chain are missing (deleted)`,
          });
        }
        if (sha256(row.payload) !== row.payload_sha256) {
          problems.push({ ...at, problem: 'payload does not match its SHA-256 (edited)' });
        }
        if (row.prev_hash !== prevHash)
          problems.push({ ...at, problem: 'link to the previous row is broken' });
        const expected = chainHash(row.prev_hash, {
          ...row,
          seq: Number(row.seq),
          occurred_at: Number(row.occurred_at),
          collected_at: Number(row.collected_at),
        });
        if (expected !== row.row_hash)
          problems.push({ ...at, problem: 'row hash does not match its fields (edited)' });
        prevHash = row.row_hash;
        expectedSeq = Number(row.seq) + 1;
      }
      const last = page.at(-1);
      if (!last || page.length < pageSize) break;
      afterSeq = Number(last.seq);
    }
    if (expectedSeq - 1 !== Number(head.seq) || prevHash !== head.hash) {
      problems.push({
        stream: head.stream,
        id: null,
        itemKey: null,
        version: null,
        seq: Number(head.seq),
        problem: `chain ends at row ${expectedSeq - 1} but its head records row ${Number(head.seq)} (rows deleted or head edited)`,
      });
    }
  }
  return { streams: heads.length, rows, problems };
}
