import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import type { AboutFile } from './about-sheet.js';
import { isLinkCell, neutralise, type ColumnKind, type TableCell } from './column-kind.js';
import type { CellValue } from './neutralise.js';
import type { ExtraSheet } from './xlsx-extra-sheet.js';
import { XlsxTarget } from './xlsx-target.js';
import type { RowFill } from './xlsx-styles.js';

// Excel's hard limit is 1,048,576 rows a sheet; the header takes one, the rest spill into the next sheet.
export const ROWS_PER_SHEET = 1_048_575;
// Let archiver's deflate catch up now and then; exceljs' streaming writer has no backpressure of its own,
// so the workbook's own drain() waits whenever the zip falls behind.
const YIELD_EVERY = 1_000;

/** Where a row sits in the workbook, for a hyperlink to it from another file. */
export interface RowPlace {
  readonly sheet: string;
  /** The row number in that sheet (the header is row 1). */
  readonly row: number;
}

/** One table written as a CSV and an XLSX side by side, row by row, never held in memory. */
export interface TableFiles {
  /**
   * Writes one row; resolves to where it landed in the workbook. `fill` 'no deviation' shades a row with
   * findings instead of highlighting it (its findings are evidence pending collection or unreadable).
   */
  addRow(values: readonly TableCell[], fill?: RowFill): Promise<RowPlace>;
  /** Rows written so far (without the header). */
  readonly rows: number;
  close(): Promise<void>;
}

export interface TableTargets {
  /** Omit a target to write only the other format. */
  readonly csvPath?: string;
  readonly xlsxPath?: string;
  readonly sheetName: string;
  readonly headers: readonly string[];
  /** Per column, what it holds (see `ColumnKind`); a missing entry is `auto`. The CSV is unaffected. */
  readonly kinds?: readonly (ColumnKind | undefined)[];
  /** What the file is, for its About sheet; whatever is omitted is left out or filled by the writer. */
  readonly about?: AboutFile;
  /** Columns frozen beside the header: the key that names a row. Defaults to 1. */
  readonly frozenColumns?: number;
  /** Small tables written as further sheets of the workbook only (the CSV is the main table alone). */
  readonly extraSheets?: readonly ExtraSheet[];
  /** Rows per sheet before spilling into the next; Excel's limit unless a test asks for less. */
  readonly rowsPerSheet?: number;
  /** Native hyperlinks per sheet before links become HYPERLINK() formulas (10,000 unless a test asks). */
  readonly linksPerSheet?: number;
}

class CsvTarget {
  private readonly csv: Stringifier;
  private readonly file: WriteStream;
  private readonly done: Promise<unknown>;

  constructor(path: string, headers: readonly string[]) {
    this.file = createWriteStream(path);
    this.csv = stringify({ header: true, columns: [...headers], bom: true, eof: true });
    this.csv.pipe(this.file);
    this.done = once(this.file, 'close');
  }

  async write(values: readonly CellValue[]): Promise<void> {
    if (!this.csv.write(values.map((value) => (value === null ? '' : value)))) await once(this.csv, 'drain');
  }

  async close(): Promise<void> {
    this.csv.end();
    await this.done;
  }
}

/** Opens the CSV and XLSX of one table: the CSV plain text, the workbook typed, styled and described. */
export function openTableFiles(targets: TableTargets): TableFiles {
  const csv = targets.csvPath ? new CsvTarget(targets.csvPath, targets.headers) : undefined;
  const xlsx = targets.xlsxPath
    ? new XlsxTarget({
        path: targets.xlsxPath,
        fileName: path.basename(targets.xlsxPath),
        ...(targets.csvPath ? { csvName: path.basename(targets.csvPath) } : {}),
        sheetName: targets.sheetName,
        headers: targets.headers,
        kinds: targets.kinds ?? [],
        rowsPerSheet: targets.rowsPerSheet ?? ROWS_PER_SHEET,
        frozenColumns: targets.frozenColumns ?? 1,
        ...(targets.linksPerSheet === undefined ? {} : { linksPerSheet: targets.linksPerSheet }),
        about: targets.about ?? {},
        ...(targets.extraSheets ? { extraSheets: targets.extraSheets } : {}),
      })
    : undefined;
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    async addRow(values, fill) {
      const safe = values.map(neutralise);
      const place = xlsx?.nextRowPlace() ?? { sheet: targets.sheetName, row: rows + 2 };
      xlsx?.write(safe, fill);
      if (csv) await csv.write(safe.map((value) => (isLinkCell(value) ? value.text : value)));
      rows += 1;
      if (rows % YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        await xlsx?.drain();
      }
      return place;
    },
    async close() {
      await Promise.all([csv?.close(), xlsx?.close()]);
    },
  };
}
