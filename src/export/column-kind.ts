import { z } from 'zod';
import type { CellValue } from './neutralise.js';

/**
 * What a column holds, so the workbook can type its cells: dates as date cells (filterable by month),
 * numbers as numbers, URLs as hyperlinks, finding codes highlighted. The CSV is not affected: it stays
 * plain text, byte for byte. A column without a kind is `auto`: ISO timestamps become date cells.
 */
export const columnKind = z.enum(['text', 'number', 'date', 'boolean', 'url', 'findings']);
export type ColumnKind = z.infer<typeof columnKind>;

/** A cell that links somewhere: the CSV gets its text, the workbook a hyperlink to `link`. */
export interface LinkCell {
  readonly text: string;
  /** An http(s) URL, or a path inside the package with an optional `#'Sheet'!A1` location. */
  readonly link: string;
}

export type TableCell = CellValue | LinkCell;

export function isLinkCell(value: TableCell): value is LinkCell {
  return typeof value === 'object' && value !== null;
}
