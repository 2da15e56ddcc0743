import type { EvidenceStore } from '../store/open-store.js';
import type { Run } from '../store/run-ledger.js';

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
  const rows = await store.db
    .selectFrom('runs')
    .select(['stream', 'status', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy(['stream', 'status'])
    .execute();
  return rows.map((row) => ({ stream: row.stream, status: row.status, count: Number(row.count) }));
}

export async function watermarks(store: EvidenceStore): Promise<Map<string, number | null>> {
  const rows = await store.db.selectFrom('stream_state').select(['stream', 'watermark']).execute();
  return new Map(rows.map((row) => [row.stream, row.watermark === null ? null : Number(row.watermark)]));
}

/** The most recently started run of each stream (any status; the later window first on a tie). */
export async function lastRuns(store: EvidenceStore, streams: readonly string[]): Promise<Map<string, Run>> {
  const result = new Map<string, Run>();
  // One indexed query per stream beats a window function that SQLite and PostgreSQL spell differently.
  for (const stream of streams) {
    const run = await store.db
      .selectFrom('runs')
      .selectAll()
      .where('stream', '=', stream)
      .orderBy('started_at', 'desc')
      .orderBy('window_end', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (run) result.set(stream, run);
  }
  return result;
}
