import { appendMark, markFor, type AttemptMark, type RunRow } from '../../src/continuity/attempt-marks.js';
import { appendMerged } from '../../src/continuity/intervals.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { Window } from '../../src/time.js';

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
  // How a window is judged is shared (markFor, appendMark); how its rows are found is what is held here.
  const settle = (window: Window, attempts: readonly RunRow[]) => {
    if (attempts.some((run) => run.status === 'succeeded')) return appendMerged(covered, window);
    appendMark(marks, window, markFor(attempts, options));
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
