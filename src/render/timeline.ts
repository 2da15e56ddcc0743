import type { ContinuityReport, Gap, GapCause, SilentPeriod, StreamContinuity } from '../continuity/types.js';
import { describeFlaggedItems } from '../checks/finding-codes.js';
import type { Window } from '../time.js';
import { escapeHtml, formatUtc, humanDuration } from './html.js';

/**
 * Server-rendered audit-period timeline, one bar per stream: covered, gap, failed, silent (and not yet
 * due) in their own colours, with a legend. Every segment carries a title (hover) and every gap and silent
 * period is also listed as visible text, because an auditor's PDF printout has no hover. No JavaScript.
 *
 * Self-contained: the status page and the auditor package's continuity report both embed it. Put
 * `timelineStyles` in a <style> element once per document; every class is prefixed `ew-tl-`.
 */

export type SegmentKind = 'covered' | 'gap' | 'failed' | 'silent' | 'pending';

export interface TimelineOptions {
  /** Show at most this many gap rows per stream, then "and N more" (the status page); default all. */
  readonly maxGapRows?: number;
  /** Heading level of each stream's title (h2 by default). */
  readonly headingLevel?: 2 | 3 | 4;
}

const CAUSE_TEXT: Record<GapCause, string> = {
  never_attempted: 'never attempted (collection did not run)',
  failed: 'attempted and failed',
  not_yet_due: 'not yet due',
  unrecoverable: 'unrecoverable at the source',
  artefact_missing: 'artefact missing',
  evidence_missing: 'collected, but items the ledger recorded are missing from the store',
  source_unreadable: 'a source file stayed unreadable (recoverable: repair re-reads it)',
};

const LEGEND: readonly { kind: SegmentKind; label: string }[] = [
  { kind: 'covered', label: 'covered' },
  { kind: 'gap', label: 'gap (not collected)' },
  { kind: 'failed', label: 'failed' },
  { kind: 'silent', label: 'silent (no items)' },
  { kind: 'pending', label: 'not yet due' },
];

export const timelineStyles = `
.ew-tl { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; }
.ew-tl-legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0 0 0.8rem; padding: 0; list-style: none; }
.ew-tl-legend li { display: inline-flex; align-items: center; gap: 0.35rem; }
.ew-tl-swatch { display: inline-block; width: 1.1rem; height: 0.8rem; border: 1px solid #555; }
.ew-tl-stream { margin: 0 0 1.4rem; }
.ew-tl-stream > h2, .ew-tl-stream > h3, .ew-tl-stream > h4 { font-size: 1.05rem; margin: 0 0 0.2rem; }
.ew-tl-meta { margin: 0 0 0.35rem; color: #444; font-size: 0.9rem; }
.ew-tl-bar { position: relative; height: 1.6rem; background: #eceff1; border: 1px solid #90a4ae; border-radius: 3px; overflow: hidden; }
.ew-tl-seg { position: absolute; top: 0; bottom: 0; min-width: 2px; box-sizing: border-box; }
.ew-tl-covered { background: #2e7d32; }
.ew-tl-gap { background: #f9a825; background-image: repeating-linear-gradient(45deg, transparent 0 4px, rgba(0,0,0,.18) 4px 6px); }
.ew-tl-failed { background: #c62828; background-image: repeating-linear-gradient(-45deg, transparent 0 4px, rgba(255,255,255,.3) 4px 6px); }
.ew-tl-silent { background: #6a1b9a; top: 35%; bottom: 35%; }
.ew-tl-pending { background: #b0bec5; }
.ew-tl-unrecoverable { outline: 2px solid #000; outline-offset: -2px; }
.ew-tl-axis { display: flex; justify-content: space-between; font-size: 0.78rem; color: #555; margin-top: 0.15rem; }
.ew-tl-issues { border-collapse: collapse; margin-top: 0.45rem; font-size: 0.86rem; width: 100%; }
.ew-tl-issues th, .ew-tl-issues td { text-align: left; padding: 0.2rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
.ew-tl-issues th { background: #f5f5f5; font-weight: 600; }
.ew-tl-ok { color: #2e7d32; margin: 0.35rem 0 0; font-size: 0.9rem; }
.ew-tl-note { color: #8d4a00; margin: 0.35rem 0 0; font-size: 0.9rem; }
.ew-tl-tag { display: inline-block; padding: 0 0.35rem; border-radius: 3px; font-size: 0.8rem; color: #fff; }
.ew-tl-tag.ew-tl-covered, .ew-tl-tag.ew-tl-failed, .ew-tl-tag.ew-tl-silent { color: #fff; }
.ew-tl-tag.ew-tl-gap, .ew-tl-tag.ew-tl-pending { color: #1a1a1a; }
@media print { .ew-tl-seg, .ew-tl-swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`;

