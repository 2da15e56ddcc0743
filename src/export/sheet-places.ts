import type { RowPlace } from './table-files.js';

/**
 * The name of a table's n-th sheet (1-based): a table longer than Excel's row limit spills into
 * "Name (2)", "Name (3)", ... (Excel allows 31 characters a sheet name).
 */
export function sheetName(name: string, sheet: number): string {
  return sheet === 1 ? name.slice(0, 31) : `${name.slice(0, 26)} (${sheet})`;
}

/** Where a table's row (0-based, header not counted) lands once spilled: its sheet and row number. */
export function rowPlace(name: string, index: number, rowsPerSheet: number): RowPlace {
  return {
    sheet: sheetName(name, Math.floor(index / rowsPerSheet) + 1),
    row: (index % rowsPerSheet) + 2,
  };
}
