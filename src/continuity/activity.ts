import { sql } from 'kysely';
import type { EvidenceStore } from '../store/open-store.js';
import { alignDown, type Window } from '../time.js';

/** Items of one stream in one grid bucket (usually one collection window), counted, never read. */
export interface ActivityBucket {
  readonly start: number;
  readonly items: number;
  /** Items that record something happening at the source (not `quiet`). */
  readonly active: number;
  readonly exceptions: number;
}

const CHUNK_BUCKETS = 5_000;

/**
 * Per-bucket counts of a stream's items in `period`, in time order. Aggregated in the database and
 * fetched a time chunk at a time, so neither payloads nor every row are ever held in memory.
 */
export async function* activityBuckets(
  store: EvidenceStore,
  stream: string,
  period: Window,
  bucketMs: number,
): AsyncGenerator<ActivityBucket> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new Error(`bad bucket size ${bucketMs}`);
  const bucket = sql<number>`occurred_at / ${sql.lit(bucketMs)}`;
  for (let chunk = alignDown(period.start, bucketMs); chunk < period.end; chunk += bucketMs * CHUNK_BUCKETS) {
    const rows = await store.db
      .selectFrom('evidence_items')
      .select([
        bucket.as('bucket'),
        sql<number>`count(*)`.as('items'),
        sql<number>`sum(1 - quiet)`.as('active'),
        sql<number>`sum(exception_count)`.as('exceptions'),
      ])
      .where('stream', '=', stream)
      .where('occurred_at', '>=', Math.max(chunk, period.start))
      .where('occurred_at', '<', Math.min(chunk + bucketMs * CHUNK_BUCKETS, period.end))
      .groupBy('bucket')
      .orderBy('bucket')
      .execute();
    for (const row of rows) {
      yield {
        start: Number(row.bucket) * bucketMs,
        items: Number(row.items),
        active: Number(row.active),
        exceptions: Number(row.exceptions),
      };
    }
  }
}
