import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { neutraliseCell, type CellValue } from './neutralise.js';

// Excel's hard limit is 1,048,576 rows a sheet; the header takes one, the rest spill into the next sheet.
const ROWS_PER_SHEET = 1_048_575;
// Excel refuses a cell longer than 32,767 characters; the CSV keeps the full value.
const XLSX_CELL_LIMIT = 32_767;
const TRUNCATED = ' [truncated: the full value is in the CSV]';
// Let archiver's deflate catch up now and then; exceljs' streaming writer has no backpressure of its own.
const YIELD_EVERY = 1_000;

/** One table written as a CSV and an XLSX side by side, row by row, never held in memory. */
export interface TableFiles {
  addRow(values: readonly CellValue[]): Promise<void>;
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
  /** Rows per sheet before spilling into the next; Excel's limit unless a test asks for less. */
  readonly rowsPerSheet?: number;
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

class XlsxTarget {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private sheet: ExcelJS.Worksheet;
  private sheetRows = 0;
  private sheets = 1;

  constructor(
    path: string,
    private readonly sheetName: string,
    private readonly headers: readonly string[],
    private readonly rowsPerSheet: number,
  ) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path,
      useSharedStrings: false,
      useStyles: false,
    });
    this.sheet = this.openSheet(sheetName);
  }

  private openSheet(name: string): ExcelJS.Worksheet {
    const sheet = this.workbook.addWorksheet(name.slice(0, 31), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.addRow([...this.headers]).commit();
    return sheet;
  }

  write(values: readonly CellValue[]): void {
    if (this.sheetRows === this.rowsPerSheet) {
      this.sheet.commit();
      this.sheets += 1;
      this.sheet = this.openSheet(`${this.sheetName.slice(0, 26)} (${this.sheets})`);
      this.sheetRows = 0;
    }
    this.sheet
      .addRow(
        values.map((value) =>
          typeof value === 'string' && value.length > XLSX_CELL_LIMIT
            ? value.slice(0, XLSX_CELL_LIMIT - TRUNCATED.length) + TRUNCATED
            : value,
        ),
      )
      .commit();
    this.sheetRows += 1;
  }

  async close(): Promise<void> {
    this.sheet.commit();
    await this.workbook.commit();
  }
}

/** Opens the CSV and XLSX of one table; every text cell is neutralised against formula injection. */
export function openTableFiles(targets: TableTargets): TableFiles {
  const csv = targets.csvPath ? new CsvTarget(targets.csvPath, targets.headers) : undefined;
  const xlsx = targets.xlsxPath
    ? new XlsxTarget(
        targets.xlsxPath,
        targets.sheetName,
        targets.headers,
        targets.rowsPerSheet ?? ROWS_PER_SHEET,
      )
    : undefined;
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    async addRow(values) {
      const safe = values.map(neutraliseCell);
      xlsx?.write(safe);
      if (csv) await csv.write(safe);
      rows += 1;
      if (rows % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    },
    async close() {
      await Promise.all([csv?.close(), xlsx?.close()]);
    },
  };
}
