import type { Window } from '../time.js';

/**
 * The union of the windows of some runs, merged into disjoint intervals. A window is covered when one
 * interval contains it, whatever the sizes of the runs that made it up (a day-long backfill run covers
 * the 24 hourly windows the planner would otherwise schedule).
 */
export class Coverage {
  private readonly merged: Window[];

  constructor(windows: Iterable<Window>) {
    const sorted = [...windows].sort((a, b) => a.start - b.start);
    const merged: Window[] = [];
    for (const window of sorted) {
      const last = merged.at(-1);
      if (last && window.start <= last.end)
        merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, window.end) };
      else merged.push({ start: window.start, end: window.end });
    }
    this.merged = merged;
  }

  covers(window: Window): boolean {
    let low = 0;
    let high = this.merged.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const interval = this.merged[middle]!;
      if (interval.end <= window.start) low = middle + 1;
      else if (interval.start > window.start) high = middle - 1;
      else return interval.end >= window.end;
    }
    return false;
  }

  /** The merged, disjoint intervals in order. */
  intervals(): readonly Window[] {
    return this.merged;
  }

  get size(): number {
    return this.merged.length;
  }
}
