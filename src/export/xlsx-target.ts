import ExcelJS from 'exceljs';
import { ABOUT_PRINT_SETUP, fillAboutSheet, type AboutFile } from './about-sheet.js';
import type { ColumnKind, TableCell } from './column-kind.js';
import { LinkBudget, textLines, toXlsxCell, type XlsxCell } from './xlsx-cells.js';
import { writeExtraSheet, type ExtraSheet, type WrittenExtraSheet } from './xlsx-extra-sheet.js';
import { addTableSheet, columnDefinitions, HEADER_PADDING, MAX_WIDTH, SAMPLE_ROWS } from './xlsx-layout.js';
import { rowPlace, sheetName } from './sheet-places.js';
import { columnLetters, SheetRows } from './xlsx-rows.js';
import { CellStyles, type RowFill } from './xlsx-styles.js';
import { zipCaughtUp } from './xlsx-zip.js';

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
  private readonly extraSheets: WrittenExtraSheet[] = [];
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
    const { sheet, header } = addTableSheet(
      this.workbook,
      name,
      this.table.headers,
      this.table.frozenColumns,
    );
    this.sheetNames.push(name);
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
    const { rowsPerSheet, frozenColumns, linksPerSheet } = this.table;
    const layout = { styles: this.styles, rowsPerSheet, frozenColumns, linksPerSheet };
    for (const extra of this.table.extraSheets ?? [])
      this.extraSheets.push(await writeExtraSheet(this.workbook, extra, layout));
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
