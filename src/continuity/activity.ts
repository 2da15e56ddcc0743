import { sql } from 'kysely';
import type { EvidenceStore } from '../store/open-store.js';
import { alignDown, type Window } from '../time.js';
import { ascending, intListAgg, parseIntList } from '../store/int-list.js';

/** A stream's items in one time chunk of `period`, counted in the database, never read. */
export interface ActivityChunk {
  readonly items: number;
  readonly exceptions: number;
  /** Starts of the grid buckets holding an item that records activity at the source (not `quiet`). */
  readonly active: readonly number[];
}

const CHUNK_BUCKETS = 5_000;

/**
 * Counts of a stream's items in [from, to) and its active buckets as one number list: two range scans of
 * the (stream, occurred_at) index, aggregated in the database (test/continuity/ledger-plans.test.ts).
 */
export function activityQuery(
  store: EvidenceStore,
  stream: string,
  from: number,
  to: number,
  bucketMs: number,
) {
  // A literal divisor keeps the division integral (a bound parameter may arrive as a float).
  const bucket = sql<number>`occurred_at / ${sql.lit(bucketMs)}`;
  const active = store.db
    .selectFrom(
      store.db
        .selectFrom('evidence_items')
        .select(bucket.as('k'))
        .distinct()
        .where('stream', '=', stream)
        .where('occurred_at', '>=', from)
        .where('occurred_at', '<', to)
        .where('quiet', '=', 0)
        .as('buckets'),
    )
    .select(intListAgg(store.dialect, sql.ref('k')).as('list'));
  return store.db
    .selectFrom('evidence_items')
    .select([
      sql<number>`count(*)`.as('items'),
      sql<number>`coalesce(sum(exception_count), 0)`.as('exceptions'),
      active.as('active'),
    ])
    .where('stream', '=', stream)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to);
}

/**
 * A stream's item counts over `period` and the buckets (of `bucketMs`, on the epoch grid) with activity, in
 * time order, a chunk of buckets at a time: neither payloads nor one row per item or bucket is ever held.
 */
export async function* activityChunks(
  store: EvidenceStore,
  stream: string,
  period: Window,
  bucketMs: number,
): AsyncGenerator<ActivityChunk> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new Error(`bad bucket size ${bucketMs}`);
  for (let chunk = alignDown(period.start, bucketMs); chunk < period.end; chunk += bucketMs * CHUNK_BUCKETS) {
    const from = Math.max(chunk, period.start);
    const to = Math.min(chunk + bucketMs * CHUNK_BUCKETS, period.end);
    const row = await activityQuery(store, stream, from, to, bucketMs).executeTakeFirstOrThrow();
    const buckets = parseIntList(row.active);
    if (!ascending(buckets)) buckets.sort((a, b) => a - b);
    yield {
      items: Number(row.items),
      exceptions: Number(row.exceptions),
      active: buckets.map((index) => index * bucketMs),
    };
  }
}
