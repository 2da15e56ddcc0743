import { writeFile } from 'node:fs/promises';
import { rejectedCount } from '../continuity/format.js';
import type { ContinuityReport } from '../continuity/types.js';
import { renderTimeline, timelineStyles } from '../render/timeline.js';
import type { AuditPeriod } from './audit-period.js';
import { CONTINUITY_HEADERS, continuityRows } from './continuity-csv.js';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const PAGE_STYLES = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; }
table.facts { border-collapse: collapse; font-size: 0.85rem; margin-top: 1.5rem; }
table.facts th, table.facts td { border: 1px solid #d0d7de; padding: 0.25rem 0.5rem; text-align: left; }
table.facts th { background: #f6f8fa; }
.verdict-complete { color: #1a7f37; } .verdict-incomplete { color: #cf222e; }
`;

/**
 * The continuity report an auditor opens: a self-contained page (no scripts, no remote assets) with the
 * shared timeline per stream and, below it, the same facts as the CSV.
 */
export function renderContinuityPage(
  report: ContinuityReport,
  period: AuditPeriod,
  toolVersion: string,
): string {
  const rows = report.streams.flatMap(continuityRows);
  const table = [
    '<table class="facts"><thead><tr>',
    ...CONTINUITY_HEADERS.map((header) => `<th>${escapeHtml(header)}</th>`),
    '</tr></thead><tbody>',
    ...rows.map(
      (row) =>
        `<tr>${row.map((cell) => `<td>${escapeHtml(cell === null ? '' : String(cell))}</td>`).join('')}</tr>`,
    ),
    '</tbody></table>',
  ].join('\n');
  const rejected = report.streams.reduce((sum, entry) => sum + rejectedCount(entry), 0);
  const rejectedNote = rejected
    ? ` ${rejected} record(s) or file(s) the sources gave could not become evidence: see Rejected_Records_${escapeHtml(period.label)}.`
    : '';
  const verdict = report.complete
    ? rejected
      ? `<p class="verdict-incomplete">Every stream is fully covered and nothing was silent, but not clean:${rejectedNote}</p>`
      : '<p class="verdict-complete">Every stream is fully covered and nothing was silent.</p>'
    : `<p class="verdict-incomplete">The period has gaps or silent stretches: see the timeline and the table.${rejectedNote}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Continuity report ${escapeHtml(period.label)}</title>
<style>${PAGE_STYLES}${timelineStyles}</style>
</head>
<body>
<h1>Continuity of evidence collection, ${escapeHtml(period.label)}</h1>
<p>Period ${new Date(period.start).toISOString()} to ${new Date(period.end).toISOString()} (end exclusive).
Generated ${new Date(report.generatedAt).toISOString()} by evidence-worker ${escapeHtml(toolVersion)} from the collection ledger.</p>
${verdict}
${renderTimeline(report)}
${table}
</body>
</html>
`;
}

export async function writeContinuityHtml(
  file: string,
  report: ContinuityReport,
  period: AuditPeriod,
  toolVersion: string,
): Promise<void> {
  await writeFile(file, renderContinuityPage(report, period, toolVersion));
}
