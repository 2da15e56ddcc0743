import { sql, type Kysely, type Transaction } from 'kysely';
import type { Window } from '../time.js';
import { Coverage } from './coverage.js';
import { intListAgg } from './int-list.js';
import type { EvidenceStore } from './open-store.js';
import type { Database, RunStatus, RunsTable } from './schema.js';

export type Run = RunsTable;

/**
 * Every read of the `runs` table: the ledger's one door (RunLedger extends it with the writes). The
 * continuity scans keep their exact SQL, which test/continuity/ledger-plans.test.ts pins to their indexes.
 */
export class LedgerReads {
  constructor(protected readonly store: EvidenceStore) {}

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

  /** What succeeded runs (by default also partial and unrecoverable ones, which the planner treats as settled) cover of [from, to). */
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

  /** The most recently started run of a stream (any status). */
  async latest(stream: string): Promise<Run | undefined> {
    return this.store.db
      .selectFrom('runs')
      .selectAll()
      .where('stream', '=', stream)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * One page of a stream's succeeded windows overlapping `period`, after `after` in (window_start,
   * window_end) order, as one "start,end,start,end..." text, from the partial index runs_succeeded_windows.
   */
  succeededPageQuery(stream: string, period: Window, after: Window | undefined, pageSize: number) {
    const db = this.store.db;
    const page = db
      .selectFrom('runs')
      .select(['window_start as s', 'window_end as e'])
      .where('stream', '=', stream)
      .where('status', '=', sql.lit('succeeded'))
      .where('window_start', '<', period.end)
      .where('window_end', '>', period.start)
      .$if(after !== undefined, (query) =>
        query.where((eb) =>
          eb(eb.refTuple('window_start', 'window_end'), '>', eb.tuple(after!.start, after!.end)),
        ),
      )
      .orderBy('window_start')
      .orderBy('window_end')
      .limit(pageSize);
    return db
      .selectFrom(page.as('page'))
      .select(intListAgg(this.store.dialect, sql`${sql.ref('s')} || ',' || ${sql.ref('e')}`).as('windows'));
  }

  /**
   * One keyset page of the unsuccessful runs of windows that no run succeeded, ordered by (window_start, id),
   * from the partial index runs_unsuccessful; a failure of a window later collected is dropped by the database.
   */
  unsuccessfulPageQuery(
    stream: string,
    period: Window,
    after: { start: number; id: string } | undefined,
    pageSize: number,
  ) {
    let query = this.store.db
      .selectFrom('runs as r')
      .select(['r.id', 'r.window_start', 'r.window_end', 'r.status', 'r.error_code', 'r.started_at'])
      .where('r.stream', '=', stream)
      .where('r.status', '<>', sql.lit('succeeded'))
      .where('r.window_start', '<', period.end)
      .where('r.window_end', '>', period.start)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('runs as s')
              .select(sql.lit(1).as('one'))
              .whereRef('s.stream', '=', 'r.stream')
              .where('s.status', '=', sql.lit('succeeded'))
              .whereRef('s.window_start', '=', 'r.window_start')
              .whereRef('s.window_end', '=', 'r.window_end'),
          ),
        ),
      );
    if (after) {
      const { start, id } = after;
      // The `>=` bound lets the index seek straight to the page instead of rescanning from the start.
      query = query
        .where('r.window_start', '>=', start)
        .where((eb) => eb.or([eb('r.window_start', '>', start), eb('r.id', '>', id)]));
    }
    return query.orderBy('r.window_start').orderBy('r.id').limit(pageSize);
  }

  /** End of the latest succeeded window ending by `until`, or null: when the last snapshot was taken. */
  async lastSucceededEnd(stream: string, until: number): Promise<number | null> {
    const row = await this.store.db
      .selectFrom('runs')
      .select((eb) => eb.fn.max('window_end').as('last'))
      .where('stream', '=', stream)
      .where('status', '=', 'succeeded')
      .where('window_end', '<=', until)
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? null : Number(row.last);
  }

  /** When the latest attempt of a stream (or of one of its windows) started, or null when none did. */
  async lastStartedAt(stream: string, window?: Window): Promise<number | null> {
    const row = await this.store.db
      .selectFrom('runs')
      .select((eb) => eb.fn.max('started_at').as('at'))
      .where('stream', '=', stream)
      .$if(window !== undefined, (query) =>
        query.where('window_start', '=', window!.start).where('window_end', '=', window!.end),
      )
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  /** Start of a stream's earliest attempted window, or null when it never ran. */
  async firstWindowStart(stream: string): Promise<number | null> {
    const row = await this.store.db
      .selectFrom('runs')
      .select((eb) => eb.fn.min('window_start').as('first'))
      .where('stream', '=', stream)
      .executeTakeFirst();
    return row?.first === null || row?.first === undefined ? null : Number(row.first);
  }

  /** The latest succeeded or failed runs of a stream, newest first (the failing rule reads back to a success). */
  async recentOutcomes(stream: string, limit: number) {
    return this.store.db
      .selectFrom('runs')
      .select(['status', 'error_code', 'finished_at', 'window_start'])
      .where('stream', '=', stream)
      .where('status', 'in', ['succeeded', 'failed'])
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Runs per stream and status, over the whole ledger. */
  async countsByStatus(): Promise<{ stream: string; status: string; count: number }[]> {
    const rows = await this.store.db
      .selectFrom('runs')
      .select(['stream', 'status', (eb) => eb.fn.countAll<number | string>().as('count')])
      .groupBy(['stream', 'status'])
      .execute();
    return rows.map((row) => ({ stream: row.stream, status: row.status, count: Number(row.count) }));
  }

  /** The most recently started run of each stream (the later window first on a tie). */
  async latestPerStream(streams: readonly string[]): Promise<Map<string, Run>> {
    const result = new Map<string, Run>();
    // One indexed query per stream beats a window function that SQLite and PostgreSQL spell differently.
    for (const stream of streams) {
      const run = await this.store.db
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

  /** Per status: how many runs of `streams` overlap the period, and when the first and last ran. */
  async periodByStatus(period: Window, streams: readonly string[]) {
    return this.store.db
      .selectFrom('runs')
      .select((eb) => [
        'status',
        eb.fn.min<number>('started_at').as('first'),
        eb.fn.max<number>('started_at').as('lastStarted'),
        eb.fn.max<number>('finished_at').as('lastFinished'),
        eb.fn.countAll<number>().as('count'),
      ])
      .where('stream', 'in', [...streams])
      .where('window_end', '>', period.start)
      .where('window_start', '<', period.end)
      .groupBy('status')
      .orderBy('status')
      .execute();
  }

  /** Settled (succeeded, partial or unrecoverable) windows ending after `watermark`, in start order; inside `trx`. */
  static async settledAfter(
    trx: Transaction<Database> | Kysely<Database>,
    stream: string,
    watermark: number,
  ): Promise<{ window_start: number; window_end: number }[]> {
    return trx
      .selectFrom('runs')
      .select(['window_start', 'window_end'])
      .where('stream', '=', stream)
      .where('status', 'in', ['succeeded', 'partial', 'unrecoverable'])
      .where('window_end', '>', watermark)
      .orderBy('window_start')
      .execute();
  }
}
