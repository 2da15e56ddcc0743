import type { EvidenceStore } from '../store/open-store.js';
import type { RunStatus } from '../store/schema.js';
import type { Window } from '../time.js';
import { appendMerged } from './intervals.js';

/** Why a window without a succeeded run is not covered, as the ledger tells it. */
export interface AttemptMark extends Window {
  /** `running`: an attempt still in progress (not yet a gap cause of its own). */
  readonly kind: 'failed' | 'unrecoverable' | 'running';
  readonly code: string;
}

export interface LedgerScan {
  /** Merged windows of succeeded runs that overlap the period, in start order. */
  readonly covered: Window[];
  /** Merged windows attempted without success, in start order. */
  readonly marks: AttemptMark[];
  /** Ledger rows read (the bench compares this with a plain read). */
  readonly rows: number;
}

interface RunRow {
  id: string;
  window_start: number;
  window_end: number;
  status: RunStatus;
  error_code: string | null;
  started_at: number;
}

export const LEDGER_PAGE = 5_000;

/**
 * One streaming pass over a stream's runs ordered by (window_start, id), fetched with keyset pagination,
 * so memory grows with the number of distinct gaps, never with the number of ledger rows.
 */
export async function scanLedger(
  store: EvidenceStore,
  stream: string,
  period: Window,
  options: { now: number; staleRunningMs: number; pageSize?: number },
): Promise<LedgerScan> {
  const covered: Window[] = [];
  const marks: AttemptMark[] = [];
  const pageSize = options.pageSize ?? LEDGER_PAGE;
  let rows = 0;
  let group: RunRow[] = [];
  let after: { start: number; id: string } | undefined;

  const settle = (window: Window, attempts: readonly RunRow[]) => {
    // The hot path (a year of hourly runs is mostly one succeeded row per window) allocates nothing.
    if (attempts.some((run) => run.status === 'succeeded')) return appendMerged(covered, window);
    const latest = [...attempts].sort((a, b) => b.started_at - a.started_at);
    const unrecoverable = latest.find((run) => run.status === 'unrecoverable');
    let mark: Omit<AttemptMark, keyof Window>;
    if (unrecoverable) mark = { kind: 'unrecoverable', code: unrecoverable.error_code ?? 'UNRECOVERABLE' };
    else {
      const finished = latest.find((run) => run.status === 'failed' || run.status === 'abandoned');
      const running = latest.find((run) => run.status === 'running');
      // A run left "running" long ago lost its worker: it counts as a failed attempt, not as progress.
      if (running && options.now - running.started_at < options.staleRunningMs && !finished)
        mark = { kind: 'running', code: 'IN_PROGRESS' };
      else mark = { kind: 'failed', code: finished?.error_code ?? 'ABANDONED' };
    }
    const last = marks[marks.length - 1];
    if (last && last.kind === mark.kind && last.code === mark.code && window.start <= last.end) {
      if (window.end > last.end) marks[marks.length - 1] = { ...last, end: window.end };
    } else marks.push({ ...window, ...mark });
  };

  const flush = () => {
    const only = group[0];
    if (group.length === 1 && only) {
      settle({ start: only.window_start, end: only.window_end }, group);
      group = [];
      return;
    }
    // Rows sharing a start usually share the window; a changed cadence may give several ends.
    const byEnd = new Map<number, RunRow[]>();
    for (const run of group) byEnd.set(run.window_end, [...(byEnd.get(run.window_end) ?? []), run]);
    for (const [end, attempts] of [...byEnd].sort((a, b) => a[0] - b[0]))
      settle({ start: attempts[0]!.window_start, end }, attempts);
    group = [];
  };

  for (;;) {
    let query = store.db
      .selectFrom('runs')
      .select(['id', 'window_start', 'window_end', 'status', 'error_code', 'started_at'])
      .where('stream', '=', stream)
      .where('window_start', '<', period.end)
      .where('window_end', '>', period.start);
    if (after) {
      const { start, id } = after;
      // The `>=` bound lets the index seek straight to the page instead of rescanning from the start.
      query = query
        .where('window_start', '>=', start)
        .where((eb) => eb.or([eb('window_start', '>', start), eb('id', '>', id)]));
    }
    const page = await query.orderBy('window_start').orderBy('id').limit(pageSize).execute();
    rows += page.length;
    for (const run of page) {
      if (group.length && group[0]!.window_start !== run.window_start) flush();
      group.push(run);
    }
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) break;
    after = { start: last.window_start, id: last.id };
  }
  flush();
  return { covered, marks, rows };
}
