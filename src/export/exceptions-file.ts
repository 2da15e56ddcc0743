import path from 'node:path';
import type { StreamInstance } from '../registry.js';
import type { ItemException } from '../stream.js';
import type { AuditPeriod } from './audit-period.js';
import type { ColumnKind } from './column-kind.js';
import type { PopulationRow } from './population-columns.js';
import { openTableFiles, type RowPlace, type TableFiles } from './table-files.js';

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
const KINDS: ColumnKind[] = ['text', 'text', 'text', 'text', 'text', 'text', 'date', 'text', 'text', 'url'];

/** A criterion's rows in the register: how many, and the first, for a link from the index. */
export interface RegisterRows {
  readonly count: number;
  readonly first: RowPlace;
}

export function exceptionsFileNames(period: AuditPeriod): { csv: string; xlsx: string } {
  return { csv: `Exceptions_Register_${period.label}.csv`, xlsx: `Exceptions_Register_${period.label}.xlsx` };
}

/** A relative link into a workbook of the package, to a cell Excel jumps to (`file.xlsx#'Sheet'!A5`). */
export function rowLink(file: string, place: RowPlace): string {
  return `${file}#'${place.sheet.replaceAll("'", "''")}'!A${place.row}`;
}

/** Every flagged item of every stream (direct push, self-approval, console user without MFA, ...), one row per exception. */
export class ExceptionsFile {
  private readonly table: TableFiles;
  private readonly byCriterion = new Map<string, RegisterRows>();
  readonly names: { csv: string; xlsx: string };

  constructor(outDir: string, period: AuditPeriod, options: { writtenAt?: number } = {}) {
    this.names = exceptionsFileNames(period);
    this.table = openTableFiles({
      csvPath: path.join(outDir, this.names.csv),
      xlsxPath: path.join(outDir, this.names.xlsx),
      sheetName: 'Exceptions',
      headers: HEADERS,
      kinds: KINDS,
      about: {
        purpose:
          'Every exception found in the period, one row per exception, each linked to its row in the population file it comes from.',
        period,
        ...(options.writtenAt === undefined ? {} : { writtenAt: options.writtenAt }),
        notes: [
          'An item may cover several criteria: filter "All criteria" to see every exception of one criterion.',
        ],
      },
    });
  }

  get rows(): number {
    return this.table.rows;
  }

  /** Per criterion (any of a stream's criteria), the register's rows for it. */
  rowsByCriterion(): ReadonlyMap<string, RegisterRows> {
    return this.byCriterion;
  }

  async add(
    stream: StreamInstance,
    populationFile: string,
    row: PopulationRow,
    exception: ItemException,
    populationRow?: RowPlace,
  ): Promise<void> {
    const place = await this.table.addRow([
      stream.criteria[0] ?? '',
      stream.criteria.join(', '),
      stream.isoControls.join(', '),
      stream.id,
      stream.definition.evidenceName.replaceAll('_', ' '),
      row.key,
      new Date(row.occurredAt).toISOString(),
      exception.code,
      exception.description,
      populationRow ? { text: populationFile, link: rowLink(populationFile, populationRow) } : populationFile,
    ]);
    for (const criterion of stream.criteria) {
      const seen = this.byCriterion.get(criterion);
      this.byCriterion.set(criterion, { count: (seen?.count ?? 0) + 1, first: seen?.first ?? place });
    }
  }

  close(): Promise<void> {
    return this.table.close();
  }
}
