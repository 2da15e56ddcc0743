import path from 'node:path';
import type { PeriodFindings, RecordedFinding } from '../checks/judge-period.js';
import type { StreamInstance } from '../registry.js';
import type { ConflictingDuplicateRow } from '../store/reject-log.js';
import type { AuditPeriod } from './audit-period.js';
import { openTableFiles } from './table-files.js';

const HEADERS = [
  'Criterion',
  'All criteria',
  'ISO 27001:2022 controls',
  'Stream',
  'Evidence',
  'Item key',
  'Related keys',
  'Occurred at (UTC)',
  'Finding',
  'Description',
  'Check',
  'Population file',
];

export function exceptionsFileNames(period: AuditPeriod): { csv: string; xlsx: string } {
  return { csv: `Exceptions_Register_${period.label}.csv`, xlsx: `Exceptions_Register_${period.label}.xlsx` };
}

/**
 * Register order: by stream (as configured), then when it happened, then item key, then check order,
 * so the same findings always give the same file.
 */
function registerOrder(streams: readonly StreamInstance[], findings: readonly RecordedFinding[]) {
  const rank = new Map(streams.map((stream, index) => [stream.id, index]));
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        (rank.get(a.finding.stream) ?? rank.size) - (rank.get(b.finding.stream) ?? rank.size) ||
        a.finding.occurredAt - b.finding.occurredAt ||
        (a.finding.keys[0] ?? '').localeCompare(b.finding.keys[0] ?? '') ||
        a.index - b.index,
    )
    .map(({ finding }) => finding);
}

/**
 * Every finding of every check over the period (direct push, self-approval, console user without MFA, ...),
 * one row each, citing the check and version that gave it and the population file its item is in.
 */
export async function writeExceptionsRegister(
  outDir: string,
  period: AuditPeriod,
  streams: readonly StreamInstance[],
  findings: PeriodFindings,
  populationFile: (stream: string) => string | undefined,
  /** Conflicting duplicates of the source reads (code `conflicting_duplicate`), both versions in `rejectedFile`. */
  duplicates: { readonly rows: readonly ConflictingDuplicateRow[]; readonly rejectedFile: string } = {
    rows: [],
    rejectedFile: '',
  },
): Promise<{ csv: string; xlsx: string; rows: number }> {
  const names = exceptionsFileNames(period);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Exceptions',
    headers: HEADERS,
  });
  const byId = new Map(streams.map((stream) => [stream.id, stream]));
  try {
    for (const finding of registerOrder(streams, findings.findings)) {
      const stream = byId.get(finding.stream);
      await table.addRow([
        finding.criteria[0] ?? '',
        finding.criteria.join(', '),
        finding.isoControls.join(', '),
        finding.stream,
        stream?.definition.evidenceName.replaceAll('_', ' ') ?? '',
        finding.keys[0] ?? '',
        finding.keys.slice(1).join('; '),
        new Date(finding.occurredAt).toISOString(),
        finding.code,
        finding.description,
        finding.checkRef,
        populationFile(finding.stream) ?? '',
      ]);
    }
    // Not a check's judgement but a fact of the read: the source gave one key two contents.
    for (const row of duplicates.rows) {
      const stream = byId.get(row.stream);
      await table.addRow([
        stream?.criteria[0] ?? '',
        stream?.criteria.join(', ') ?? '',
        stream?.isoControls.join(', ') ?? '',
        row.stream,
        stream?.definition.evidenceName.replaceAll('_', ' ') ?? '',
        row.key,
        '',
        new Date(row.occurredAt).toISOString(),
        'conflicting_duplicate',
        row.description,
        'source read',
        duplicates.rejectedFile,
      ]);
    }
  } finally {
    await table.close();
  }
  return { ...names, rows: table.rows };
}
