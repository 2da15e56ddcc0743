import type ExcelJS from 'exceljs';
import { toolVersion } from './tool-version.js';
import { textLines } from './xlsx-cells.js';
import { LABEL_STYLE, NOTE_STYLE, TIMESTAMP_FORMAT, TITLE_STYLE } from './xlsx-styles.js';

/** What a caller knows about its file; every field is optional, so any table file gets an About sheet. */
export interface AboutFile {
  /** One sentence: what the file is (a stream's population sentence, or the file's purpose). */
  readonly purpose?: string;
  readonly criteria?: readonly string[];
  readonly isoControls?: readonly string[];
  readonly period?: { readonly label: string; readonly start: number; readonly end: number };
  /** Source systems and accounts the rows come from, where known. */
  readonly sources?: readonly string[];
  /** The checks behind the file's findings, cited as check@version. */
  readonly checks?: readonly { readonly id: string; readonly version: string | number }[];
  /** When the file was written (the app's clock); the time of closing when omitted. */
  readonly writtenAt?: number;
  /** The package manifest's SHA-256, when it is known before this file is written. */
  readonly manifestSha256?: string;
  /** Further facts for the reader, one line each. */
  readonly notes?: readonly string[];
}

/** What the writer itself knows once the table is closed. */
export interface AboutTable {
  readonly fileName: string;
  readonly csvName?: string;
  readonly dataSheets: readonly string[];
  /** Further tables of the workbook (the register's Conditions), each with its sheets once spilled. */
  readonly extraSheets?: readonly {
    readonly name: string;
    readonly sheets: readonly string[];
    readonly rows: number;
  }[];
  readonly rows: number;
  readonly headers: readonly string[];
  readonly findingsColumns: readonly string[];
  /** Rows with findings none of which is a deviation (shaded, not highlighted). */
  readonly rowsWithoutDeviation?: number;
  readonly frozenColumns: number;
}

const LABEL_WIDTH = 28;
const VALUE_WIDTH = 90;
/** Printed, the About sheet is one page wide. */
export const ABOUT_PRINT_SETUP: Partial<ExcelJS.PageSetup> = {
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
};

const iso = (at: number) => new Date(at).toISOString().replace('.000Z', 'Z');

function facts(about: AboutFile, table: AboutTable): [string, ExcelJS.CellValue][] {
  const lines: [string, ExcelJS.CellValue][] = [
    [
      'What this file is',
      about.purpose ?? `The ${table.dataSheets[0] ?? 'data'} table of the auditor package.`,
    ],
  ];
  if (about.criteria?.length) lines.push(['SOC 2 criteria', about.criteria.join(', ')]);
  if (about.isoControls?.length) lines.push(['ISO 27001:2022 controls', about.isoControls.join(', ')]);
  if (about.period)
    lines.push([
      'Audit period',
      `${about.period.label}: from ${iso(about.period.start)} to ${iso(about.period.end)} (UTC; the end is excluded)`,
    ]);
  if (about.sources?.length) lines.push(['Source systems', about.sources.join('; ')]);
  lines.push(['Rows', table.rows]);
  lines.push(['Data sheets', table.dataSheets.join(', ')]);
  for (const extra of table.extraSheets ?? [])
    lines.push([
      `${extra.name} sheet`,
      `${extra.rows} row${extra.rows === 1 ? '' : 's'}${extra.sheets.length > 1 ? `, in the sheets ${extra.sheets.join(', ')} (Excel holds 1,048,576 rows a sheet)` : ''}`,
    ]);
  if (table.frozenColumns > 0 && table.headers.length > 0)
    lines.push(['Key column', table.headers.slice(0, table.frozenColumns).join(', ')]);
  if (table.findingsColumns.length > 0)
    lines.push([
      'Findings',
      `${
        table.rowsWithoutDeviation
          ? `Rows with a deviation are highlighted; the ${table.rowsWithoutDeviation} row${table.rowsWithoutDeviation === 1 ? '' : 's'} whose findings are only evidence pending collection or evidence unreadable (no deviation) are shaded grey instead`
          : 'Rows with findings are highlighted'
      }; their codes are in the column ${table.findingsColumns.map((name) => `"${name}"`).join(', ')}.`,
    ]);
  if (about.checks?.length)
    lines.push(['Checks behind the findings', about.checks.map((c) => `${c.id}@${c.version}`).join(', ')]);
  lines.push([
    'Dates and times',
    'Date cells in UTC, shown as yyyy-mm-dd hh:mm:ss "UTC"; filter and sort them as dates.',
  ]);
  lines.push([
    'Formula safety',
    'Text a spreadsheet would read as a formula (starting with = + - @, tab or carriage return) carries a leading apostrophe and stays text.',
  ]);
  if (table.csvName)
    lines.push([
      'Same rows as CSV',
      `${table.csvName} (plain text; cells too long for Excel are whole there)`,
    ]);
  for (const note of about.notes ?? []) lines.push(['Note', note]);
  const tool = toolVersion();
  lines.push(['Written at (UTC)', new Date(about.writtenAt ?? Date.now())]);
  lines.push(['Written by', `${tool.name} ${tool.version}`]);
  lines.push([
    'Integrity',
    about.manifestSha256
      ? `The package manifest (MANIFEST.json) has SHA-256 ${about.manifestSha256}.`
      : "The package's MANIFEST.json lists this file's SHA-256. The manifest's own SHA-256 is handed over separately: a file cannot contain the hash of a manifest that lists the file's own hash.",
  ]);
  return lines;
}

/** Fills the About sheet: the file name as a title, then one fact a row. */
export function fillAboutSheet(sheet: ExcelJS.Worksheet, about: AboutFile, table: AboutTable): void {
  sheet.columns = [{ width: LABEL_WIDTH }, { width: VALUE_WIDTH }];
  const title = sheet.addRow([table.fileName]);
  title.getCell(1).style = TITLE_STYLE;
  title.commit();
  sheet.addRow([]).commit();
  for (const [label, value] of facts(about, table)) {
    const row = sheet.addRow([label, value]);
    // Streamed rows keep their height: give wrapped facts the lines they need.
    // (a column holds about 1.1 of its width in proportional text.)
    if (typeof value === 'string') row.height = 15 * textLines(value, Math.round(VALUE_WIDTH * 1.1));
    row.getCell(1).style = LABEL_STYLE;
    row.getCell(2).style = value instanceof Date ? { ...NOTE_STYLE, numFmt: TIMESTAMP_FORMAT } : NOTE_STYLE;
    row.commit();
  }
}
