import ExcelJS from 'exceljs';
import { ABOUT_PRINT_SETUP, fillAboutSheet, type AboutFile } from './about-sheet.js';
import { isLinkCell, type ColumnKind, type TableCell } from './column-kind.js';
import { neutraliseCell, neutraliseText } from './neutralise.js';
import { LinkBudget, textLines, toXlsxCell, type XlsxCell } from './xlsx-cells.js';
import { rowPlace, sheetName } from './sheet-places.js';
import { columnLetters, SheetRows } from './xlsx-rows.js';
import { CellStyles, HEADER_STYLE, type RowFill } from './xlsx-styles.js';
import { zipCaughtUp } from './xlsx-zip.js';

// Column widths are fitted to the header and the first rows only: the table itself is never held.
const SAMPLE_ROWS = 1_000;
const MIN_WIDTH = 8;
// Wide enough for a SHA-256 on one line; longer text wraps.
const MAX_WIDTH = 66;
// Room for the autofilter button beside a header.
const HEADER_PADDING = 4;
// Printed (or saved as PDF): landscape, readable, the header and the key column on every page.
const PRINT_SETUP: Partial<ExcelJS.PageSetup> = {
  orientation: 'landscape',
  scale: 60,
  pageOrder: 'overThenDown',
  printTitlesRow: '1:1',
  printTitlesColumn: 'A:A',
};
// Rows are as tall as their wrapped text (estimated: spreadsheets do not grow a streamed row's height).
const LINE_HEIGHT = 15;
const MAX_LINES = 8;

export interface XlsxTable {
  readonly path: string;
  readonly fileName: string;
  readonly csvName?: string;
  readonly sheetName: string;
  readonly headers: readonly string[];
  readonly kinds: readonly (ColumnKind | undefined)[];
  readonly rowsPerSheet: number;
  readonly frozenColumns: number;
  readonly linksPerSheet?: number;
  readonly about: AboutFile;
  readonly extraSheets?: readonly ExtraSheet[];
}

/** A further sheet of the workbook (the XLSX only), after the data sheet(s). */
export interface ExtraSheet {
  readonly name: string;
  readonly headers: readonly string[];
  readonly kinds?: readonly (ColumnKind | undefined)[];
  /**
   * Iterated once, when the workbook closes: rows known only after the data rows (the register's
   * conditions) can be given as a lazy iterable. Past the table's rows per sheet they spill as the data
   * rows do ("Conditions (2)"; see `rowPlace`).
   */
  readonly rows: Iterable<readonly TableCell[]>;
}

/** Every text is neutralised against formula injection, a link's text included. */
export function neutralise(value: TableCell): TableCell {
  return isLinkCell(value) ? { text: neutraliseText(value.text), link: value.link } : neutraliseCell(value);
}

/** Columns as wide as their widest sampled text, within bounds. */
function columnDefinitions(widths: readonly number[]): Partial<ExcelJS.Column>[] {
  return widths.map((width) => ({ width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width + 2)) }));
}

/** The workbook half of a table: an About sheet first, then the data sheet(s), streamed row by row. */
export class XlsxTarget {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly styles = new CellStyles();
  private readonly links: LinkBudget;
  private readonly findings: number[];
  private readonly widths: number[];
  private wrap: boolean[] = [];
  private sample: { cells: XlsxCell[]; fill: RowFill | undefined }[] | undefined = [];
  private rowsWithoutDeviation = 0;
  private sheet: ExcelJS.Worksheet;
  private sheetRowsXml: SheetRows;
  private readonly sheetNames: string[] = [];
  private readonly extraSheets: { name: string; sheets: string[]; rows: number }[] = [];
  // One style per column, refilled for each row.
  private readonly rowStyles: Partial<ExcelJS.Style>[] = [];
  private sheetRows = 0;
  private rows = 0;

