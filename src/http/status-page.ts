import { escapeHtml, formatUtc, humanDuration } from '../render/html.js';
import { renderLegend, renderStreamTimeline, timelineStyles } from '../render/timeline.js';
import type { StreamContinuity } from '../continuity/types.js';
import type { StreamInstance } from '../registry.js';
import type { Run } from '../store/run-ledger.js';
import type { OpenAlert } from './alerts.js';
import type { NextDue, StatusData } from './status-data.js';
import { criteriaTable, glanceTable } from './status-summary.js';

/** Gap rows per stream on the page; the CLI and the auditor package list them all. */
const MAX_GAP_ROWS = 25;

const pageStyles = `
body { margin: 0; background: #fafafa; color: #1a1a1a; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.45rem; margin: 0.4rem 0; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; }
table.ew-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; background: #fff; }
.ew-table th, .ew-table td { text-align: left; padding: 0.3rem 0.55rem; border-bottom: 1px solid #ddd; vertical-align: top; }
.ew-table th { background: #f0f0f0; }
.ew-badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 3px; font-weight: 600; }
.ew-good { background: #e8f5e9; color: #1b5e20; }
.ew-bad { background: #ffebee; color: #b71c1c; }
.ew-warn { background: #fff8e1; color: #8d4a00; }
.ew-none { background: #eceff1; color: #37474f; }
.ew-card { background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: 0.8rem 1rem; margin: 0 0 1rem; }
.ew-ops { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.6rem 0 0; font-size: 0.9rem; }
.ew-ops dt { font-weight: 600; }
.ew-ops dd { margin: 0; }
form.ew-period { display: flex; flex-wrap: wrap; align-items: end; gap: 0.6rem; margin: 0.6rem 0; }
form.ew-period label { display: flex; flex-direction: column; font-size: 0.85rem; }
.ew-error { background: #ffebee; border: 1px solid #c62828; padding: 0.6rem 0.9rem; border-radius: 4px; }
`;

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function runText(run: Run | undefined): string {
  if (!run) return 'no run yet';
  const window = `${formatUtc(run.window_start)} to ${formatUtc(run.window_end)}`;
  const badge = run.status === 'succeeded' ? 'ew-good' : run.status === 'running' ? 'ew-warn' : 'ew-bad';
  const items = `${run.items_new} new, ${run.items_changed} changed, ${run.items_unchanged} unchanged, ${run.items_skipped} skipped`;
  const error = run.error_code ? ` · <code>${escapeHtml(run.error_code)}</code>` : '';
  const finished = run.finished_at === null ? 'still running' : `finished ${formatUtc(run.finished_at)}`;
  return `<span class="ew-badge ${badge}">${escapeHtml(run.status)}</span>${error} · window ${escapeHtml(window)} · ${escapeHtml(
    finished,
  )} · ${escapeHtml(items)} · ${escapeHtml(run.trigger)}`;
}

function nextDueText(due: NextDue | undefined, now: number): string {
  if (!due || due.state === 'unscheduled') return 'not scheduled yet (the planner has not seen this stream)';
  const window = `${formatUtc(due.window.start)} to ${formatUtc(due.window.end)}`;
  if (due.state === 'overdue') {
    return `<span class="ew-badge ew-warn">due since ${escapeHtml(formatUtc(due.dueAt))}</span> ${escapeHtml(
      window,
    )} · ${due.backlog} window(s) waiting`;
  }
  return `${escapeHtml(window)}, due ${escapeHtml(formatUtc(due.dueAt))} (in ${escapeHtml(humanDuration(due.dueAt - now))})`;
}

function alertRows(alerts: readonly OpenAlert[], withStream: boolean): string {
  return alerts
    .map(
      (alert) =>
        `<tr>${withStream ? `<td>${escapeHtml(alert.stream ?? '(all)')}</td>` : ''}<td><span class="ew-badge ew-bad">${escapeHtml(
          alert.kind,
        )}</span></td><td>${alert.openedAt === null ? '' : escapeHtml(formatUtc(alert.openedAt))}</td><td>${escapeHtml(
          alert.message,
        )}</td></tr>`,
    )
    .join('');
}

function alertsTable(alerts: readonly OpenAlert[], withStream: boolean): string {
  if (alerts.length === 0) return '<p class="ew-no-alerts">No open alerts.</p>';
  return `<table class="ew-table ew-alerts"><thead><tr>${withStream ? '<th>Stream</th>' : ''}<th>Kind</th><th>Open since</th><th>Message</th></tr></thead><tbody>${alertRows(
    alerts,
    withStream,
  )}</tbody></table>`;
}

