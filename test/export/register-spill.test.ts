import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { PeriodFindings, type RecordedFinding } from '../../src/checks/judge-period.js';
import { parsePeriod } from '../../src/cli/args.js';
import { writeExceptionsRegister } from '../../src/export/exceptions-file.js';
import { tempDir } from './fill-store.js';

const period = parsePeriod('2026-04');
const HOUR = 3_600_000;

/** A finding without a subject: a condition of its own. */
function finding(index: number, criterion: string): RecordedFinding {
  return {
    code: 'ROOT_SIGN_IN',
    stream: 'fixture-principals',
    keys: [`key-${index}`],
    occurredAt: period.start + index * HOUR,
    description: `sign-in ${index}`,
    check: 'fixture-root',
    checkVersion: 1,
    checkRef: 'fixture-root@1',
    criteria: [criterion],
    isoControls: [],
  };
}

describe("the Conditions sheet spills past the workbook's rows per sheet, as the register does", () => {
  it('writes every condition, sheet after sheet, and links the index to the right one', async () => {
    const out = tempDir('register-spill');
    const findings = [0, 1, 2, 3].map((index) => finding(index, 'CC6.1'));
    findings.push(...[4, 5, 6, 7].map((index) => finding(index, 'CC7.2')));
    const register = await writeExceptionsRegister(
      out,
      period,
      [],
      new PeriodFindings(period, [], findings),
      () => undefined,
      undefined,
      { rowsPerSheet: 3 },
    );
    expect(register.conditions.rows).toBe(8);
    const csv = parse(readFileSync(path.join(out, 'Exceptions_Conditions_2026-04.csv'), 'utf8'), {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    expect(csv).toHaveLength(8);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, register.xlsx));
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names).toEqual([
      'About',
      'Exceptions',
      'Exceptions (2)',
      'Exceptions (3)',
      'Conditions',
      'Conditions (2)',
      'Conditions (3)',
    ]);
    const conditionSheets = workbook.worksheets.filter((sheet) => sheet.name.startsWith('Conditions'));
    expect(conditionSheets.map((sheet) => sheet.rowCount)).toEqual([4, 4, 3]);
    const keyColumn = (conditionSheets[2]!.getRow(1).values as unknown[]).indexOf('Example item key');
    expect(conditionSheets[2]!.getRow(3).getCell(keyColumn).value).toBe('key-7');

    // CC7.2's first condition is the fifth: the second Conditions sheet, second data row.
    expect(register.conditions.byCriterion.get('CC7.2')!.first).toEqual({ sheet: 'Conditions (2)', row: 3 });
    const at = conditionSheets[1]!.getRow(3);
    expect(at.getCell(keyColumn).value).toBe('key-4');
    expect(at.getCell(1).value).toBe('CC7.2');

    const facts = new Map<string, unknown>();
    workbook
      .getWorksheet('About')!
      .eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(facts.get('Conditions sheet')).toBe(
      '8 rows, in the sheets Conditions, Conditions (2), Conditions (3) (Excel holds 1,048,576 rows a sheet)',
    );
  });
});
