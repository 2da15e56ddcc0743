import { rejectedCount } from '../continuity/format.js';
import type { ContinuityReport, StreamContinuity } from '../continuity/types.js';
import type { CellValue } from './neutralise.js';
import { openTableFiles } from './table-files.js';

export const CONTINUITY_HEADERS = [
  'Stream',
  'Kind',
  'Criteria',
  'Coverage %',
  'Items',
  'Items with deviations',
  'Items evidence pending collection',
  'Items evidence unreadable',
  'Rejected',
  'State',
  'From (UTC)',
  'To (UTC)',
  'Cause',
  'Error code',
  'Recoverable',
  'Reason',
];

const iso = (at: number) => new Date(at).toISOString();

/** The timeline as rows: each covered stretch, gap (failed ones named so), silent stretch and stale snapshot. */
export function continuityRows(stream: StreamContinuity): CellValue[][] {
  const lead: CellValue[] = [
    stream.stream,
    stream.kind,
    stream.criteria.join(', '),
    Math.round(stream.coveragePercent * 100) / 100,
    stream.itemCount,
    stream.exceptionCount,
    stream.flagged?.['evidence pending collection'] ?? 0,
    stream.flagged?.['evidence unreadable'] ?? 0,
    // Records and files the source gave that could not become evidence: never "clean" while non-zero.
    rejectedCount(stream),
  ];
  const rows: { start: number; cells: CellValue[] }[] = [];
  for (const window of stream.covered)
    rows.push({
      start: window.start,
      cells: ['covered', iso(window.start), iso(window.end), '', '', '', ''],
    });
  for (const gap of stream.gaps) {
    rows.push({
      start: gap.start,
      cells: [
        gap.cause === 'failed' ? 'failed' : 'gap',
        iso(gap.start),
        iso(gap.end),
        gap.cause,
        gap.errorCode ?? '',
        gap.recoverable ? 'yes' : 'no',
        gap.reason,
      ],
    });
  }
  for (const silent of stream.silent) {
    rows.push({
      start: silent.start,
      cells: [
        'silent',
        iso(silent.start),
        iso(silent.end),
        `no source activity for longer than ${Math.round(silent.thresholdMs / 3_600_000)}h`,
        '',
        '',
        '',
      ],
    });
  }
  // Hours a check proves from the source's own record (CloudTrail digests), per account and region.
  for (const proven of stream.proof?.spans ?? []) {
    rows.push({
      start: proven.start,
      cells: [
        proven.proven ? 'proven' : 'unproven',
        iso(proven.start),
        iso(proven.end),
        proven.reason ?? '',
        '',
        '',
        `${proven.subject}: ${stream.proof!.title}`,
      ],
    });
  }
  rows.sort((a, b) => a.start - b.start);
  const result = rows.map((row) => [...lead, ...row.cells]);
  if (stream.staleSnapshot) {
    const last = stream.staleSnapshot.lastAt;
    result.push([
      ...lead,
      'stale snapshot',
      last === null ? '' : iso(last),
      '',
      `last snapshot ${Math.round(stream.staleSnapshot.ageMs / 3_600_000)}h old`,
      '',
      '',
      '',
    ]);
  }
  return result;
}

export async function writeContinuityCsv(file: string, report: ContinuityReport): Promise<void> {
  const table = openTableFiles({ csvPath: file, sheetName: 'Continuity', headers: CONTINUITY_HEADERS });
  try {
    for (const stream of report.streams) for (const row of continuityRows(stream)) await table.addRow(row);
  } finally {
    await table.close();
  }
}
