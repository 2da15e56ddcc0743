import type { AttemptMark } from '../../src/continuity/attempt-marks.js';
import { appendMerged } from '../../src/continuity/intervals.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { RunStatus } from '../../src/store/schema.js';
import type { Window } from '../../src/time.js';

interface RunRow {
  id: string;
  window_start: number;
  window_end: number;
  status: RunStatus;
  error_code: string | null;
  started_at: number;
}

/**
 * The ledger scan as it was before the database did the row-by-row work: every row of the stream read in
 * (window_start, id) order, grouped by window, merged in JS. Kept as the specification the scan is held to.
 */
export async function referenceScan(
  store: EvidenceStore,
  stream: string,
  period: Window,
  options: { now: number; staleRunningMs: number },
): Promise<{ covered: Window[]; marks: AttemptMark[] }> {
  const covered: Window[] = [];
  const marks: AttemptMark[] = [];
  const settle = (window: Window, attempts: readonly RunRow[]) => {
    if (attempts.some((run) => run.status === 'succeeded')) return appendMerged(covered, window);
    const latest = [...attempts].sort((a, b) => b.started_at - a.started_at);
    const unrecoverable = latest.find((run) => run.status === 'unrecoverable');
    let mark: Omit<AttemptMark, keyof Window>;
    if (unrecoverable) mark = { kind: 'unrecoverable', code: unrecoverable.error_code ?? 'UNRECOVERABLE' };
    else {
      const finished = latest.find((run) => run.status === 'failed' || run.status === 'abandoned');
      const running = latest.find((run) => run.status === 'running');
      if (running && options.now - running.started_at < options.staleRunningMs && !finished)
        mark = { kind: 'running', code: 'IN_PROGRESS' };
      else mark = { kind: 'failed', code: finished?.error_code ?? 'ABANDONED' };
    }
    const last = marks[marks.length - 1];
    if (last && last.kind === mark.kind && last.code === mark.code && window.start <= last.end) {
      if (window.end > last.end) marks[marks.length - 1] = { ...last, end: window.end };
    } else marks.push({ ...window, ...mark });
  };
  const rows = await store.db
    .selectFrom('runs')
    .select(['id', 'window_start', 'window_end', 'status', 'error_code', 'started_at'])
    .where('stream', '=', stream)
    .where('window_start', '<', period.end)
    .where('window_end', '>', period.start)
    .orderBy('window_start')
    .orderBy('id')
    .execute();
  for (let index = 0; index < rows.length;) {
    const start = rows[index]!.window_start;
    const group: RunRow[] = [];
    while (index < rows.length && rows[index]!.window_start === start) group.push(rows[index++]!);
    const ends = [...new Set(group.map((run) => run.window_end))].sort((a, b) => a - b);
    for (const end of ends)
      settle(
        { start, end },
        group.filter((run) => run.window_end === end),
      );
  }
  return { covered, marks };
}
