import ExcelJS from 'exceljs';
import { expect } from 'vitest';

/** Reading a written workbook back as an auditor's spreadsheet would show it. */

export async function open(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

/** The About sheet as label → value. */
export function about(workbook: ExcelJS.Workbook): Map<string, ExcelJS.CellValue> {
  const facts = new Map<string, ExcelJS.CellValue>();
  workbook.getWorksheet('About')!.eachRow((row) => {
    const label = row.getCell(1).value;
    if (typeof label === 'string') facts.set(label, row.getCell(2).value);
  });
  return facts;
}

/** The data sheet's column number of a header (1-based). */
export function column(sheet: ExcelJS.Worksheet, header: string): number {
  const at = (sheet.getRow(1).values as unknown[]).indexOf(header);
  expect(at, header).toBeGreaterThan(0);
  return at;
}

export function cellsOf(sheet: ExcelJS.Worksheet, header: string): ExcelJS.Cell[] {
  const at = column(sheet, header);
  const cells: ExcelJS.Cell[] = [];
  for (let row = 2; row <= sheet.rowCount; row += 1) cells.push(sheet.getRow(row).getCell(at));
  return cells;
}
