import { sql } from 'kysely';
import type { EvidenceStore } from '../store/open-store.js';
import type { RunStatus } from '../store/schema.js';
import type { Window } from '../time.js';

/** Why a window without a succeeded run is not covered, as the ledger tells it. */
export interface AttemptMark extends Window {
  /** `running`: an attempt still in progress (not yet a gap cause of its own). */
  /** `source_unreadable`: a partial run, read except for files that stayed unreadable. */
  readonly kind: 'failed' | 'unrecoverable' | 'running' | 'source_unreadable';
  readonly code: string;
}

export interface RunRow {
  id: string;
  window_start: number;
  window_end: number;
  status: RunStatus;
  error_code: string | null;
  started_at: number;
}

/**
 * One keyset page of the unsuccessful runs of windows that no run succeeded, ordered by (window_start, id).
 * A failed attempt of a window that was later collected is no cause of anything, so the database drops it;
 * the partial index runs_unsuccessful holds exactly these rows, in this order.
 */
export function unsuccessfulPageQuery(
  store: EvidenceStore,
  stream: string,
  period: Window,
  after: { start: number; id: string } | undefined,
  pageSize: number,
) {
  let query = store.db
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

/**
 * Why a window that no run covered is not covered: the latest unrecoverable finding, else the latest
 * finished failure, else a fresh running attempt.
 */
export function markFor(
  attempts: readonly RunRow[],
  options: { now: number; staleRunningMs: number },
): Omit<AttemptMark, keyof Window> {
  const latest = [...attempts].sort((a, b) => b.started_at - a.started_at);
  const unrecoverable = latest.find((run) => run.status === 'unrecoverable');
  if (unrecoverable) return { kind: 'unrecoverable', code: unrecoverable.error_code ?? 'UNRECOVERABLE' };
  // A partial run read the window but for unreadable files: that, not a later failed retry, is the cause.
  if (latest.some((run) => run.status === 'partial'))
    return { kind: 'source_unreadable', code: 'SOURCE_UNREADABLE' };
  const finished = latest.find((run) => run.status === 'failed' || run.status === 'abandoned');
  const running = latest.find((run) => run.status === 'running');
  // A run left "running" long ago lost its worker: it counts as a failed attempt, not as progress.
  if (running && options.now - running.started_at < options.staleRunningMs && !finished)
    return { kind: 'running', code: 'IN_PROGRESS' };
  return { kind: 'failed', code: finished?.error_code ?? 'ABANDONED' };
}

/** Appends a window's mark, merged into the previous one when they touch and give the same reason. */
export function appendMark(
  marks: AttemptMark[],
  window: Window,
  mark: Omit<AttemptMark, keyof Window>,
): void {
  const last = marks[marks.length - 1];
  if (last && last.kind === mark.kind && last.code === mark.code && window.start <= last.end) {
    if (window.end > last.end) marks[marks.length - 1] = { ...last, end: window.end };
  } else marks.push({ ...window, ...mark });
}

/**
 * The ledger's reason for each window no run covered: the latest unrecoverable finding, else the latest
 * finished failure, else a fresh running attempt; windows with the same reason that touch are merged.
 */
export async function attemptMarks(
  store: EvidenceStore,
  stream: string,
  period: Window,
  options: { now: number; staleRunningMs: number; pageSize: number },
): Promise<AttemptMark[]> {
  const marks: AttemptMark[] = [];
  let group: RunRow[] = [];
  let after: { start: number; id: string } | undefined;

  const settle = (window: Window, attempts: readonly RunRow[]) =>
    appendMark(marks, window, markFor(attempts, options));

  const flush = () => {
    // Rows sharing a start usually share the window; a changed cadence may give several ends.
    const byEnd = new Map<number, RunRow[]>();
    for (const run of group) byEnd.set(run.window_end, [...(byEnd.get(run.window_end) ?? []), run]);
    for (const [end, attempts] of [...byEnd].sort((a, b) => a[0] - b[0]))
      settle({ start: attempts[0]!.window_start, end }, attempts);
    group = [];
  };

  for (;;) {
    const page = await unsuccessfulPageQuery(store, stream, period, after, options.pageSize).execute();
    for (const run of page) {
      if (group.length && group[0]!.window_start !== run.window_start) flush();
      group.push(run);
    }
    const last = page[page.length - 1];
    if (!last || page.length < options.pageSize) break;
    after = { start: last.window_start, id: last.id };
  }
  flush();
  return marks;
}
