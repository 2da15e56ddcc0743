import type { StreamInstance } from '../registry.js';
import type { LedgerReads } from '../store/ledger-reads.js';
import type { Window } from '../time.js';
import type { UnfinishedJob } from './collect-producer.js';
import { readable } from './runner.js';

export interface InOrderDeps {
  readonly ledger: LedgerReads;
  /** The stream's jobs still queued, running or between retries, under any id (planner, repair, backfill). */
  readonly unfinished: (stream: StreamInstance) => Promise<readonly UnfinishedJob[]>;
}

/**
 * What the planner hands out for a stream that compares each window with the one before it
 * (`windowsInOrder`), from its due windows (oldest first): the oldest that is not settled, and nothing after
 * it, so one window is in flight at a time and the next is enqueued only once it has settled.
 *
 * A window whose attempts all failed is settled as failed and passed over, or one bad window would stop
 * the stream for good; the gap stays for continuity and repair. The ledger holds its failed runs, the queue
 * says its job is no longer in flight (BullMQ gave it up after its attempts, or at once on a fatal error).
 * Windows the source no longer holds go along: the runner records them unrecoverable without reading the
 * source or moving the cursor, so they need no order.
 *
 * While any other job of the stream that reads the source is in flight (a repair of a failed window, a
 * backfill), nothing is handed out: two windows collected side by side would both diff against the same
 * cursor, and the one that finished last would write its cursor over the other's.
 */
export async function nextInOrder(
  deps: InOrderDeps,
  stream: StreamInstance,
  due: readonly Window[],
  now: number,
): Promise<Window[]> {
  const first = due[0];
  const last = due.at(-1);
  if (!first || !last) return [];
  const failed = new Set(
    (await deps.ledger.forStream(stream.id, first.start, last.end, ['failed'])).map(
      (run) => `${run.window_start}-${run.window_end}`,
    ),
  );
  const reading = (await deps.unfinished(stream)).filter(
    (job) => readable(stream.retention, job.window, stream.cadenceMs, now).ok,
  );
  const own = (window: Window) =>
    reading.some((job) => job.own && job.window.start === window.start && job.window.end === window.end);
  const next: Window[] = [];
  for (const window of due) {
    if (!readable(stream.retention, window, stream.cadenceMs, now).ok) {
      next.push(window);
      continue;
    }
    if (failed.has(`${window.start}-${window.end}`) && !own(window)) continue;
    // Its own job again (a duplicate add collapses on the id), or nothing while another one reads.
    if (own(window) || reading.length === 0) next.push(window);
    break;
  }
  return next;
}
