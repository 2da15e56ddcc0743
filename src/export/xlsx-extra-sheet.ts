import type ExcelJS from 'exceljs';
import { neutralise, type ColumnKind, type TableCell } from './column-kind.js';
import { LinkBudget, toXlsxCell, type XlsxCell } from './xlsx-cells.js';
import { addTableSheet, columnDefinitions, HEADER_PADDING, SAMPLE_ROWS } from './xlsx-layout.js';
import { columnLetters, SheetRows } from './xlsx-rows.js';
import { sheetName } from './sheet-places.js';
import type { CellStyles } from './xlsx-styles.js';
import { zipCaughtUp } from './xlsx-zip.js';

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

/** What the About sheet says of an extra sheet: the sheets it took and its rows. */
export interface WrittenExtraSheet {
  readonly name: string;
  readonly sheets: string[];
  rows: number;
}

/** How the workbook lays out every table sheet: the extra sheets follow the data sheet's rules. */
export interface ExtraSheetLayout {
  readonly styles: CellStyles;
  readonly rowsPerSheet: number;
  readonly frozenColumns: number;
  readonly linksPerSheet?: number;
}

/** Streams one extra sheet (spilling past the rows per sheet) and returns what it wrote. */
export async function writeExtraSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  extra: ExtraSheet,
  layout: ExtraSheetLayout,
): Promise<WrittenExtraSheet> {
  let links = new LinkBudget(layout.linksPerSheet);
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
  const open = (name: string): ExcelJS.Worksheet => {
    const { sheet, header } = addTableSheet(workbook, name, extra.headers, layout.frozenColumns);
    sheet.columns = columnDefinitions(widths);
    header.commit();
    return sheet;
  };
  const written: WrittenExtraSheet = { name: extra.name, sheets: [], rows: 0 };
  let sheet = open(sheetName(extra.name, 1));
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
    if (inSheet === layout.rowsPerSheet) {
      closeSheet();
      sheet = open(sheetName(extra.name, written.sheets.length + 1));
      written.sheets.push(sheet.name);
      sheetRows = new SheetRows(sheet, extra.headers.length);
      inSheet = 0;
    }
    sheetRows.write(
      inSheet + 2,
      cells.map((cell) => cell.value),
      cells.map((cell) => layout.styles.get(cell.look, false, false)),
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
    if (inSheet === layout.rowsPerSheet) links = new LinkBudget(layout.linksPerSheet);
    await put(cellsOf(next.value));
  }
  closeSheet();
  return written;
}
