import path from 'node:path';
import { RejectLog } from '../store/reject-log.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { AuditPeriod } from './audit-period.js';
import { openTableFiles } from './table-files.js';

const HEADERS = [
  'Stream',
  'Window start (UTC)',
  'Window end (UTC)',
  'Source',
  'Kind',
  'Reason',
  'Item key',
  'Raw SHA-256',
  'Stored version SHA-256',
  'Rejected at (UTC)',
];

export function rejectedRecordsFileNames(period: AuditPeriod): { csv: string; xlsx: string } {
  return {
    csv: `Rejected_Records_${period.label}.csv`,
    xlsx: `Rejected_Records_${period.label}.xlsx`,
  };
}

const iso = (at: number) => new Date(at).toISOString();

/**
 * Everything the sources gave in the period that could not become evidence: bad records, unreadable
 * files, conflicting duplicates, each with its real reason, where it came from and the hash of its raw bytes.
 * Written even when empty, so "nothing was rejected" is a stated fact rather than a missing file.
 */
export async function writeRejectedRecords(
  store: EvidenceStore,
  outDir: string,
  period: AuditPeriod,
  streams: readonly string[],
): Promise<{ csv: string; xlsx: string; rows: number }> {
  const names = rejectedRecordsFileNames(period);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Rejected records',
    headers: HEADERS,
  });
  try {
    for await (const row of new RejectLog(store).eachInPeriod(period, streams)) {
      await table.addRow([
        row.stream,
        iso(Number(row.window_start)),
        iso(Number(row.window_end)),
        row.source,
        row.kind,
        row.reason,
        row.item_key,
        row.raw_sha256,
        row.other_sha256,
        iso(Number(row.rejected_at)),
      ]);
    }
  } finally {
    await table.close();
  }
  return { ...names, rows: table.rows };
}
