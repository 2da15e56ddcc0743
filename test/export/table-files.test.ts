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
    const sheet = workbook.worksheets[0]!;
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
      'Population',
      'Population (2)',
      'Population (3)',
    ]);
    expect(workbook.worksheets.map((sheet) => sheet.rowCount)).toEqual([4, 4, 2]);
    expect(workbook.worksheets[2]!.getRow(1).getCell(1).value).toBe('n');
    expect(workbook.worksheets[2]!.getRow(2).getCell(1).value).toBe(7);
  });

  it('leaves numbers and booleans alone: they cannot carry a formula', () => {
    expect(neutraliseCell(-1)).toBe(-1);
    expect(neutraliseCell(false)).toBe(false);
    expect(neutraliseCell(null)).toBeNull();
  });
});
