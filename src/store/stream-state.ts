import type { Kysely, Transaction } from 'kysely';
import type { Cursor } from '../stream.js';
import { canonicalJson } from './canonical.js';
import { LedgerReads } from './ledger-reads.js';
import type { EvidenceStore } from './open-store.js';
import type { Database } from './schema.js';

/** Watermark and cursor per stream, advanced only in the transaction that records a succeeded run. */
export class StreamState {
  constructor(private readonly store: EvidenceStore) {}

  async get(stream: string): Promise<{ watermark: number | undefined; cursor: Cursor | undefined }> {
    const row = await this.store.db
      .selectFrom('stream_state')
      .selectAll()
      .where('stream', '=', stream)
      .executeTakeFirst();
    return {
      watermark: row?.watermark ?? undefined,
      cursor: row?.cursor ? (JSON.parse(row.cursor) as Cursor) : undefined,
    };
  }

  /** Initial watermark for a stream that has none; never moves an existing one. */
  async seedWatermark(stream: string, watermark: number, now: number): Promise<void> {
    await this.store.db
      .insertInto('stream_state')
      .values({ stream, watermark, cursor: null, updated_at: now })
      .onConflict((conflict) => conflict.column('stream').doNothing())
      .execute();
    await this.store.db
      .updateTable('stream_state')
      .set({ watermark })
      .where('stream', '=', stream)
      .where('watermark', 'is', null)
      .execute();
  }

  /**
   * After a succeeded run: store the cursor (if any) and advance the watermark over every contiguous
   * settled (succeeded, partial or unrecoverable) window that starts at or before it.
   */
  static async advance(
    trx: Transaction<Database> | Kysely<Database>,
    stream: string,
    cursor: Cursor | undefined,
    now: number,
    dialect: 'sqlite' | 'postgres' = 'sqlite',
  ): Promise<void> {
    await trx
      .insertInto('stream_state')
      .values({ stream, watermark: null, cursor: null, updated_at: now })
      .onConflict((conflict) => conflict.column('stream').doNothing())
      .execute();
    let stateQuery = trx.selectFrom('stream_state').select(['watermark']).where('stream', '=', stream);
    // Two windows of one stream succeeding at once on PostgreSQL would each miss the other's run and stop
    // the watermark short: the row lock makes the second wait and then read the first's committed run.
    if (dialect === 'postgres') stateQuery = stateQuery.forUpdate();
    const state = await stateQuery.executeTakeFirstOrThrow();
    let watermark = state.watermark;
    if (watermark !== null) {
      const ahead = await LedgerReads.settledAfter(trx, stream, watermark);
      for (const run of ahead) {
        if (run.window_start > watermark) break;
        watermark = Math.max(watermark, run.window_end);
      }
    }
    const update: { updated_at: number; watermark: number | null; cursor?: string } = {
      updated_at: now,
      watermark,
    };
    if (cursor !== undefined) update.cursor = canonicalJson(cursor);
    await trx.updateTable('stream_state').set(update).where('stream', '=', stream).execute();
  }
}