/** The colour class a gap is drawn in: failed attempts red, future windows grey, every other hole amber. */
export function gapKind(gap: Gap): SegmentKind {
  if (gap.cause === 'failed') return 'failed';
  if (gap.cause === 'not_yet_due') return 'pending';
  return 'gap';
}

export function describeGap(gap: Gap): string {
  const cause = CAUSE_TEXT[gap.cause] ?? gap.cause;
  const code = gap.errorCode ? ` (${gap.errorCode})` : '';
  const recoverable = gap.recoverable ? 'recoverable' : 'not recoverable';
  return `${cause}${code}; ${recoverable}: ${gap.reason}`;
}

function windowText(window: Window): string {
  return `${formatUtc(window.start)} to ${formatUtc(window.end)}`;
}

/** Absolutely positioned segment, clipped to the period; percentages keep it fluid on any screen. */
function segment(period: Window, window: Window, kind: SegmentKind, title: string, extra = ''): string {
  const span = period.end - period.start;
  const start = Math.max(window.start, period.start);
  const end = Math.min(window.end, period.end);
  if (span <= 0 || end <= start) return '';
  const left = ((start - period.start) / span) * 100;
  const width = ((end - start) / span) * 100;
  const classes = `ew-tl-seg ew-tl-${kind}${extra}`;
  return `<span class="${classes}" data-kind="${kind}" style="left:${left.toFixed(4)}%;width:${width.toFixed(4)}%" title="${escapeHtml(title)}"></span>`;
}

function silentTitle(silent: SilentPeriod): string {
  return `silent: no items from ${windowText(silent)} (threshold ${humanDuration(silent.thresholdMs)})`;
}

/** Items with findings, deviations apart from evidence pending collection or unreadable. */
function itemsFlagged(stream: StreamContinuity): string {
  return escapeHtml(
    describeFlaggedItems(
      stream.flagged ?? {
        deviation: stream.exceptionCount,
        'evidence pending collection': 0,
        'evidence unreadable': 0,
      },
    ),
  );
}

function renderBar(stream: StreamContinuity): string {
  const { period } = stream;
  const parts = [
    ...stream.covered.map((window) => segment(period, window, 'covered', `covered: ${windowText(window)}`)),
    ...stream.gaps.map((gap) =>
      segment(
        period,
        gap,
        gapKind(gap),
        `${windowText(gap)}: ${describeGap(gap)}`,
        gap.recoverable || gap.cause === 'not_yet_due' ? '' : ' ew-tl-unrecoverable',
      ),
    ),
    // Silent periods sit inside covered time, so they are drawn last, as a band over the green.
    ...stream.silent.map((silent) => segment(period, silent, 'silent', silentTitle(silent))),
  ];
  const label = `Timeline of ${stream.stream}: ${stream.coveragePercent.toFixed(1)}% covered, ${stream.gaps.length} gap(s), ${stream.silent.length} silent period(s)`;
  return `<div class="ew-tl-bar" role="img" aria-label="${escapeHtml(label)}">${parts.join('')}</div>
<div class="ew-tl-axis"><span>${formatUtc(period.start)}</span><span>${formatUtc(
    period.start + (period.end - period.start) / 2,
  )}</span><span>${formatUtc(period.end)}</span></div>`;
}

function tag(kind: SegmentKind, text: string): string {
  return `<span class="ew-tl-tag ew-tl-${kind}">${escapeHtml(text)}</span>`;
}

