import type { Window } from '../time.js';
import type { SilentPeriod } from './types.js';

/**
 * Finds silent periods: stretches of covered time (runs succeeded) in which no bucket held a non-quiet
 * item, longer than the threshold. Fed active buckets in time order, so it never holds the items.
 * A coverage gap ends a stretch: the gap is reported as a gap, not as silence.
 */
export class SilenceTracker {
  private index = 0;
  private quietFrom: number | undefined;
  private readonly found: SilentPeriod[] = [];

  constructor(
    private readonly covered: readonly Window[],
    private readonly bucketMs: number,
    private readonly thresholdMs: number,
  ) {
    this.quietFrom = covered[0]?.start;
  }

  /** A bucket starting at `start` held at least one non-quiet item. */
  active(start: number): void {
    const end = start + this.bucketMs;
    let segment = this.covered[this.index];
    while (segment && segment.end <= start) {
      this.emit(segment.end);
      segment = this.next();
    }
    if (!segment || end <= segment.start) return;
    this.emit(start);
    while (segment && segment.end <= end) segment = this.next();
    this.quietFrom = segment ? Math.max(segment.start, end) : undefined;
  }

  finish(): SilentPeriod[] {
    let segment = this.covered[this.index];
    while (segment) {
      this.emit(segment.end);
      segment = this.next();
    }
    return this.found;
  }

  private next(): Window | undefined {
    this.index += 1;
    const segment = this.covered[this.index];
    this.quietFrom = segment?.start;
    return segment;
  }

  private emit(until: number): void {
    const from = this.quietFrom;
    if (from !== undefined && until - from > this.thresholdMs)
      this.found.push({ start: from, end: until, thresholdMs: this.thresholdMs });
    if (from !== undefined && until > from) this.quietFrom = until;
  }
}
