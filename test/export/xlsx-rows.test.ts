import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { SheetRows, xmlText } from '../../src/export/xlsx-rows.js';
import { TIMESTAMP_FORMAT } from '../../src/export/xlsx-styles.js';

const HEADERS = ['Key', 'When', 'Count', 'Flag', 'Link', 'Formula', 'Text', 'Empty'];
const STYLES: Partial<ExcelJS.Style>[] = [
  {},
  { numFmt: TIMESTAMP_FORMAT },
  {},
  { alignment: { horizontal: 'center' } },
  { font: { underline: true } },
  { font: { underline: true } },
  { alignment: { wrapText: true, vertical: 'top' } },
  { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } } },
];

/** Every kind of value the population writer puts in a cell, with text that needs escaping. */
function rowValues(n: number): ExcelJS.CellValue[] {
  return [
    `k${n} <&>"' \u0001\u007f\ttab`,
    new Date(Date.UTC(2026, 3, 1) + n * 3_600_123),
    n % 3 === 0 ? n / 7 : n,
    n % 2 === 0,
    n % 4 === 0 ? null : { text: `PR ${n}`, hyperlink: `https://example.com/pull/${n}?a=1&b=2` },
    { formula: `HYPERLINK("https://example.com/${n}","#${n}")`, result: `#${n}` },
    n % 5 === 0 ? `line one\nline "two" & more` : '',
    null,
  ];
}

async function sheetParts(file: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const parts: Record<string, string> = {};
  for (const name of Object.keys(zip.files)
    .filter((name) => name.startsWith('xl/'))
    .sort())
    parts[name] = await zip.file(name)!.async('string');
  return parts;
}

async function write(file: string, ours: boolean): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet('Population');
  sheet.columns = HEADERS.map(() => ({ width: 12 }));
  sheet.addRow(HEADERS).commit();
  const rows = new SheetRows(sheet, HEADERS.length);
  for (let n = 0; n < 300; n += 1) {
    const height = n % 5 === 0 ? 30 : undefined;
    if (ours) rows.write(n + 2, rowValues(n), STYLES, height);
    else {
      const row = sheet.addRow(rowValues(n));
      if (height) row.height = height;
      STYLES.forEach((style, index) => {
        row.getCell(index + 1).style = style;
      });
      row.commit();
    }
  }
  rows.flush();
  sheet.commit();
  await workbook.commit();
}

describe('data rows written as sheet XML', () => {
  it('are byte for byte what exceljs writes for the same rows: cells, styles and hyperlinks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-xlsx-rows-'));
    await write(path.join(dir, 'exceljs.xlsx'), false);
    await write(path.join(dir, 'ours.xlsx'), true);
    const theirs = await sheetParts(path.join(dir, 'exceljs.xlsx'));
    const ours = await sheetParts(path.join(dir, 'ours.xlsx'));
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    expect(ours['xl/worksheets/_rels/sheet1.xml.rels']).toContain('https://example.com/pull/1?a=1&amp;b=2');
    for (const part of Object.keys(theirs)) expect(ours[part], part).toBe(theirs[part]);
  });

  it('read back as the values they were given', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-xlsx-rows-'));
    await write(path.join(dir, 'ours.xlsx'), true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(dir, 'ours.xlsx'));
    const row = workbook.getWorksheet('Population')!.getRow(7);
    expect(row.getCell(2).value).toEqual(new Date(Date.UTC(2026, 3, 1) + 5 * 3_600_123));
    expect(row.getCell(3).value).toBe(5);
    expect(row.getCell(4).value).toBe(false);
    expect(row.getCell(5).value).toEqual({ text: 'PR 5', hyperlink: 'https://example.com/pull/5?a=1&b=2' });
    expect(row.getCell(7).value).toBe('line one\nline "two" & more');
  });

  it('escape text as exceljs does, dropping what XML cannot hold', () => {
    expect(xmlText('a<b>&"\'\u0000\u0008\u000b\u001f\u007f\t\n\r')).toBe('a&lt;b&gt;&amp;&quot;&apos;\t\n\r');
    expect(xmlText('plain')).toBe('plain');
  });
});
