import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger } from '../store/run-ledger.js';
import type { Window } from '../time.js';
import type { AttemptMark } from './attempt-marks.js';

export const EVIDENCE_MISSING = 'EVIDENCE_MISSING';

/**
 * Windows whose succeeded runs recorded items the store no longer holds, merged where they touch, as marks
 * of kind `evidence_missing`: such a window is a gap, not coverage. One per-run count query per stream.
 */
export async function missingEvidenceMarks(
  store: EvidenceStore,
  stream: string,
  period: Window,
): Promise<AttemptMark[]> {
  const shortfalls = await new RunLedger(store).windowsMissingEvidence(stream, period);
  const marks: AttemptMark[] = [];
  for (const { window, recorded, stored } of shortfalls) {
    const last = marks[marks.length - 1];
    if (last && window.start <= last.end)
      marks[marks.length - 1] = {
        ...last,
        end: Math.max(last.end, window.end),
        missing: (last.missing ?? 0) + recorded - stored,
      };
    else
      marks.push({ ...window, kind: 'evidence_missing', code: EVIDENCE_MISSING, missing: recorded - stored });
  }
  return marks;
}

/** `covered` (merged, sorted) less the `lost` windows (merged, sorted). */
export function subtractWindows(covered: readonly Window[], lost: readonly Window[]): Window[] {
  if (lost.length === 0) return [...covered];
  const result: Window[] = [];
  let index = 0;
  for (const window of covered) {
    let from = window.start;
    while (index < lost.length && lost[index]!.end <= from) index += 1;
    for (let scan = index; scan < lost.length && lost[scan]!.start < window.end; scan += 1) {
      const cut = lost[scan]!;
      if (cut.start > from) result.push({ start: from, end: cut.start });
      from = Math.max(from, cut.end);
    }
    if (from < window.end) result.push({ start: from, end: window.end });
  }
  return result;
}

/** Two mark lists, each in start order, as one in start order (the gap classifier walks them so). */
export function mergeMarks(a: readonly AttemptMark[], b: readonly AttemptMark[]): AttemptMark[] {
  if (b.length === 0) return [...a];
  return [...a, ...b].sort((x, y) => x.start - y.start || x.end - y.end);
}
