import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';
import { parseIntList } from '../store/int-list.js';
import { RunLedger } from '../store/run-ledger.js';
import { appendMerged } from './intervals.js';

/**
 * One page of a stream's succeeded windows (RunLedger.succeededPageQuery, served by the partial index
 * runs_succeeded_windows). A second run of the very same window may fall between two pages and be
 * skipped: the union is the same.
 */
export function succeededPageQuery(
  store: EvidenceStore,
  stream: string,
  period: Window,
  after: Window | undefined,
  pageSize: number,
) {
  return new RunLedger(store).succeededPageQuery(stream, period, after, pageSize);
}

/**
 * Merged windows of the stream's succeeded runs that overlap `period`, in start order. Keyset pages, so
 * memory grows with the page size and the number of islands, never with the ledger.
 */
export async function coveredWindows(
  store: EvidenceStore,
  stream: string,
  period: Window,
  pageSize: number,
): Promise<Window[]> {
  const covered: Window[] = [];
  let after: Window | undefined;
  for (;;) {
    const page = await succeededPageQuery(store, stream, period, after, pageSize).executeTakeFirstOrThrow();
    const windows = inWindowOrder(parseIntList(page.windows));
    for (const window of windows) appendMerged(covered, window);
    if (windows.length < pageSize) break;
    after = windows[windows.length - 1];
  }
  return covered;
}

/** The pairs as windows in (start, end) order, sorted only when the database concatenated out of order. */
function inWindowOrder(pairs: readonly number[]): Window[] {
  const windows: Window[] = [];
  let sorted = true;
  for (let index = 0; index + 1 < pairs.length; index += 2) {
    const window = { start: pairs[index]!, end: pairs[index + 1]! };
    const last = windows[windows.length - 1];
    if (last && (window.start < last.start || (window.start === last.start && window.end < last.end)))
      sorted = false;
    windows.push(window);
  }
  return sorted ? windows : windows.sort((a, b) => a.start - b.start || a.end - b.end);
}
