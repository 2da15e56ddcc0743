import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutraliseCell } from '../../src/export/neutralise.js';
import { openTableFiles } from '../../src/export/table-files.js';
import { tempDir } from './fill-store.js';

describe('table files (CSV and XLSX side by side)', () => {
  it('neutralises every formula start, keeps typed numbers, and fits long text into an Excel cell', async () => {
    const dir = tempDir('table');
    const table = openTableFiles({
      csvPath: path.join(dir, 't.csv'),
      xlsxPath: path.join(dir, 't.xlsx'),
      sheetName: 'T',
      headers: ['text', 'number', 'flag'],
    });
    const hostile = ['=1+1', '+1', '-1', '@A1', '\tx', '\rx', 'plain', 'x=1'];
    for (const text of hostile) await table.addRow([text, -5, true]);
    await table.addRow(['y'.repeat(40_000), null, false]);
    await table.close();
    expect(table.rows).toBe(hostile.length + 1);

    const csv = parse(readFileSync(path.join(dir, 't.csv'), 'utf8'), {
      columns: true,
      bom: true,
      relax_quotes: true,
    }) as Record<string, string>[];
    expect(csv.slice(0, hostile.length).map((row) => row.text)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@A1",
      "'\tx",
      "'\rx",
      'plain',
      'x=1',
    ]);
    expect(csv[0]!.number).toBe('-5');
    expect(csv.at(-1)!.text).toHaveLength(40_000);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(dir, 't.xlsx'));
    const sheet = workbook.getWorksheet('T')!;
    expect(sheet.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(2).getCell(1).value).toBe("'=1+1");
    expect(sheet.getRow(2).getCell(2).value).toBe(-5);
    expect(sheet.getRow(2).getCell(3).value).toBe(true);
    const long = String(sheet.getRow(hostile.length + 2).getCell(1).value);
    expect(long.length).toBeLessThanOrEqual(32_767);
    expect(long).toMatch(/truncated: the full value is in the CSV\]$/);
  });

  it('spills into a further sheet past the row limit, each sheet with its header', async () => {
    const dir = tempDir('spill');
    const table = openTableFiles({
      xlsxPath: path.join(dir, 's.xlsx'),
      sheetName: 'Population',
      headers: ['n'],
      rowsPerSheet: 3,
    });
    for (let n = 1; n <= 7; n += 1) await table.addRow([n]);
    await table.close();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(dir, 's.xlsx'));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'About',
      'Population',
      'Population (2)',
      'Population (3)',
    ]);
    expect(workbook.worksheets.slice(1).map((sheet) => sheet.rowCount)).toEqual([4, 4, 2]);
    expect(workbook.worksheets[3]!.getRow(1).getCell(1).value).toBe('n');
    expect(workbook.worksheets[3]!.getRow(2).getCell(1).value).toBe(7);
  });

  it('types cells by column kind: links up to the budget, then HYPERLINK() formulas; unsafe links stay text', async () => {
    const dir = tempDir('kinds');
    const table = openTableFiles({
      csvPath: path.join(dir, 'k.csv'),
      xlsxPath: path.join(dir, 'k.xlsx'),
      sheetName: 'K',
      headers: ['key', 'link', 'when', 'codes', 'note'],
      kinds: ['text', 'url', 'date', 'findings', 'text'],
      // Two links in the first row, one in the second: the third row's link is past the budget.
      linksPerSheet: 3,
      rowsPerSheet: 4,
    });
    const urls = [
      'https://example.test/pull/1',
      'https://example.test/pull/2',
      'https://example.test/pull/3?q="x"',
      'javascript:alert(1)',
      '=HYPERLINK("http://evil.example","x")',
      'https://example.test/' + 'a'.repeat(300),
    ];
    const places = [];
    for (const [index, url] of urls.entries())
      places.push(
        await table.addRow([
          `k${index}`,
          url,
          Date.UTC(2026, 3, 1, 12, 30, index),
          index === 1 ? 'DIRECT_PUSH' : '',
          index === 0 ? { text: 'see the register', link: "other.xlsx#'Sheet'!A7" } : 'x'.repeat(200),
        ]),
      );
    await table.close();
    expect(places).toEqual([
      { sheet: 'K', row: 2 },
      { sheet: 'K', row: 3 },
      { sheet: 'K', row: 4 },
      { sheet: 'K', row: 5 },
      { sheet: 'K (2)', row: 2 },
      { sheet: 'K (2)', row: 3 },
    ]);

    const csv = parse(readFileSync(path.join(dir, 'k.csv'), 'utf8'), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(csv.map((row) => row.link)).toEqual([...urls.slice(0, 4), `'${urls[4]}`, urls[5]]);
    expect(csv[0]!.when).toBe(String(Date.UTC(2026, 3, 1, 12, 30, 0)));
    expect(csv[0]!.note).toBe('see the register');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(dir, 'k.xlsx'));
    const [first, second] = [workbook.getWorksheet('K')!, workbook.getWorksheet('K (2)')!];
    const link = (sheet: ExcelJS.Worksheet, row: number) => sheet.getRow(row).getCell(2);
    expect(link(first, 2).hyperlink).toBe(urls[0]);
    expect(link(first, 3).hyperlink).toBe(urls[1]);
    // Past the budget: a formula that links, its quotes doubled; the shown text is its result.
    expect(link(first, 4).formula).toBe(
      `HYPERLINK("https://example.test/pull/3?q=%22x%22","${urls[2]!.replaceAll('"', '""')}")`,
    );
    expect(link(first, 4).result).toBe(urls[2]);
    expect(link(first, 5).type).toBe(ExcelJS.ValueType.String);
    expect(link(first, 5).value).toBe('javascript:alert(1)');
    // A new sheet has a new budget; a neutralised payload stays text; a link too long for a formula is text.
    expect(link(second, 2).type).toBe(ExcelJS.ValueType.String);
    expect(link(second, 2).value).toBe(`'${urls[4]}`);
    expect(link(second, 3).hyperlink).toBe(urls[5]);
    expect(first.getRow(2).getCell(5).hyperlink).toBe("other.xlsx#'Sheet'!A7");
    expect(first.getRow(2).getCell(3).value).toEqual(new Date(Date.UTC(2026, 3, 1, 12, 30, 0)));
    // The finding's row is highlighted, the others not; long text wraps in a bounded column.
    expect(first.getRow(3).getCell(1).fill).toMatchObject({ pattern: 'solid' });
    expect(first.getRow(2).getCell(1).fill).toBeUndefined();
    expect(first.getRow(3).getCell(5).alignment?.wrapText).toBe(true);
    expect(first.getColumn(5).width).toBe(66);
    expect(first.autoFilter).toBe('A1:E5');
    expect(second.autoFilter).toBe('A1:E3');
  });

  it('leaves numbers and booleans alone: they cannot carry a formula', () => {
    expect(neutraliseCell(-1)).toBe(-1);
    expect(neutraliseCell(false)).toBe(false);
    expect(neutraliseCell(null)).toBeNull();
  });
});