/** Gaps and silent periods in time order; capped, the most recent stay (those an operator acts on). */
function renderIssues(stream: StreamContinuity, maxRows: number): string {
  const rows: { start: number; html: string }[] = [];
  for (const gap of stream.gaps) {
    const kind = gapKind(gap);
    const what = kind === 'failed' ? 'failed' : kind === 'pending' ? 'not yet due' : 'gap';
    rows.push({
      start: gap.start,
      html: `<tr class="ew-tl-issue" data-kind="${kind}" data-cause="${escapeHtml(gap.cause)}"><td>${tag(kind, what)}</td><td>${escapeHtml(
        windowText(gap),
      )}</td><td>${escapeHtml(humanDuration(gap.end - gap.start))}</td><td>${escapeHtml(
        CAUSE_TEXT[gap.cause] ?? gap.cause,
      )}${gap.errorCode ? ` <code>${escapeHtml(gap.errorCode)}</code>` : ''}</td><td>${
        gap.recoverable ? 'recoverable' : '<strong>not recoverable</strong>'
      }</td><td>${escapeHtml(gap.reason)}</td></tr>`,
    });
  }
  for (const silent of stream.silent) {
    rows.push({
      start: silent.start,
      html: `<tr class="ew-tl-issue" data-kind="silent"><td>${tag('silent', 'silent')}</td><td>${escapeHtml(
        windowText(silent),
      )}</td><td>${escapeHtml(humanDuration(silent.end - silent.start))}</td><td>no items for longer than ${escapeHtml(
        humanDuration(silent.thresholdMs),
      )}</td><td></td><td>runs succeeded but the source yielded nothing</td></tr>`,
    });
  }
  if (rows.length === 0) return `<p class="ew-tl-ok">No gaps and no silent periods in this period.</p>`;
  rows.sort((a, b) => a.start - b.start);
  const shown = rows.slice(Math.max(0, rows.length - maxRows)).map((row) => row.html);
  const more =
    rows.length > shown.length
      ? `<tr><td colspan="6">${rows.length - shown.length} earlier not shown</td></tr>`
      : '';
  return `<table class="ew-tl-issues"><thead><tr><th>Kind</th><th>When (UTC)</th><th>Length</th><th>Cause</th><th>Recoverable</th><th>Reason</th></tr></thead><tbody>${more}${shown.join('')}</tbody></table>`;
}

/** One stream's block: title, figures, bar, axis and the list of its gaps and silent periods. */
export function renderStreamTimeline(stream: StreamContinuity, options: TimelineOptions = {}): string {
  const level = options.headingLevel ?? 2;
  const criteria = stream.criteria.length ? stream.criteria.join(', ') : 'none';
  const stale = stream.staleSnapshot
    ? `<p class="ew-tl-note">Last snapshot ${
        stream.staleSnapshot.lastAt === null
          ? 'never taken'
          : `taken ${escapeHtml(formatUtc(stream.staleSnapshot.lastAt))}`
      }: ${escapeHtml(humanDuration(stream.staleSnapshot.ageMs))} old, older than its cadence allows.</p>`
    : '';
  return `<section class="ew-tl-stream" data-stream="${escapeHtml(stream.stream)}">
<h${level}>${escapeHtml(stream.stream)}</h${level}>
<p class="ew-tl-meta">${escapeHtml(stream.kind)} · SOC 2 ${escapeHtml(criteria)} · <strong>${stream.coveragePercent.toFixed(
    1,
  )}% covered</strong> · ${stream.itemCount} item(s) · ${itemsFlagged(stream)}</p>
${renderBar(stream)}
${renderIssues(stream, options.maxGapRows ?? Number.POSITIVE_INFINITY)}${stale}
</section>`;
}

export function renderLegend(): string {
  return `<ul class="ew-tl-legend" aria-label="Legend">${LEGEND.map(
    (entry) => `<li><span class="ew-tl-swatch ew-tl-${entry.kind}"></span>${escapeHtml(entry.label)}</li>`,
  ).join(
    '',
  )}<li><span class="ew-tl-swatch ew-tl-gap ew-tl-unrecoverable"></span>black outline: not recoverable</li></ul>`;
}

/** The whole report: legend, then one block per stream. Returns an HTML fragment (no <html>, no <style>). */
export function renderTimeline(report: ContinuityReport, options: TimelineOptions = {}): string {
  const streams = report.streams.map((stream) => renderStreamTimeline(stream, options)).join('\n');
  return `<div class="ew-tl" data-period-start="${report.period.start}" data-period-end="${report.period.end}">
<p class="ew-tl-meta">Audit period ${escapeHtml(windowText(report.period))} · generated ${escapeHtml(
    formatUtc(report.generatedAt),
  )} · ${report.complete ? 'complete: every stream covered, nothing silent' : '<strong>incomplete</strong>'}</p>
${renderLegend()}
${streams || '<p>No streams in this report.</p>'}
</div>`;
}
