import path from 'node:path';
import type { StreamInstance } from '../registry.js';
import type { ConflictingDuplicateRow } from '../store/reject-log.js';
import type { ItemException } from '../stream.js';
import type { AuditPeriod } from './audit-period.js';
import type { PopulationRow } from './population-columns.js';
import { openTableFiles, type TableFiles } from './table-files.js';

const HEADERS = [
  'Criterion',
  'All criteria',
  'ISO 27001:2022 controls',
  'Stream',
  'Evidence',
  'Item key',
  'Occurred at (UTC)',
  'Exception',
  'Description',
  'Population file',
];

export function exceptionsFileNames(period: AuditPeriod): { csv: string; xlsx: string } {
  return { csv: `Exceptions_Register_${period.label}.csv`, xlsx: `Exceptions_Register_${period.label}.xlsx` };
}

/** Every flagged item of every stream (direct push, self-approval, console user without MFA, ...), one row per exception. */
export class ExceptionsFile {
  private readonly table: TableFiles;
  readonly names: { csv: string; xlsx: string };

  constructor(outDir: string, period: AuditPeriod) {
    this.names = exceptionsFileNames(period);
    this.table = openTableFiles({
      csvPath: path.join(outDir, this.names.csv),
      xlsxPath: path.join(outDir, this.names.xlsx),
      sheetName: 'Exceptions',
      headers: HEADERS,
    });
  }

  get rows(): number {
    return this.table.rows;
  }

  async add(
    stream: StreamInstance,
    populationFile: string,
    row: PopulationRow,
    exception: ItemException,
  ): Promise<void> {
    await this.table.addRow([
      stream.criteria[0] ?? '',
      stream.criteria.join(', '),
      stream.isoControls.join(', '),
      stream.id,
      stream.definition.evidenceName.replaceAll('_', ' '),
      row.key,
      new Date(row.occurredAt).toISOString(),
      exception.code,
      exception.description,
      populationFile,
    ]);
  }

  /** A conflicting duplicate the source gave (code `conflicting_duplicate`); its versions are in Rejected_Records. */
  async addConflictingDuplicate(stream: StreamInstance, rejectedFile: string, row: ConflictingDuplicateRow) {
    await this.table.addRow([
      stream.criteria[0] ?? '',
      stream.criteria.join(', '),
      stream.isoControls.join(', '),
      stream.id,
      stream.definition.evidenceName.replaceAll('_', ' '),
      row.key,
      new Date(row.occurredAt).toISOString(),
      'conflicting_duplicate',
      row.description,
      rejectedFile,
    ]);
  }

  close(): Promise<void> {
    return this.table.close();
  }
}