  constructor(private readonly table: XlsxTable) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: table.path,
      // Shared strings would hold every distinct text of the table in memory.
      useSharedStrings: false,
      useStyles: true,
    });
    if (table.about.writtenAt !== undefined) this.workbook.created = new Date(table.about.writtenAt);
    this.workbook.creator = 'evidence-worker';
    this.links = new LinkBudget(table.linksPerSheet);
    this.findings = table.kinds.flatMap((kind, index) => (kind === 'findings' ? [index] : []));
    this.widths = table.headers.map((header) => header.length + HEADER_PADDING);
    this.sheet = this.openSheet(sheetName(table.sheetName, 1));
    this.sheetRowsXml = new SheetRows(this.sheet, table.headers.length);
  }

  /** Where the next row lands: its sheet and row number, for links into this file. */
  nextRowPlace(): { sheet: string; row: number } {
    return rowPlace(this.table.sheetName, this.rows, this.table.rowsPerSheet);
  }

  private openSheet(name: string): ExcelJS.Worksheet {
    const sheet = this.workbook.addWorksheet(name, {
      views: [{ state: 'frozen', xSplit: this.table.frozenColumns, ySplit: 1 }],
      pageSetup: PRINT_SETUP,
    });
    this.sheetNames.push(name);
    const header = sheet.addRow([...this.table.headers]);
    header.eachCell((cell) => {
      cell.style = HEADER_STYLE;
    });
    // The first sheet's header waits for the sample (column widths are written before any row).
    if (!this.sample) {
      sheet.columns = columnDefinitions(this.widths);
      header.commit();
    }
    return sheet;
  }

  /** `fill` 'no deviation': the row's findings are none of them a deviation, so it is shaded, not highlighted. */
  write(values: readonly TableCell[], fill?: RowFill): void {
    // Each sheet has its own link budget; cells are converted before they are put (the sample waits).
    if (this.rows > 0 && this.rows % this.table.rowsPerSheet === 0) this.links.reset();
    const cells = values.map((value, index) => toXlsxCell(value, this.table.kinds[index], this.links));
    this.rows += 1;
    if (this.sample) {
      cells.forEach((cell, index) => {
        this.widths[index] = Math.max(this.widths[index] ?? 0, cell.width);
      });
      this.sample.push({ cells, fill });
      if (this.sample.length === SAMPLE_ROWS) this.flushSample();
      return;
    }
    this.put(cells, fill);
  }

  private flushSample(): void {
    const sample = this.sample ?? [];
    this.sample = undefined;
    // Long text wraps within the widest column instead of stretching it.
    this.wrap = this.widths.map((width) => width > MAX_WIDTH);
    this.sheet.columns = columnDefinitions(this.widths);
    this.sheet.getRow(1).commit();
    for (const row of sample) this.put(row.cells, row.fill);
  }

  private put(cells: readonly XlsxCell[], fill: RowFill | undefined): void {
    if (this.sheetRows === this.table.rowsPerSheet) {
      this.closeSheet();
      this.sheet = this.openSheet(sheetName(this.table.sheetName, this.sheetNames.length + 1));
      this.sheetRowsXml = new SheetRows(this.sheet, this.table.headers.length);
      this.sheetRows = 0;
    }
    const withFindings = this.findings.some((index) => cells[index]?.look === 'finding');
    const highlighted = withFindings && (fill ?? 'finding');
    if (highlighted === 'no deviation') this.rowsWithoutDeviation += 1;
    const lines = this.wrappedLines(cells);
    const styles = this.rowStyles;
    for (let index = 0; index < this.table.headers.length; index += 1) {
      const look = cells[index]?.look ?? 'plain';
      styles[index] = this.styles.get(look, this.wrap[index] === true && look === 'plain', highlighted);
    }
    this.sheetRowsXml.write(
      this.sheetRows + 2,
      cells.map((cell) => cell.value),
      styles,
      lines > 1 ? lines * LINE_HEIGHT : undefined,
    );
    this.sheetRows += 1;
  }

  /** Waits while the zip is behind, so a million rows never queue up in memory. */
  async drain(): Promise<void> {
    this.sheetRowsXml.flush();
    await zipCaughtUp(this.sheet);
  }

  private wrappedLines(cells: readonly XlsxCell[]): number {
    let lines = 1;
    cells.forEach((cell, index) => {
      if (this.wrap[index] && typeof cell.value === 'string')
        lines = Math.max(lines, textLines(cell.value, MAX_WIDTH));
    });
    return Math.min(lines, MAX_LINES);
  }

  private closeSheet(): void {
    const last = columnLetters(Math.max(1, this.table.headers.length));
    this.sheet.autoFilter = `A1:${last}${this.sheetRows + 1}`;
    this.sheetRowsXml.flush();
    this.sheet.commit();
  }

  async close(): Promise<void> {
    if (this.sample) this.flushSample();
    this.closeSheet();
    for (const extra of this.table.extraSheets ?? []) await this.writeExtraSheet(extra);
    const about = this.workbook.addWorksheet('About', { pageSetup: ABOUT_PRINT_SETUP });
    fillAboutSheet(about, this.table.about, {
      fileName: this.table.fileName,
      ...(this.table.csvName ? { csvName: this.table.csvName } : {}),
      dataSheets: this.sheetNames,
      extraSheets: this.extraSheets,
      rows: this.rows,
      headers: this.table.headers,
      findingsColumns: this.findings.map((index) => this.table.headers[index] ?? ''),
      rowsWithoutDeviation: this.rowsWithoutDeviation,
      frozenColumns: this.table.frozenColumns,
    });
    about.commit();
    this.moveFirst(about);
    await this.workbook.commit();
  }

  private async writeExtraSheet(extra: ExtraSheet): Promise<void> {
    let links = new LinkBudget(this.table.linksPerSheet);
    const cellsOf = (values: readonly TableCell[]) =>
      values.map((value, index) => toXlsxCell(neutralise(value), extra.kinds?.[index], links));
    // Widths from the first rows, as the data sheet's: a sheet of conditions can be long.
    const rows = extra.rows[Symbol.iterator]();
    const sample: XlsxCell[][] = [];
    for (let next = rows.next(); !next.done; next = rows.next()) {
      sample.push(cellsOf(next.value));
      if (sample.length === SAMPLE_ROWS) break;
    }
    const widths = extra.headers.map((header, index) =>
      sample.reduce(
        (widest, cells) => Math.max(widest, cells[index]?.width ?? 0),
        header.length + HEADER_PADDING,
      ),
    );
    const written = { name: extra.name, sheets: [] as string[], rows: 0 };
    this.extraSheets.push(written);
    let sheet = this.openExtraSheet(extra, sheetName(extra.name, 1), widths);
    written.sheets.push(sheet.name);
    let sheetRows = new SheetRows(sheet, extra.headers.length);
    let inSheet = 0;
    const closeSheet = () => {
      sheet.autoFilter = `A1:${columnLetters(Math.max(1, extra.headers.length))}${inSheet + 1}`;
      sheetRows.flush();
      sheet.commit();
    };
    const put = async (cells: readonly XlsxCell[]) => {
      // Past Excel's row limit the rows go on in the next sheet, as the data rows do.
      if (inSheet === this.table.rowsPerSheet) {
        closeSheet();
        sheet = this.openExtraSheet(extra, sheetName(extra.name, written.sheets.length + 1), widths);
        written.sheets.push(sheet.name);
        sheetRows = new SheetRows(sheet, extra.headers.length);
        inSheet = 0;
      }
      sheetRows.write(
        inSheet + 2,
        cells.map((cell) => cell.value),
        cells.map((cell) => this.styles.get(cell.look, false, false)),
      );
      inSheet += 1;
      written.rows += 1;
      if (written.rows % SAMPLE_ROWS === 0) {
        sheetRows.flush();
        await zipCaughtUp(sheet);
      }
    };
    for (const cells of sample) await put(cells);
    // The rest of the rows, after the sample (none when the sample took them all). Each further sheet
    // has its own link budget, as the data sheets do.
    for (let next = rows.next(); !next.done; next = rows.next()) {
      if (inSheet === this.table.rowsPerSheet) links = new LinkBudget(this.table.linksPerSheet);
      await put(cellsOf(next.value));
    }
    closeSheet();
  }

  private openExtraSheet(extra: ExtraSheet, name: string, widths: readonly number[]): ExcelJS.Worksheet {
    const sheet = this.workbook.addWorksheet(name, {
      views: [{ state: 'frozen', xSplit: this.table.frozenColumns, ySplit: 1 }],
      pageSetup: PRINT_SETUP,
    });
    sheet.columns = columnDefinitions(widths);
    const header = sheet.addRow([...extra.headers]);
    header.eachCell((cell) => {
      cell.style = HEADER_STYLE;
    });
    header.commit();
    return sheet;
  }

  /**
   * The About sheet can only be written last (its row count is known at close), and an earlier sheet left
   * open would make the zip buffer every later row. exceljs orders the tabs by its worksheet list, so the
   * finished About sheet is moved to the front of that list; each sheet keeps its own part name and id.
   */
  private moveFirst(sheet: ExcelJS.Worksheet): void {
    const internal = this.workbook as unknown as { _worksheets: (ExcelJS.Worksheet | undefined)[] };
    const others = internal._worksheets.filter((entry) => entry !== undefined && entry !== sheet);
    internal._worksheets.length = 0;
    internal._worksheets.push(sheet, ...others);
  }
}
