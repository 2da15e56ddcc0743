import type ExcelJS from 'exceljs';
import { HEADER_STYLE } from './xlsx-styles.js';

// Column widths are fitted to the header and the first rows only: the table itself is never held.
export const SAMPLE_ROWS = 1_000;
const MIN_WIDTH = 8;
// Wide enough for a SHA-256 on one line; longer text wraps.
export const MAX_WIDTH = 66;
// Room for the autofilter button beside a header.
export const HEADER_PADDING = 4;
// Printed (or saved as PDF): landscape, readable, the header and the key column on every page.
const PRINT_SETUP: Partial<ExcelJS.PageSetup> = {
  orientation: 'landscape',
  scale: 60,
  pageOrder: 'overThenDown',
  printTitlesRow: '1:1',
  printTitlesColumn: 'A:A',
};

/** Columns as wide as their widest sampled text, within bounds. */
export function columnDefinitions(widths: readonly number[]): Partial<ExcelJS.Column>[] {
  return widths.map((width) => ({ width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width + 2)) }));
}

/**
 * A table sheet as every sheet of a workbook is laid out: header row styled, frozen beside the key
 * columns, printable. The header row is returned uncommitted: a streamed sheet's column widths must be
 * set before its first row is committed.
 */
export function addTableSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  headers: readonly string[],
  frozenColumns: number,
): { sheet: ExcelJS.Worksheet; header: ExcelJS.Row } {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1 }],
    pageSetup: PRINT_SETUP,
  });
  const header = sheet.addRow([...headers]);
  header.eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  return { sheet, header };
}
