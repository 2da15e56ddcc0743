import { z } from 'zod';
import { neutraliseCell, neutraliseText, type CellValue } from './neutralise.js';

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

/** Every text is neutralised against formula injection, a link's text included. */
export function neutralise(value: TableCell): TableCell {
  return isLinkCell(value) ? { text: neutraliseText(value.text), link: value.link } : neutraliseCell(value);
}

/** One column of a table the writer lays out itself: its header beside what it holds. */
export interface TableColumn {
  readonly header: string;
  readonly kind: ColumnKind;
}

/** Headers and kinds from one list of columns, so the two cannot fall out of step. */
export function tableLayout(columns: readonly TableColumn[]): {
  readonly headers: readonly string[];
  readonly kinds: readonly ColumnKind[];
} {
  return { headers: columns.map((column) => column.header), kinds: columns.map((column) => column.kind) };
}
