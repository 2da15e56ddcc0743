import { describe, expect, it } from 'vitest';
import { formatContinuity } from '../../src/continuity/format.js';
import { classifyGaps, type GapContext } from '../../src/continuity/gaps.js';
import type { ContinuityReport } from '../../src/continuity/types.js';
import { HOUR } from '../../src/time.js';

const DAY0 = Date.UTC(2026, 2, 1);

function context(sourceLagMs: number): GapContext {
  return {
    horizon: DAY0 + 2 * HOUR,
    readableFrom: Number.NEGATIVE_INFINITY,
    retention: { kind: 'forever', reason: 'kept forever' },
    sourceLagMs,
  };
}

function printed(sourceLagMs: number): string {
  const period = { start: DAY0, end: DAY0 + 4 * HOUR };
  const gaps = classifyGaps([{ start: DAY0 + 2 * HOUR, end: DAY0 + 4 * HOUR }], [], context(sourceLagMs));
  const report: ContinuityReport = {
    period,
    generatedAt: DAY0 + 2 * HOUR,
    complete: true,
    streams: [
      {
        stream: 'fakesrc-changes',
        kind: 'events',
        criteria: [],
        period,
        coveragePercent: 100,
        covered: [{ start: DAY0, end: DAY0 + 2 * HOUR }],
        gaps,
        silent: [],
        itemCount: 0,
        exceptionCount: 0,
      },
    ],
  };
  return formatContinuity(report);
}

describe('a window not yet due, as the continuity and collect commands print it', () => {
  it('says "not yet due" once and names no source lag when there is none', () => {
    const text = printed(0);
    expect(text).toContain('not yet due: the window has not closed');
    expect(text).not.toContain('not yet due: not yet due');
    expect(text).not.toContain('source lag');
  });

  it('names the source lag when the stream has one', () => {
    expect(printed(2 * HOUR)).toContain('not yet due: the window has not closed (source lag 2h)');
  });
});
