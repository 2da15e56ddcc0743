import type ExcelJS from 'exceljs';
import { isLinkCell, type ColumnKind, type TableCell } from './column-kind.js';
import { neutraliseText } from './neutralise.js';

// Excel refuses a cell longer than 32,767 characters; the CSV keeps the full value.
const XLSX_CELL_LIMIT = 32_767;
const TRUNCATED = ' [truncated: the full value is in the CSV]';
// A native hyperlink is held in memory until its sheet closes (Excel keeps at most 65,530 a sheet anyway);
// past 10,000 a sheet, links are HYPERLINK() formulas, which stream and open in Excel and LibreOffice alike.
export const NATIVE_LINKS_PER_SHEET = 10_000;
// A HYPERLINK() argument longer than 255 characters is an error in Excel: such a link stays text.
const FORMULA_ARGUMENT_LIMIT = 255;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?Z$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
// A path inside the package (no scheme, no "..", no absolute path), optionally with a location.
const PACKAGE_PATH = /^[A-Za-z0-9_.()-]+(?:\/[A-Za-z0-9_.()-]+)*(?:#[^"<>\s]+)?$/;

/** How a cell is drawn; the styles module turns a look into one shared style object. */
export type CellLook = 'plain' | 'timestamp' | 'day' | 'boolean' | 'link' | 'finding';

export interface XlsxCell {
  readonly value: ExcelJS.CellValue;
  readonly look: CellLook;
  /** Characters the cell shows, for fitting the column width. */
  readonly width: number;
}

/** Counts the native hyperlinks of the current sheet. */
export class LinkBudget {
  private used = 0;
  constructor(private readonly limit = NATIVE_LINKS_PER_SHEET) {}
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }
  reset(): void {
    this.used = 0;
  }
}

/** How many lines a text takes wrapped in a column `width` characters wide. */
export function textLines(text: string, width: number): number {
  return text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / width)), 0);
}

function fitText(text: string): string {
  return text.length > XLSX_CELL_LIMIT ? text.slice(0, XLSX_CELL_LIMIT - TRUNCATED.length) + TRUNCATED : text;
}

function longestLine(text: string): number {
  if (!text.includes('\n')) return text.length;
  let longest = 0;
  for (const line of text.split('\n')) longest = Math.max(longest, line.length);
  return longest;
}

/** A link target we are willing to write: http(s) anywhere, or a file of the package. */
export function safeTarget(link: string): string | undefined {
  if (PACKAGE_PATH.test(link) && !link.split('#')[0]!.split('/').includes('..')) return link;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;

function linkCell(text: string, target: string, links: LinkBudget): XlsxCell {
  const shown = fitText(text || target);
  if (links.take()) return { value: { text: shown, hyperlink: target }, look: 'link', width: shown.length };
  if (target.length <= FORMULA_ARGUMENT_LIMIT && shown.length <= FORMULA_ARGUMENT_LIMIT)
    return {
      value: { formula: `HYPERLINK(${quoted(target)},${quoted(shown)})`, result: shown },
      look: 'link',
      width: shown.length,
    };
  return { value: shown, look: 'plain', width: shown.length };
}

function textCell(text: string, kind: ColumnKind | undefined, links: LinkBudget): XlsxCell {
  if (kind === undefined || kind === 'date') {
    if (ISO_TIMESTAMP.test(text)) return { value: new Date(text), look: 'timestamp', width: 23 };
    if (ISO_DAY.test(text) && !Number.isNaN(Date.parse(text)))
      return { value: new Date(`${text}T00:00:00Z`), look: 'day', width: 10 };
  }
  if (kind === 'url') {
    const target = /^https?:\/\//i.test(text) ? safeTarget(text) : undefined;
    if (target) return linkCell(text, target, links);
  }
  const shown = fitText(text);
  if (kind === 'findings' && shown !== '')
    // Finding codes are bold capitals: a fifth wider than plain text.
    return { value: shown, look: 'finding', width: Math.ceil(longestLine(shown) * 1.2) };
  return { value: shown, look: 'plain', width: longestLine(shown) };
}

/**
 * The workbook form of one (already neutralised) cell. A neutralised text starts with an apostrophe, so it
 * never reads as a date or a URL: it stays text, as the CSV has it.
 */
export function toXlsxCell(value: TableCell, kind: ColumnKind | undefined, links: LinkBudget): XlsxCell {
  if (value === null) return { value: null, look: 'plain', width: 0 };
  if (isLinkCell(value)) {
    const text = neutraliseText(value.text);
    const target = safeTarget(value.link);
    return target ? linkCell(text, target, links) : textCell(text, 'text', links);
  }
  if (typeof value === 'string') return textCell(value, kind, links);
  if (typeof value === 'number' && kind === 'date' && Number.isFinite(value))
    return { value: new Date(value), look: 'timestamp', width: 23 };
  if (typeof value === 'boolean') return { value, look: 'boolean', width: 5 };
  return { value, look: 'plain', width: String(value).length };
}