function streamSection(
  stream: StreamInstance,
  continuity: StreamContinuity | undefined,
  data: StatusData,
): string {
  const alerts = data.alerts.filter((alert) => alert.stream === stream.id);
  const timeline = continuity
    ? renderStreamTimeline(continuity, { maxGapRows: MAX_GAP_ROWS, headingLevel: 3 })
    : `<section class="ew-tl-stream" data-stream="${escapeHtml(stream.id)}"><h3>${escapeHtml(stream.id)}</h3><p>No continuity figures.</p></section>`;
  return `<div class="ew-card ew-stream" id="stream-${escapeHtml(stream.id)}">
${timeline}
<dl class="ew-ops">
<dt>Last run</dt><dd class="ew-last-run">${runText(data.lastRuns.get(stream.id))}</dd>
<dt>Next due window</dt><dd class="ew-next-due">${nextDueText(data.nextDue.get(stream.id), data.now)}</dd>
<dt>Open alerts</dt><dd class="ew-stream-alerts">${alerts.length ? alertsTable(alerts, false) : 'none'}</dd>
</dl>
</div>`;
}

/** Chain heads, to be written down elsewhere: `verify-store --since` proves the store still extends them. */
function chainHeadsTable(data: StatusData): string {
  if (data.chainHeads.length === 0) return '<p class="ew-chain-heads">No evidence stored yet.</p>';
  const rows = data.chainHeads
    .map(
      (head) =>
        `<tr><td>${escapeHtml(head.stream)}</td><td>${head.seq}</td><td><code>${escapeHtml(head.hash)}</code></td></tr>`,
    )
    .join('');
  return `<p>Each export records these in MANIFEST.json; <code>verify-store --since MANIFEST.json</code> proves the store still extends them.</p>
<table class="ew-table ew-chain-heads"><thead><tr><th>Stream</th><th>Row</th><th>Hash</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The whole page: one server-rendered document, no scripts; the period form is a plain GET form. */
export function renderStatusPage(data: StatusData): string {
  const report = data.report;
  const verdict = report
    ? report.complete
      ? '<span class="ew-badge ew-good">complete: every stream covered, nothing silent</span>'
      : '<span class="ew-badge ew-bad">incomplete: see the gaps below</span>'
    : '<span class="ew-badge ew-warn">continuity unknown</span>';
  const error = data.reportError
    ? `<p class="ew-error" role="alert">Continuity report unavailable: ${escapeHtml(data.reportError)}</p>`
    : '';
  const lastDay = day(data.period.end - 1);
  const streams = data.streams
    .map((stream) =>
      streamSection(
        stream,
        report?.streams.find((entry) => entry.stream === stream.id),
        data,
      ),
    )
    .join('\n');
  // Entries of the report that are no collected stream: recurring artefacts (access reviews, minutes).
  const known = new Set(data.streams.map((stream) => stream.id));
  const others = (report?.streams ?? [])
    .filter((entry) => !known.has(entry.stream))
    .map(
      (entry) =>
        `<div class="ew-card ew-stream" id="stream-${escapeHtml(entry.stream)}">${renderStreamTimeline(
          entry,
          {
            maxGapRows: MAX_GAP_ROWS,
            headingLevel: 3,
          },
        )}</div>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>evidence-worker status</title>
<style>${pageStyles}${timelineStyles}</style>
</head>
<body>
<main class="ew-tl">
<h1>evidence-worker status</h1>
<p>Audit period ${escapeHtml(formatUtc(data.period.start))} to ${escapeHtml(formatUtc(data.period.end))} · ${verdict} · rendered ${escapeHtml(
    formatUtc(data.now),
  )}</p>
<form class="ew-period" method="get" action="">
<label>From <input type="date" name="from" value="${day(data.period.start)}"></label>
<label>To <input type="date" name="to" value="${lastDay}"></label>
<button type="submit">Show period</button>
</form>
${error}
<h2>At a glance</h2>
${glanceTable(data)}
<h2>Coverage by SOC 2 criterion</h2>
${criteriaTable(data)}
<h2>Open alerts</h2>
${alertsTable(data.alerts, true)}
<h2>Streams</h2>
${renderLegend()}
${streams || '<p>No streams are configured.</p>'}
${others ? `<h2>Recurring artefacts</h2>\n${others}` : ''}
<h2>Evidence chain heads</h2>
${chainHeadsTable(data)}
</main>
</body>
</html>`;
}
