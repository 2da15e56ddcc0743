import { describe, expect, it } from 'vitest';
import { alignDown, formatDuration, gridWindows, parseDay, parseDuration, HOUR } from '../../src/time.js';
import { parsePeriod, parsePeriodArgs } from '../../src/cli/args.js';
import { collectJobId } from '../../src/collection/job-id.js';

describe('time', () => {
  it('parses durations and rejects nonsense', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
    expect(() => parseDuration('1 hour')).toThrow(/expected a duration/);
    expect(formatDuration(3 * HOUR)).toBe('3h');
  });

  it('builds half-open windows on the epoch grid', () => {
    const start = Date.UTC(2026, 0, 1, 0, 30);
    const windows = gridWindows(start, start + 3 * HOUR, HOUR);
    expect(windows[0]!.start).toBe(alignDown(start, HOUR));
    expect(windows).toHaveLength(3);
    for (let index = 1; index < windows.length; index += 1)
      expect(windows[index]!.start).toBe(windows[index - 1]!.end);
  });

  it('accepts only real calendar days', () => {
    expect(parseDay('2026-02-28')).toBe(Date.UTC(2026, 1, 28));
    expect(parseDay('2026-02-30')).toBeUndefined();
    expect(parseDay('26-02-01')).toBeUndefined();
  });

  it('reads --from/--to as whole UTC days and periods as quarters', () => {
    expect(parsePeriodArgs('2026-04-01', '2026-06-30')).toEqual({
      start: Date.UTC(2026, 3, 1),
      end: Date.UTC(2026, 6, 1),
    });
    expect(() => parsePeriodArgs('2026-06-30', '2026-04-01')).toThrow(/before --from/);
    expect(parsePeriod('2026-Q2')).toMatchObject({ start: Date.UTC(2026, 3, 1), end: Date.UTC(2026, 6, 1) });
    expect(() => parsePeriod('2026-Q5')).toThrow(/--period/);
  });

  it('makes job ids without colons that are never all digits', () => {
    const id = collectJobId('github-production-changes', { start: 1767225600000, end: 1767312000000 });
    expect(id).toBe('collect.github-production-changes.1767225600000.1767312000000');
    expect(id).not.toMatch(/:/);
    expect(id).not.toMatch(/^\d+$/);
  });
});
