import ExcelJS from 'exceljs';

// Rows are rendered into one reused buffer and handed to the sheet's stream in blocks of about this size.
const BLOCK_BYTES = 65_536;
// Room kept free in the block for one more row before it is handed on (a longer row grows the block).
const ROW_ROOM = 8_192;
// Characters the sheet XML cannot carry (exceljs drops them too) and the ones it escapes.
// eslint-disable-next-line no-control-regex -- the control characters are what this looks for
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;
const EXCEL_EPOCH_DAYS = 25_569;
const DAY_MS = 86_400_000;

/** The internals of exceljs' streaming sheet this writer shares (not in its types). */
interface StreamedSheet {
  readonly stream: { write(data: Buffer): unknown };
  readonly startedData?: boolean;
  readonly _workbook: {
    readonly styles: { addStyleModel(style: Partial<ExcelJS.Style>, cellType: ExcelJS.ValueType): number };
  };
  readonly _sheetRelsWriter: {
    readonly hyperlinksProxy: { push(link: { address: string; target: string }): void };
  };
}

/** The same escaping as exceljs' own writer: the five XML entities, control characters dropped. */
export function xmlText(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 34) out += '&quot;';
    else if (code === 38) out += '&amp;';
    else if (code === 39) out += '&apos;';
    else if (code === 60) out += '&lt;';
    else if (code === 62) out += '&gt;';
    else if (code === 127 || (code <= 31 && code !== 9 && code !== 10 && code !== 13)) continue;
    else out += text[index];
  }
  return out;
}

function valueType(value: ExcelJS.CellValue): ExcelJS.ValueType {
  if (value === null || value === undefined) return ExcelJS.ValueType.Null;
  if (typeof value === 'string') return ExcelJS.ValueType.String;
  if (typeof value === 'number') return ExcelJS.ValueType.Number;
  if (typeof value === 'boolean') return ExcelJS.ValueType.Boolean;
  if (value instanceof Date) return ExcelJS.ValueType.Date;
  if ('hyperlink' in value && value.text && value.hyperlink) return ExcelJS.ValueType.Hyperlink;
  if ('formula' in value && value.formula) return ExcelJS.ValueType.Formula;
  throw new Error(`xlsx rows: a cell value this writer does not render (${JSON.stringify(value)})`);
}

/** A1-style column letters: 1 → A, 27 → AA. */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const excelDate = (date: Date) => String(EXCEL_EPOCH_DAYS + date.getTime() / DAY_MS);

/**
 * Writes the data rows of a streamed sheet as sheet XML directly, byte for byte what exceljs' `addRow` and
 * `commit` would write (its style registry and hyperlink list are used as they are), without the row, cell,
 * value and model objects exceljs builds for every cell: at a million rows those were most of the heap the
 * export churned through. The sheet's header row must be committed through exceljs first (it opens the
 * sheet data); `flush` before the sheet is committed.
 */
export class SheetRows {
  private readonly sheet: StreamedSheet;
  private readonly letters: string[];
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private used = 0;

  constructor(sheet: ExcelJS.Worksheet, columns: number) {
    this.sheet = sheet as unknown as StreamedSheet;
    this.letters = Array.from({ length: columns }, (_, index) => columnLetters(index + 1));
  }

  /** One row: its number in the sheet, a value and a style object per column, a height when wrapped. */
  write(
    number: number,
    values: readonly ExcelJS.CellValue[],
    styles: readonly Partial<ExcelJS.Style>[],
    height?: number,
  ): void {
    if (!this.sheet.startedData) throw new Error('xlsx rows: the header row is not committed yet');
    let xml = `<row r="${number}"`;
    if (height) xml += ` ht="${height}" customHeight="1"`;
    xml += ` spans="1:${this.letters.length}" x14ac:dyDescent="0.25">`;
    for (let index = 0; index < this.letters.length; index += 1)
      xml += this.cell(`${this.letters[index]!}${number}`, values[index] ?? null, styles[index] ?? {});
    this.append(`${xml}</row>`);
  }

  private cell(address: string, value: ExcelJS.CellValue, style: Partial<ExcelJS.Style>): string {
    const type = valueType(value);
    const formula = type === ExcelJS.ValueType.Formula ? (value as ExcelJS.CellFormulaValue) : undefined;
    const effective = formula ? valueType(formula.result as ExcelJS.CellValue) : type;
    const styleId = this.sheet._workbook.styles.addStyleModel(style, effective);
    if (type === ExcelJS.ValueType.Null && !styleId) return '';
    const open = `<c r="${address}"${styleId ? ` s="${styleId}"` : ''}`;
    switch (type) {
      case ExcelJS.ValueType.Null:
        return `${open}/>`;
      case ExcelJS.ValueType.Number:
        return `${open}><v>${xmlText(String(value))}</v></c>`;
      case ExcelJS.ValueType.Boolean:
        return `${open} t="b"><v>${value ? '1' : '0'}</v></c>`;
      case ExcelJS.ValueType.String:
        return `${open} t="str"><v>${xmlText(value as string)}</v></c>`;
      case ExcelJS.ValueType.Date:
        return `${open}><v>${excelDate(value as Date)}</v></c>`;
      case ExcelJS.ValueType.Hyperlink: {
        const link = value as ExcelJS.CellHyperlinkValue;
        this.sheet._sheetRelsWriter.hyperlinksProxy.push({ address, target: link.hyperlink });
        return `${open} t="str"><v>${xmlText(link.text)}</v></c>`;
      }
      default:
        return this.formulaCell(open, formula!);
    }
  }

  /** A formula cell as exceljs writes an unshared one; our formulae (HYPERLINK) have text results. */
  private formulaCell(open: string, formula: ExcelJS.CellFormulaValue): string {
    const f = `<f>${xmlText(formula.formula)}</f>`;
    const result = formula.result as ExcelJS.CellValue;
    if (result === null || result === undefined) return `${open}>${f}</c>`;
    if (typeof result === 'string') return `${open} t="str">${f}<v>${xmlText(result)}</v></c>`;
    if (typeof result === 'number') return `${open}>${f}<v>${xmlText(String(result))}</v></c>`;
    if (typeof result === 'boolean') return `${open} t="b">${f}<v>${result ? 1 : 0}</v></c>`;
    if (result instanceof Date) return `${open}>${f}<v>${excelDate(result)}</v></c>`;
    throw new Error('xlsx rows: a formula result this writer does not render');
  }

  private append(xml: string): void {
    if (this.used + xml.length * 3 > this.block.length - ROW_ROOM) this.flush();
    if (xml.length * 3 > this.block.length) this.block = Buffer.allocUnsafe(xml.length * 3 + ROW_ROOM);
    this.used += this.block.write(xml, this.used, 'utf8');
  }

  /** Hands the rendered rows to the sheet's stream, which copies them at once: the block is reused. */
  flush(): void {
    if (this.used === 0) return;
    this.sheet.stream.write(this.block.subarray(0, this.used));
    this.used = 0;
  }
}
