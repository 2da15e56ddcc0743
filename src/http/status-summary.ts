import type { StreamContinuity } from '../continuity/types.js';
import { escapeHtml } from '../render/html.js';
import { dueCoveragePercent, openGaps, type CriterionSummary, type StatusData } from './status-data.js';

/** The two summary tables at the top of the status page: one line per stream, one per SOC 2 criterion. */

const badge = (kind: 'good' | 'bad' | 'warn' | 'none', text: string) =>
  `<span class="ew-badge ew-${kind}">${escapeHtml(text)}</span>`;

function percent(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)}%`;
}

function streamVerdict(entry: StreamContinuity): string {
  if (openGaps(entry) > 0) return badge('bad', 'gaps');
  if (entry.silent.length > 0) return badge('bad', 'silent');
  if (entry.staleSnapshot) return badge('warn', 'stale snapshot');
  if (dueCoveragePercent(entry) === null) return badge('none', 'nothing due yet');
  return badge('good', 'covered');
}

/** One line per collected stream, linking to its section: the answer to "is the period covered?". */
export function glanceTable(data: StatusData): string {
  if (!data.report) return '';
  const rows = data.streams.map((stream) => {
    const entry = data.report?.streams.find((candidate) => candidate.stream === stream.id);
    const run = data.lastRuns.get(stream.id);
    const alerts = data.alerts.filter((alert) => alert.stream === stream.id).length;
    return `<tr data-glance="${escapeHtml(stream.id)}"><td><a href="#stream-${escapeHtml(stream.id)}">${escapeHtml(
      stream.id,
    )}</a></td><td>${entry ? streamVerdict(entry) : badge('warn', 'unknown')}</td><td>${
      entry ? percent(dueCoveragePercent(entry)) : '–'
    }</td><td>${entry ? openGaps(entry) : '–'}</td><td>${entry ? entry.silent.length : '–'}</td><td>${
      run ? escapeHtml(run.status) : 'no run yet'
    }</td><td>${alerts ? badge('bad', String(alerts)) : '0'}</td></tr>`;
  });
  return `<table class="ew-table ew-glance"><thead><tr><th>Stream</th><th>State</th><th>Coverage (of what is due)</th><th>Gaps</th><th>Silent periods</th><th>Last run</th><th>Open alerts</th></tr></thead><tbody>${rows.join(
    '',
  )}</tbody></table>`;
}

/** Gaps first, then covered, then criteria with nothing due yet: what needs a look comes first. */
function rank(row: CriterionSummary): number {
  if (row.gaps > 0 || row.silentPeriods > 0) return 0;
  return row.minCoveragePercent === null ? 2 : 1;
}

export function criteriaTable(data: StatusData): string {
  if (data.criteria.length === 0)
    return '<p>No coverage figures (see the continuity report error above).</p>';
  const rows = [...data.criteria]
    .sort((a, b) => rank(a) - rank(b))
    .map((row) => {
      // Gaps and silence are holes an auditor will find; evidence not yet due is none. (Not "exceptions":
      // in the package that word is for findings.)
      const state = [badge('bad', 'gaps'), badge('good', 'covered'), badge('none', 'nothing due yet')][
        rank(row)
      ];
      const pending =
        row.notYetDue && row.minCoveragePercent !== null ? ` · ${row.notYetDue} not yet due` : '';
      const unrecoverable = row.unrecoverableGaps ? ` (${row.unrecoverableGaps} not recoverable)` : '';
      return `<tr data-criterion="${escapeHtml(row.criterion)}"><td><strong>${escapeHtml(row.criterion)}</strong> ${escapeHtml(
        row.title,
      )}</td><td>${escapeHtml(row.streams.join(', '))}</td><td>${percent(row.minCoveragePercent)}</td><td>${
        row.gaps
      }${unrecoverable}</td><td>${row.silentPeriods}</td><td>${state}${pending}</td></tr>`;
    })
    .join('');
  const note = data.uncoveredCriteria
    ? `<p>${data.uncoveredCriteria} other in-scope criteria have no automated stream or artefact: their evidence is collected by hand.</p>`
    : '';
  return `<table class="ew-table ew-criteria"><thead><tr><th>SOC 2 criterion</th><th>Streams</th><th>Lowest coverage (of what is due)</th><th>Gaps</th><th>Silent periods</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>${note}`;
}
