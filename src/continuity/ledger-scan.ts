import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';
import { attemptMarks, type AttemptMark } from './attempt-marks.js';
import { coveredWindows } from './covered-windows.js';

export type { AttemptMark } from './attempt-marks.js';

export interface LedgerScan {
  /** Merged windows of succeeded runs that overlap the period, in start order. */
  readonly covered: Window[];
  /** Merged windows attempted without success, in start order. */
  readonly marks: AttemptMark[];
}

export const LEDGER_PAGE = 5_000;

/**
 * What the ledger says about a stream over `period`. The database does the row-by-row work: the covered
 * windows arrive as one number list per page of succeeded windows, and only unsuccessful attempts of
 * uncovered windows arrive as rows. Both are keyset-paged, so memory grows with the number of distinct
 * gaps, never with the number of ledger rows.
 */
export async function scanLedger(
  store: EvidenceStore,
  stream: string,
  period: Window,
  options: { now: number; staleRunningMs: number; pageSize?: number },
): Promise<LedgerScan> {
  const pageSize = options.pageSize ?? LEDGER_PAGE;
  const covered = await coveredWindows(store, stream, period, pageSize);
  const marks = await attemptMarks(store, stream, period, { ...options, pageSize });
  return { covered, marks };
}
