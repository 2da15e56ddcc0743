import ExcelJS from 'exceljs';
import { REVIEW_COLUMNS, REVIEW_SHEET } from '../../src/artefacts/review-columns.js';

/** A review workbook read back, and filled in as a reviewer would fill it. */

export async function rowsOf(file: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(REVIEW_SHEET)!;
  const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
  const column = (name: string) => headers.indexOf(name);
  return { workbook, sheet, column };
}

/** Fills every row as a reviewer would: keep, except the accounts given, which are revoked. */
export async function completeWorkbook(
  source: string,
  target: string,
  revoke: readonly string[],
  reviewedOn: Date,
  bad?: string,
) {
  const { workbook, sheet, column } = await rowsOf(source);
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const account = String(row.getCell(column(REVIEW_COLUMNS.account)).value);
    row.getCell(column(REVIEW_COLUMNS.decision)).value = revoke.includes(account) ? 'revoke' : 'Keep';
    row.getCell(column(REVIEW_COLUMNS.reviewer)).value = 'Alice Anderson';
    // A date typed into Excel arrives as a date cell, not text.
    row.getCell(column(REVIEW_COLUMNS.reviewedOn)).value = reviewedOn;
    row.getCell(column(REVIEW_COLUMNS.comment)).value = revoke.includes(account) ? 'no longer needed' : '';
  });
  if (bad) sheet.getRow(3).getCell(column(REVIEW_COLUMNS.decision)).value = bad;
  await workbook.xlsx.writeFile(target);
}
