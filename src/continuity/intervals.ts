import type { Window } from '../time.js';

/** Appends `next` to a list of merged windows sorted by start (input must arrive in start order). */
export function appendMerged(merged: Window[], next: Window): void {
  const last = merged[merged.length - 1] as { start: number; end: number } | undefined;
  if (last && next.start <= last.end) {
    // Windows in this list are built here and never shared, so extending in place is safe.
    if (next.end > last.end) last.end = next.end;
    return;
  }
  merged.push({ start: next.start, end: next.end });
}

/** The parts of `period` that no window in `covered` (merged, sorted) reaches. */
export function uncovered(period: Window, covered: readonly Window[]): Window[] {
  const holes: Window[] = [];
  let from = period.start;
  for (const window of covered) {
    if (window.end <= from) continue;
    if (window.start >= period.end) break;
    if (window.start > from) holes.push({ start: from, end: window.start });
    from = Math.max(from, window.end);
  }
  if (from < period.end) holes.push({ start: from, end: period.end });
  return holes;
}

/** Windows clipped to `period`, dropping the ones outside it. */
export function clip(windows: readonly Window[], period: Window): Window[] {
  const clipped: Window[] = [];
  for (const window of windows) {
    const start = Math.max(window.start, period.start);
    const end = Math.min(window.end, period.end);
    if (end > start) clipped.push({ start, end });
  }
  return clipped;
}

export function totalLength(windows: readonly Window[]): number {
  return windows.reduce((sum, window) => sum + (window.end - window.start), 0);
}
