import { randomUUID } from 'node:crypto';
import type { Cursor } from '../stream.js';
import type { Window } from '../time.js';
import type { EvidenceStore } from './open-store.js';
import type { RunStatus, RunsTable, RunTrigger } from './schema.js';
import { scrubSecrets } from '../secrets.js';
import { Coverage } from './coverage.js';
import { StreamState } from './stream-state.js';

export interface RunCounts {
  new: number;
  unchanged: number;
  changed: number;
  skipped: number;
}

export type Run = RunsTable;

/** The ledger: one row per attempt at collecting one window of one stream. It is the truth; the queue is transport. */
export class RunLedger {
  constructor(private readonly store: EvidenceStore) {}

  /** Opens an attempt; earlier attempts of the same window still marked running are abandoned (their worker died). */
  async start(input: {
    stream: string;
    window: Window;
    trigger: RunTrigger;
    attempt: number;
    jobId?: string | undefined;
    now: number;
  }): Promise<string> {
    const id = randomUUID();
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('runs')
        .set({
          status: 'abandoned',
          finished_at: input.now,
          error_code: 'ABANDONED',
          error_message: 'a later attempt of this window started',
        })
        .where('stream', '=', input.stream)
        .where('window_start', '=', input.window.start)
        .where('window_end', '=', input.window.end)
        .where('status', '=', 'running')
        .execute();
      await trx
        .insertInto('runs')
        .values({
          id,
          stream: input.stream,
          window_start: input.window.start,
          window_end: input.window.end,
          trigger: input.trigger,
          status: 'running',
          attempt: input.attempt,
          job_id: input.jobId ?? null,
          items_new: 0,
          items_unchanged: 0,
          items_changed: 0,
          items_skipped: 0,
          error_code: null,
          error_message: null,
          started_at: input.now,
          finished_at: null,
        })
        .execute();
    });
    return id;
  }

  /** Records a window that was not collected because the source can no longer be read for it. */
  async recordUnrecoverable(input: {
    stream: string;
    window: Window;
    trigger: RunTrigger;
    code: string;
    reason: string;
    jobId?: string | undefined;
    now: number;
  }): Promise<string> {
    const id = randomUUID();
    await this.store.db
      .insertInto('runs')
      .values({
        id,
        stream: input.stream,
        window_start: input.window.start,
        window_end: input.window.end,
        trigger: input.trigger,
        status: 'unrecoverable',
        attempt: 1,
        job_id: input.jobId ?? null,
        items_new: 0,
        items_unchanged: 0,
        items_changed: 0,
        items_skipped: 0,
        error_code: input.code,
        error_message: input.reason,
        started_at: input.now,
        finished_at: input.now,
      })
      .execute();
    // An unrecoverable window is settled: the watermark may pass it.
    await StreamState.advance(this.store.db, input.stream, undefined, input.now);
    return id;
  }

  /**
   * Marks the run succeeded (or partial: read except for unreadable files) and advances the stream's
   * watermark and cursor in the same transaction. A partial window is settled for the planner (re-reading
   * it every tick would only reject the same file again); repair re-reads it, continuity shows the gap.
   */
  async succeed(
    id: string,
    stream: string,
    counts: RunCounts,
    now: number,
    cursor: Cursor | undefined,
    status: 'succeeded' | 'partial' = 'succeeded',
  ): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('runs')
        .set({
          status,
          items_new: counts.new,
          items_unchanged: counts.unchanged,
          items_changed: counts.changed,
          items_skipped: counts.skipped,
          error_code: null,
          error_message: null,
          finished_at: now,
        })
        .where('id', '=', id)
        .execute();
      await StreamState.advance(trx, stream, cursor, now);
    });
  }

  async fail(
    id: string,
    error: { code: string; message: string },
    counts: RunCounts,
    now: number,
  ): Promise<void> {
    await this.finish(id, 'failed', counts, now, error);
  }

  async finish(
    id: string,
    status: RunStatus,
    counts: RunCounts,
    now: number,
    error?: { code: string; message: string },
  ): Promise<void> {
    await this.store.db
      .updateTable('runs')
      .set({
        status,
        items_new: counts.new,
        items_unchanged: counts.unchanged,
        items_changed: counts.changed,
        items_skipped: counts.skipped,
        error_code: error?.code ?? null,
        // The ledger is handed to auditors: a token echoed by a source must not end up in it.
        error_message: error ? scrubSecrets(error.message).slice(0, 2_000) : null,
        finished_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async get(id: string): Promise<Run | undefined> {
    return this.store.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Runs of a stream whose window overlaps [from, to), oldest first. */
  async forStream(stream: string, from: number, to: number, statuses?: readonly RunStatus[]): Promise<Run[]> {
    let query = this.store.db
      .selectFrom('runs')
      .selectAll()
      .where('stream', '=', stream)
      .where('window_end', '>', from)
      .where('window_start', '<', to);
    if (statuses) query = query.where('status', 'in', [...statuses]);
    return query.orderBy('window_start').orderBy('started_at').execute();
  }

  /** What succeeded runs (or, by default, also unrecoverable ones, which no retry can change) cover of [from, to). */
  async settledWindows(
    stream: string,
    from: number,
    to: number,
    statuses: readonly RunStatus[] = ['succeeded', 'partial', 'unrecoverable'],
  ): Promise<Coverage> {
    const rows = await this.store.db
      .selectFrom('runs')
      .select(['window_start', 'window_end'])
      .where('stream', '=', stream)
      .where('status', 'in', [...statuses])
      .where('window_end', '>', from)
      .where('window_start', '<', to)
      .execute();
    return new Coverage(rows.map((row) => ({ start: row.window_start, end: row.window_end })));
  }

  async latest(stream: string): Promise<Run | undefined> {
    return this.store.db
      .selectFrom('runs')
      .selectAll()
      .where('stream', '=', stream)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
