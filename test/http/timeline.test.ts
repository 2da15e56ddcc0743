import { describe, expect, it } from 'vitest';
import type { ContinuityReport, StreamContinuity } from '../../src/continuity/types.js';
import { escapeHtml } from '../../src/render/html.js';
import { renderTimeline, timelineStyles } from '../../src/render/timeline.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const period = { start: START, end: START + 10 * DAY };

function stream(overrides: Partial<StreamContinuity>): StreamContinuity {
  return {
    stream: 'test.events',
    kind: 'events',
    criteria: ['CC8.1'],
    period,
    coveragePercent: 100,
    covered: [period],
    gaps: [],
    silent: [],
    itemCount: 10,
    exceptionCount: 0,
    ...overrides,
  };
}

function report(streams: StreamContinuity[]): ContinuityReport {
  return { period, generatedAt: period.end, streams, complete: false };
}

/** The segments of one stream's bar, as [kind, left%, width%, title]. */
function segments(html: string, streamId: string): [string, number, number, string][] {
  const section = html.split(`data-stream="${streamId}"`)[1]?.split('</section>')[0] ?? '';
  return [
    ...section.matchAll(
      /class="ew-tl-seg[^"]*" data-kind="(\w+)" style="left:([\d.]+)%;width:([\d.]+)%" title="([^"]*)"/g,
    ),
  ].map((match) => [match[1]!, Number(match[2]), Number(match[3]), match[4]!]);
}

describe('renderTimeline', () => {
  it('draws covered, failed, gap, silent and pending segments at their place in the period', () => {
    const html = renderTimeline(
      report([
        stream({
          stream: 'a.one',
          coveragePercent: 60,
          covered: [
            { start: START, end: START + 3 * DAY },
            { start: START + 5 * DAY, end: START + 8 * DAY },
          ],
          gaps: [
            {
              start: START + 3 * DAY,
              end: START + 4 * DAY,
              cause: 'failed',
              errorCode: 'AUTH_INVALID',
              recoverable: true,
              reason: 'GitHub keeps commits forever',
            },
            {
              start: START + 4 * DAY,
              end: START + 5 * DAY,
              cause: 'never_attempted',
              recoverable: false,
              reason: 'a snapshot cannot be taken of the past',
            },
            {
              start: START + 8 * DAY,
              end: START + 10 * DAY,
              cause: 'not_yet_due',
              recoverable: true,
              reason: 'within the source lag',
            },
          ],
          silent: [{ start: START + 6 * DAY, end: START + 7 * DAY, thresholdMs: DAY }],
        }),
        stream({ stream: 'b.two' }),
      ]),
    );
    const a = segments(html, 'a.one');
    expect(a.map(([kind, left, width]) => [kind, left, width])).toEqual([
      ['covered', 0, 30],
      ['covered', 50, 30],
      ['failed', 30, 10],
      ['gap', 40, 10],
      ['pending', 80, 20],
      ['silent', 60, 10],
    ]);
    expect(a[2]![3]).toContain('attempted and failed (AUTH_INVALID); recoverable');
    expect(a[3]![3]).toContain('never attempted');
    expect(a[3]![3]).toContain('not recoverable');
    expect(html).toContain('class="ew-tl-seg ew-tl-gap ew-tl-unrecoverable" data-kind="gap"');
    expect(html).toContain('class="ew-tl-seg ew-tl-failed" data-kind="failed"');
    // Visible text, not only hover: cause, code and recoverability of each gap are in the table.
    const visible = html.replace(/title="[^"]*"/g, '');
    expect(visible).toContain('attempted and failed <code>AUTH_INVALID</code>');
    expect(visible).toContain('<strong>not recoverable</strong>');
    expect(visible).toContain('a snapshot cannot be taken of the past');
    expect(visible).toContain('no items for longer than 1d');
    // Rows in time order, silent periods among the gaps.
    const section = html.split('data-stream="a.one"')[1]?.split('</section>')[0] ?? '';
    expect(
      [...section.matchAll(/<tr class="ew-tl-issue" data-kind="(\w+)"/g)].map((match) => match[1]),
    ).toEqual(['failed', 'gap', 'silent', 'pending']);
    expect(segments(html, 'b.two').map(([kind]) => kind)).toEqual(['covered']);
    expect(html).toContain('No gaps and no silent periods');
    for (const kind of ['covered', 'gap', 'failed', 'silent', 'pending'])
      expect(html).toContain(`ew-tl-swatch ew-tl-${kind}`);
  });

  it('clips windows to the period and gives each kind its own colour', () => {
    const html = renderTimeline(
      report([stream({ covered: [{ start: START - 5 * DAY, end: START + 5 * DAY }] })]),
    );
    expect(segments(html, 'test.events').map(([kind, left, width]) => [kind, left, width])).toEqual([
      ['covered', 0, 50],
    ]);
    const colours = ['covered', 'gap', 'failed', 'silent', 'pending'].map(
      (kind) => new RegExp(`\\.ew-tl-${kind} \\{ background: (#[0-9a-f]{6})`).exec(timelineStyles)?.[1],
    );
    expect(colours.every(Boolean)).toBe(true);
    expect(new Set(colours).size).toBe(5);
  });

  it('escapes everything that comes from data', () => {
    const html = renderTimeline(
      report([
        stream({
          stream: '<script>x</script>',
          gaps: [
            {
              start: START,
              end: START + DAY,
              cause: 'failed',
              errorCode: '"><img>',
              recoverable: true,
              reason: '<b>bad</b>',
            },
          ],
        }),
      ]),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img>');
    expect(html).not.toContain('<b>bad</b>');
    expect(html).toContain(escapeHtml('<b>bad</b>'));
  });

  it('caps the gap rows when asked', () => {
    const gaps = Array.from({ length: 5 }, (_, index) => ({
      start: START + index * DAY,
      end: START + index * DAY + 3_600_000,
      cause: 'never_attempted' as const,
      recoverable: true,
      reason: 'commits are kept forever',
    }));
    const html = renderTimeline(report([stream({ gaps })]), { maxGapRows: 2 });
    expect(html.match(/class="ew-tl-issue"/g)).toHaveLength(2);
    expect(html).toContain('3 earlier not shown');
    // The most recent rows stay.
    const table = html.split('<tbody>')[1] ?? '';
    expect(table).toContain('2026-01-05 00:00 UTC to 2026-01-05 01:00 UTC');
    expect(table).not.toContain('2026-01-01 00:00 UTC to 2026-01-01 01:00 UTC');
    expect(segments(html, 'test.events')).toHaveLength(6);
  });
});
