import { describe, expect, it } from 'vitest';
import { backfillWindows } from '../../src/collection/backfill.js';
import { Coverage } from '../../src/store/coverage.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D0 = Date.UTC(2026, 5, 1);

describe('backfill windows', () => {
  it('uses day-long windows for hourly streams over past days, hourly ones for the tail before the horizon', () => {
    const windows = backfillWindows({ start: D0, end: D0 + 3 * DAY }, HOUR, DAY, D0 + 2 * DAY + 5 * HOUR);
    expect(windows.slice(0, 2)).toEqual([
      { start: D0, end: D0 + DAY },
      { start: D0 + DAY, end: D0 + 2 * DAY },
    ]);
    expect(windows.slice(2, 4)).toEqual([
      { start: D0 + 2 * DAY, end: D0 + 2 * DAY + HOUR },
      { start: D0 + 2 * DAY + HOUR, end: D0 + 2 * DAY + 2 * HOUR },
    ]);
    expect(windows).toHaveLength(2 + 24);
    for (let index = 1; index < windows.length; index += 1)
      expect(windows[index]!.start).toBe(windows[index - 1]!.end);
  });

  it('keeps the cadence when the span is not a multiple of it', () => {
    const windows = backfillWindows({ start: D0, end: D0 + DAY }, 7 * HOUR, DAY, D0 + 10 * DAY);
    expect(windows.every((window) => window.end - window.start === 7 * HOUR)).toBe(true);
  });
});

describe('coverage', () => {
  it('merges runs of any size and answers containment', () => {
    const coverage = new Coverage([
      { start: D0, end: D0 + DAY },
      { start: D0 + DAY, end: D0 + DAY + HOUR },
      { start: D0 + 3 * HOUR, end: D0 + 4 * HOUR },
      { start: D0 + 2 * DAY, end: D0 + 3 * DAY },
    ]);
    expect(coverage.covers({ start: D0 + 5 * HOUR, end: D0 + 6 * HOUR })).toBe(true);
    expect(coverage.covers({ start: D0 + 23 * HOUR, end: D0 + DAY + HOUR })).toBe(true);
    expect(coverage.covers({ start: D0 + DAY + HOUR, end: D0 + DAY + 2 * HOUR })).toBe(false);
    expect(coverage.covers({ start: D0 + 2 * DAY - HOUR, end: D0 + 2 * DAY + HOUR })).toBe(false);
    expect(coverage.size).toBe(2);
  });
});
