import type { ChainHead } from './chain-heads.js';
import type { EvidenceStore } from './open-store.js';
import type { ChainProblem } from './verify-store.js';

const short = (hash: string) => hash.slice(0, 12);

/**
 * Proves that the chain still extends every head anchored earlier: the anchored row is still in the chain
 * with the anchored hash. Together with the link check from genesis in verifyStore, that means every row
 * the anchor vouched for is unchanged. A missing row is truncation; another hash is a rewritten tail.
 */
export async function verifyAnchors(
  store: EvidenceStore,
  anchors: readonly ChainHead[],
): Promise<ChainProblem[]> {
  const problems: ChainProblem[] = [];
  for (const anchor of anchors) {
    if (anchor.seq === 0) continue; // an empty chain vouches for nothing
    const at = { stream: anchor.stream, id: null, itemKey: null, version: null, seq: anchor.seq };
    const row = await store.db
      .selectFrom('evidence_items')
      .select(['id', 'item_key', 'version', 'row_hash'])
      .where('stream', '=', anchor.stream)
      .where('seq', '=', anchor.seq)
      .executeTakeFirst();
    if (!row) {
      const head = await store.db
        .selectFrom('chain_heads')
        .select('seq')
        .where('stream', '=', anchor.stream)
        .executeTakeFirst();
      const now = head ? `the chain now ends at row ${Number(head.seq)}` : 'the stream has no chain any more';
      problems.push({
        ...at,
        problem: `anchored head row ${anchor.seq} (hash ${short(anchor.hash)}) is gone: ${now} (truncated)`,
      });
    } else if (row.row_hash !== anchor.hash) {
      problems.push({
        ...at,
        id: Number(row.id),
        itemKey: row.item_key,
        version: row.version,
        problem: `row ${anchor.seq} has hash ${short(row.row_hash)}, the anchor recorded ${short(anchor.hash)} (the chain's tail was rewritten)`,
      });
    }
  }
  return problems;
}
