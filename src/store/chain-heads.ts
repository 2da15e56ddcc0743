import { z } from 'zod';
import type { EvidenceStore } from './open-store.js';

/** Where a stream's hash chain ends: its last row's seq and row hash (seq 0 and the genesis hash when empty). */
export const chainHeadSchema = z.object({
  stream: z.string().min(1),
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex'),
});

export type ChainHead = z.infer<typeof chainHeadSchema>;

/** Every stream's chain head, by stream id: what an export anchors outside the store. */
export async function readChainHeads(store: EvidenceStore): Promise<ChainHead[]> {
  const rows = await store.db.selectFrom('chain_heads').selectAll().orderBy('stream').execute();
  return rows.map((row) => ({ stream: row.stream, seq: Number(row.seq), hash: row.hash }));
}
