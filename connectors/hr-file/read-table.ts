import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { EvidenceError } from '../../src/errors.js';

/** A data row of an export with its row number as a spreadsheet shows it (the header is row 1). */
export interface TableRow {
  readonly row: number;
  readonly cells: readonly string[];
}

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly TableRow[];
}

export const EXPORT_FILE = /\.(csv|xlsx)$/i;

/** An XLSX cell as text: dates as YYYY-MM-DD, hyperlinks (mailto: emails) and formulas by their text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

async function readXlsx(file: string, sheet: string | undefined): Promise<Table> {
  // exceljs loads only for an XLSX export, so the CLI's other commands start without it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  await workbook.xlsx.readFile(file);
  const worksheet = sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheet);
  if (!worksheet) {
    throw new EvidenceError(
      'HR_FILE_UNREADABLE',
      `${path.basename(file)}: ${sheet === undefined ? 'has no worksheet' : `has no worksheet "${sheet}"`}`,
      'fatal',
    );
  }
  let headers: string[] = [];
  const rows: TableRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    // row.values is 1-based: index 0 is always empty.
    const values = row.values as ExcelJS.CellValue[];
    for (let index = 1; index < values.length; index += 1) cells.push(cellText(values[index]).trim());
    if (headers.length === 0) headers = cells;
    else if (cells.some((cell) => cell !== '')) rows.push({ row: rowNumber, cells });
  });
  return { headers, rows };
}

function readCsv(text: string): Table {
  const records = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [first, ...rest] = records;
  return {
    headers: (first?.record ?? []).map((cell) => cell.trim()),
    rows: rest
      .map((entry) => ({ row: entry.info.lines, cells: entry.record.map((cell) => cell.trim()) }))
      .filter((entry) => entry.cells.some((cell) => cell !== '')),
  };
}

/** Reads a CSV or XLSX export; a file that cannot be parsed is a coded error naming the file. */
export async function readTable(file: string, sheet?: string): Promise<Table> {
  try {
    if (/\.xlsx$/i.test(file)) return await readXlsx(file, sheet);
    return readCsv(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof EvidenceError) throw error;
    const code = (error as { code?: unknown }).code;
    const missing = code === 'ENOENT';
    throw new EvidenceError(
      missing ? 'HR_FILE_MISSING' : 'HR_FILE_UNREADABLE',
      `${file}: ${missing ? 'does not exist' : (error as Error).message.split('\n')[0]}`,
      missing ? 'retriable' : 'fatal',
      { cause: error },
    );
  }
}
