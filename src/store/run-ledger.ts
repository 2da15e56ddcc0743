import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Cursor } from '../stream.js';
import type { Window } from '../time.js';
import type { EvidenceStore } from './open-store.js';
import { LedgerReads } from './ledger-reads.js';
import type { RunStatus, RunTrigger } from './schema.js';
import { scrubSecrets } from '../secrets.js';
import { StreamState } from './stream-state.js';

export interface RunCounts {
  new: number;
  unchanged: number;
  changed: number;
  skipped: number;
}

export type { Run } from './ledger-reads.js';

/** A succeeded run whose recorded new or changed items are not all in the store under its id. */
export interface EvidenceShortfall {
  readonly runId: string;
  readonly stream: string;
  readonly window: Window;
  /** items_new + items_changed, as the run recorded them. */
  readonly recorded: number;
  /** Rows of evidence_items that still carry the run's id. */
  readonly stored: number;
}

/** The ledger: one row per attempt at collecting one window of one stream. It is the truth; the queue is transport. */
export class RunLedger extends LedgerReads {
  constructor(store: EvidenceStore) {
    super(store);
  }

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
    await StreamState.advance(this.store.db, input.stream, undefined, input.now, this.store.dialect);
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
      await StreamState.advance(trx, stream, cursor, now, this.store.dialect);
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

  /**
   * Succeeded runs whose stored rows differ from what they recorded as new or changed (deleted evidence, or
   * rows forged under a run's id), oldest window first. One index probe of evidence_items_run per run.
   */
  async evidenceShortfalls(filter: { stream?: string; period?: Window } = {}): Promise<EvidenceShortfall[]> {
    const rows = await this.shortfallQuery(filter)
      .where(({ eb, ref }) =>
        eb(sql`${ref('r.items_new')} + ${ref('r.items_changed')}`, '<>', storedCount(ref)),
      )
      .execute();
    return rows.map(toShortfall);
  }

  /**
   * Windows of a stream whose succeeded runs lost evidence: a run stored fewer rows than it recorded and no
   * later succeeded run of the same window stored items that are all still there (a re-collection restores
   * lost items as new). For the continuity report; the period bounds the scan to the runs_succeeded_windows range.
   */
  async windowsMissingEvidence(stream: string, period: Window): Promise<EvidenceShortfall[]> {
    return (await this.missingEvidenceQuery(stream, period).execute()).map(toShortfall);
  }

  /** The query behind windowsMissingEvidence (its plan is pinned in test/continuity/ledger-plans.test.ts). */
  missingEvidenceQuery(stream: string, period: Window) {
    return this.shortfallQuery({ stream, period })
      .where(({ eb, ref }) =>
        eb(sql`${ref('r.items_new')} + ${ref('r.items_changed')}`, '>', storedCount(ref)),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('runs as later')
              .select(sql.lit(1).as('one'))
              .whereRef('later.stream', '=', 'r.stream')
              .where('later.status', '=', sql.lit('succeeded'))
              .whereRef('later.window_start', '=', 'r.window_start')
              .whereRef('later.window_end', '=', 'r.window_end')
              .whereRef('later.id', '<>', 'r.id')
              .whereRef('later.started_at', '>=', 'r.started_at')
              .where(
                sql<boolean>`${sql.ref('later.items_new')} + ${sql.ref('later.items_changed')} > 0 and ${sql.ref('later.items_new')} + ${sql.ref('later.items_changed')} <= (select count(*) from evidence_items e2 where e2.run_id = ${sql.ref('later.id')})`,
              ),
          ),
        ),
      );
  }

  private shortfallQuery(filter: { stream?: string; period?: Window }) {
    return (
      this.store.db
        .selectFrom('runs as r')
        .select(({ ref }) => [
          'r.id',
          'r.stream',
          'r.window_start',
          'r.window_end',
          sql<number>`${ref('r.items_new')} + ${ref('r.items_changed')}`.as('recorded'),
          storedCount(ref).as('stored'),
        ])
        .where('r.status', '=', sql.lit('succeeded'))
        .$if(filter.stream !== undefined, (query) => query.where('r.stream', '=', filter.stream!))
        .$if(filter.period !== undefined, (query) =>
          query
            .where('r.window_start', '<', filter.period!.end)
            .where('r.window_end', '>', filter.period!.start),
        )
        // The order of runs_succeeded_counts, so the scan needs no sort.
        .orderBy('r.stream')
        .orderBy('r.window_start')
        .orderBy('r.window_end')
        .orderBy('r.id')
    );
  }
}

/** Rows of evidence_items stored under the outer run `r`. */
function storedCount(ref: (name: 'r.id') => unknown) {
  return sql<number>`(select count(*) from evidence_items e where e.run_id = ${ref('r.id')})`;
}

function toShortfall(row: {
  id: string;
  stream: string;
  window_start: number;
  window_end: number;
  recorded: number;
  stored: number;
}): EvidenceShortfall {
  return {
    runId: row.id,
    stream: row.stream,
    window: { start: Number(row.window_start), end: Number(row.window_end) },
    recorded: Number(row.recorded),
    stored: Number(row.stored),
  };
}
