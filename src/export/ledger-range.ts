import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger } from '../store/run-ledger.js';
import type { Window } from '../time.js';

/** Which collection runs stand behind the package: the ledger rows whose window overlaps the period. */
export interface LedgerRange {
  readonly firstRunAt: string | null;
  readonly lastRunAt: string | null;
  readonly runs: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

export async function ledgerRange(
  store: EvidenceStore,
  period: Window,
  streams: readonly string[],
): Promise<LedgerRange> {
  if (streams.length === 0) return { firstRunAt: null, lastRunAt: null, runs: 0, byStatus: {} };
  const rows = await new RunLedger(store).periodByStatus(period, streams);
  const byStatus: Record<string, number> = {};
  let first: number | null = null;
  let last: number | null = null;
  let runs = 0;
  for (const row of rows) {
    byStatus[row.status] = Number(row.count);
    runs += Number(row.count);
    const rowFirst = Number(row.first);
    const rowLast = Math.max(Number(row.lastStarted), Number(row.lastFinished ?? 0));
    first = first === null ? rowFirst : Math.min(first, rowFirst);
    last = last === null ? rowLast : Math.max(last, rowLast);
  }
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return { firstRunAt: iso(first), lastRunAt: iso(last), runs, byStatus };
}
