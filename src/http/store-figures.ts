import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger, type Run } from '../store/run-ledger.js';

/** Read-only figures the metrics and the status page take from the store; one query each, grouped. */

export async function itemsPerStream(store: EvidenceStore): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('evidence_items')
    .select(['stream', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('stream')
    .execute();
  return new Map(rows.map((row) => [row.stream, Number(row.count)]));
}

export async function runsByStatus(
  store: EvidenceStore,
): Promise<{ stream: string; status: string; count: number }[]> {
  return new RunLedger(store).countsByStatus();
}

export async function watermarks(store: EvidenceStore): Promise<Map<string, number | null>> {
  const rows = await store.db.selectFrom('stream_state').select(['stream', 'watermark']).execute();
  return new Map(rows.map((row) => [row.stream, row.watermark === null ? null : Number(row.watermark)]));
}

/** The most recently started run of each stream (any status; the later window first on a tie). */
export async function lastRuns(store: EvidenceStore, streams: readonly string[]): Promise<Map<string, Run>> {
  return new RunLedger(store).latestPerStream(streams);
}
