import { sql } from 'kysely';
import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';
import { intListAgg, parseIntList } from './int-list.js';
import { appendMerged } from './intervals.js';

/**
 * One page of a stream's succeeded windows overlapping `period`, after the window `after` in
 * (window_start, window_end) order, as one "start,end,start,end..." text. Served by the partial index
 * runs_succeeded_windows without touching the table (test/continuity/ledger-plans.test.ts checks it).
 * A second run of the very same window may fall between two pages and be skipped: the union is the same.
 */
export function succeededPageQuery(
  store: EvidenceStore,
  stream: string,
  period: Window,
  after: Window | undefined,
  pageSize: number,
) {
  const page = store.db
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
  return store.db
    .selectFrom(page.as('page'))
    .select(intListAgg(store.dialect, sql`${sql.ref('s')} || ',' || ${sql.ref('e')}`).as('windows'));
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
