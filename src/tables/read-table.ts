import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

/** A data row of a table file with its row number as a spreadsheet shows it (the header is row 1). */
export interface TableRow {
  readonly row: number;
  readonly cells: readonly string[];
}

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly TableRow[];
}

export const TABLE_FILE = /\.(csv|xlsx)$/i;

/** Why a table file could not be read: the caller turns it into its own coded error. */
export class TableFileError extends Error {
  constructor(
    readonly reason: 'missing' | 'unreadable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TableFileError';
  }
}

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

/** The named sheet, else the first one whose header row passes `pick`, else the first sheet. */
async function readXlsx(file: string, sheet: SheetChoice | undefined): Promise<Table> {
  // exceljs loads only for an XLSX file, so the CLI's other commands start without it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  await workbook.xlsx.readFile(file);
  const worksheet =
    typeof sheet === 'string'
      ? workbook.getWorksheet(sheet)
      : sheet === undefined
        ? workbook.worksheets[0]
        : workbook.worksheets.find((candidate) => sheet.pick(headersOf(candidate)));
  if (!worksheet) {
    const wanted =
      typeof sheet === 'string' ? `has no worksheet "${sheet}"` : (sheet?.missing ?? 'has no worksheet');
    throw new TableFileError('unreadable', `${path.basename(file)}: ${wanted}`);
  }
  let headers: string[] = [];
  const rows: TableRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = rowCells(row);
    if (headers.length === 0) headers = cells;
    else if (cells.some((cell) => cell !== '')) rows.push({ row: rowNumber, cells });
  });
  return { headers, rows };
}

function rowCells(row: ExcelJS.Row): string[] {
  const cells: string[] = [];
  // row.values is 1-based: index 0 is always empty.
  const values = row.values as ExcelJS.CellValue[];
  for (let index = 1; index < values.length; index += 1) cells.push(cellText(values[index]).trim());
  return cells;
}

function headersOf(worksheet: ExcelJS.Worksheet): string[] {
  return worksheet.rowCount === 0 ? [] : rowCells(worksheet.getRow(1));
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

/** A sheet by name, or by its header row (a workbook with an About sheet before or after the table). */
export type SheetChoice = string | { pick(headers: readonly string[]): boolean; missing: string };

/** Reads a CSV or XLSX table; a file that cannot be parsed is a TableFileError naming the file. */
export async function readTable(file: string, sheet?: SheetChoice): Promise<Table> {
  try {
    if (/\.xlsx$/i.test(file)) return await readXlsx(file, sheet);
    return readCsv(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof TableFileError) throw error;
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    throw new TableFileError(
      missing ? 'missing' : 'unreadable',
      `${file}: ${missing ? 'does not exist' : (error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
}
