import type ExcelJS from 'exceljs';
import type { CellLook } from './xlsx-cells.js';

/** The date format the issue asks for: unambiguous, sortable, and says its zone. */
export const TIMESTAMP_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"';
export const DAY_FORMAT = 'yyyy-mm-dd';
// Excel shows a boolean cell as TRUE/FALSE whatever its format; LibreOffice needs the format to.
const BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"';

const HEADER_FILL = 'FF1F3864';
const HIGHLIGHT_FILL = 'FFFFF2CC';
// A row whose findings are no deviation (evidence pending collection or unreadable): marked, not highlighted.
const NO_DEVIATION_FILL = 'FFEDEDED';
const LINK_COLOUR = 'FF0563C1';
const FINDING_COLOUR = 'FF9C0006';

const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

export const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: solid(HEADER_FILL),
  alignment: { vertical: 'middle' },
  border: { bottom: { style: 'thin', color: { argb: 'FF000000' } } },
};

export const LABEL_STYLE: Partial<ExcelJS.Style> = { font: { bold: true }, alignment: { vertical: 'top' } };
export const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 14 } };
export const NOTE_STYLE: Partial<ExcelJS.Style> = {
  alignment: { wrapText: true, vertical: 'top', horizontal: 'left' },
};

function lookStyle(look: CellLook): Partial<ExcelJS.Style> {
  switch (look) {
    case 'timestamp':
      return { numFmt: TIMESTAMP_FORMAT };
    case 'day':
      return { numFmt: DAY_FORMAT };
    case 'boolean':
      return { numFmt: BOOLEAN_FORMAT, alignment: { horizontal: 'center' } };
    case 'link':
      return { font: { color: { argb: LINK_COLOUR }, underline: true } };
    case 'finding':
      return { font: { bold: true, color: { argb: FINDING_COLOUR } } };
    case 'plain':
      return {};
  }
}

/**
 * How a row with findings is filled: highlighted for a finding (a deviation), shaded for findings that
 * are all no deviation. Given by the writer of the table (a population knows its findings' statuses).
 */
export type RowFill = 'finding' | 'no deviation';

/**
 * One style object per combination, shared by every cell that uses it: exceljs then resolves a style by
 * identity instead of serialising it again for each of a million cells.
 */
export class CellStyles {
  private readonly cache = new Map<string, Partial<ExcelJS.Style>>();

  get(look: CellLook, wrap: boolean, highlighted: RowFill | false): Partial<ExcelJS.Style> {
    const key = `${look}|${wrap}|${highlighted}`;
    let style = this.cache.get(key);
    if (!style) {
      style = {
        ...lookStyle(look),
        ...(wrap ? { alignment: { wrapText: true, vertical: 'top' } } : {}),
        ...(highlighted === 'no deviation'
          ? { fill: solid(NO_DEVIATION_FILL) }
          : highlighted
            ? { fill: solid(HIGHLIGHT_FILL) }
            : {}),
      };
      this.cache.set(key, style);
    }
    return style;
  }
}
