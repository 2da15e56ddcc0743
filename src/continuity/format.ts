import { span } from '../alerts/messages.js';
import type { Window } from '../time.js';
import type { ContinuityReport, Gap, StreamContinuity } from './types.js';

const CAUSE: Record<Gap['cause'], string> = {
  never_attempted: 'never attempted',
  failed: 'attempted and failed',
  not_yet_due: 'not yet due',
  unrecoverable: 'unrecoverable',
  artefact_missing: 'artefact missing',
  evidence_missing: 'evidence missing from the store',
  source_unreadable: 'source file unreadable',
};

function at(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function range(window: Window): string {
  return `${at(window.start)} → ${at(window.end)}  ${span(window.end - window.start)}`;
}

/** Floored, so 99.99 % never prints as a reassuring 100.0 %. */
function percent(value: number): string {
  return `${(Math.floor(value * 10) / 10).toFixed(1)}%`;
}

function status(entry: StreamContinuity): string {
  const due = entry.gaps.filter((gap) => gap.cause !== 'not_yet_due');
  const words = [
    due.length ? `${due.length} gap(s)` : '',
    entry.silent.length ? 'silent' : '',
    entry.staleSnapshot ? 'stale' : '',
    rejectedCount(entry) ? `${rejectedCount(entry)} rejected` : '',
  ].filter(Boolean);
  return words.length ? words.join(', ') : 'covered';
}

/** Records, files and conflicting duplicates the stream rejected in the period. */
export function rejectedCount(entry: StreamContinuity): number {
  const rejected = entry.rejected;
  return rejected ? rejected.records + rejected.files + rejected.conflictingDuplicates : 0;
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column >= 2 && column <= 5 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** A complete report with rejects is not clean: it says how many, so 100 % never reads as "nothing lost". */
function rejectedNote(report: ContinuityReport): string {
  const total = report.streams.reduce((sum, entry) => sum + rejectedCount(entry), 0);
  return total ? `, with ${total} rejected record(s) or file(s) (see the rejected records)` : '';
}

/** The continuity report as a terminal table followed by every gap, silent period and stale snapshot. */
export function formatContinuity(report: ContinuityReport): string {
  const lines = [
    `Continuity ${at(report.period.start)} → ${at(report.period.end)} UTC, judged ${at(report.generatedAt)}: ${
      report.complete ? 'COMPLETE' : 'INCOMPLETE'
    }${rejectedNote(report)}`,
    '',
    ...table([
      ['STREAM', 'KIND', 'COVERAGE', 'ITEMS', 'DEVIATIONS', 'PENDING', 'UNREADABLE', 'REJECTED', 'STATUS'],
      ...report.streams.map((entry) => [
        entry.stream,
        entry.kind,
        percent(entry.coveragePercent),
        String(entry.itemCount),
        String(entry.exceptionCount),
        String(entry.flagged?.['evidence pending collection'] ?? 0),
        String(entry.flagged?.['evidence unreadable'] ?? 0),
        String(rejectedCount(entry)),
        status(entry),
      ]),
    ]),
  ];
  const gaps = report.streams.flatMap((entry) => entry.gaps.map((gap) => ({ entry, gap })));
  if (gaps.length) {
    lines.push('', 'Gaps:');
    for (const { entry, gap } of gaps) {
      const code = gap.errorCode ? ` (${gap.errorCode})` : '';
      const recoverable =
        gap.cause === 'not_yet_due' ? '' : gap.recoverable ? '; recoverable' : '; NOT recoverable';
      lines.push(`  ${entry.stream}  ${range(gap)}  ${CAUSE[gap.cause]}${code}${recoverable}: ${gap.reason}`);
    }
  }
  const silent = report.streams.flatMap((entry) => entry.silent.map((period) => ({ entry, period })));
  if (silent.length) {
    lines.push('', 'Silent periods (runs succeeded, no items):');
    for (const { entry, period } of silent) {
      const source = entry.silenceThresholdSource ? `, ${entry.silenceThresholdSource}` : '';
      lines.push(`  ${entry.stream}  ${range(period)}  (threshold ${span(period.thresholdMs)}${source})`);
    }
  }
  for (const entry of report.streams.filter((candidate) => candidate.proof)) {
    const proof = entry.proof!;
    lines.push('', `${entry.stream}: ${proof.title}: ${proof.provenHours}/${proof.totalHours} hours proven`);
    for (const spanOf of proof.spans) {
      const state = spanOf.proven ? 'proven' : `NOT proven (${spanOf.reason ?? 'no proof'})`;
      lines.push(`  ${spanOf.subject}  ${range(spanOf)}  ${state}`);
    }
  }
  const stale = report.streams.filter((entry) => entry.staleSnapshot);
  if (stale.length) {
    lines.push('', 'Stale snapshots:');
    for (const entry of stale) {
      const last = entry.staleSnapshot!.lastAt;
      lines.push(
        `  ${entry.stream}  last ${last === null ? 'never' : at(last)}, ${span(entry.staleSnapshot!.ageMs)} old`,
      );
    }
  }
  return lines.join('\n');
}
