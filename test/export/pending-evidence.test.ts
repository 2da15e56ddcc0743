import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { writeAuditorPackage, type AuditorPackage } from '../../src/export/package-writer.js';
import { freshStoreUrl } from '../support/stores.js';
import { fixtureChecks, fixtureConnector } from './fixture-connector.js';
import { messageCheck, pendingTicketCheck } from './pending-fixture.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';

const period = parsePeriod('2026-04');
const REGISTER = 'Exceptions_Register_2026-04';
const CHANGES = 'fixture-production-changes';

type Row = Record<string, string>;
const readCsv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Row[];

/** The data rows of a sheet as text, keyed by header, as a CSV reader would give them. */
function sheetRows(sheet: ExcelJS.Worksheet): Row[] {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Row[] = [];
  for (let number = 2; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number);
    rows.push(
      Object.fromEntries(
        headers.map((header, index) => {
          const value = row.getCell(index + 1).value;
          if (value instanceof Date) return [header, value.toISOString()];
          if (value && typeof value === 'object' && 'text' in value) return [header, String(value.text)];
          return [header, value === null || value === undefined ? '' : String(value)];
        }),
      ),
    );
  }
  return rows;
}

function aboutNotes(workbook: ExcelJS.Workbook): string[] {
  const notes: string[] = [];
  workbook.getWorksheet('About')!.eachRow((row) => {
    if (row.getCell(1).value === 'Note') notes.push(String(row.getCell(2).value));
  });
  return notes;
}

const count = (rows: readonly Row[], status: string) => rows.filter((row) => row.Status === status).length;

describe('the register and the Conditions view tell evidence pending from deviations (SQLite)', () => {
  let app: App;
  let out: string;
  let written: AuditorPackage;
  let register: Row[];
  let conditions: Row[];

  beforeAll(async () => {
    app = await fixtureApp({
      storeUrl: freshStoreUrl('sqlite'),
      connector: {
        connector: fixtureConnector,
        config: { failDays: [] },
        checks: [...fixtureChecks, pendingTicketCheck, messageCheck],
      },
    });
    await fillThroughRunner(app, period);
    out = path.join(tempDir('pending'), 'pkg');
    written = await writeAuditorPackage(app, { period, out });
    register = readCsv(path.join(out, `${REGISTER}.csv`));
    conditions = readCsv(path.join(out, 'Exceptions_Conditions_2026-04.csv'));
  });
  afterAll(async () => app.close());

  it('gives every register row a status: pending tickets and unreadable records are no deviations', () => {
    const statusOf = new Map(register.map((row) => [row.Finding, row.Status]));
    expect(Object.fromEntries(statusOf)).toEqual({
      DIRECT_PUSH: 'deviation',
      SELF_APPROVAL: 'deviation',
      CONSOLE_USER_WITHOUT_MFA: 'deviation',
      ticket_evidence_not_collected: 'evidence pending collection',
      fact_unreadable: 'evidence unreadable',
    });
    // One unreadable first commit a day.
    expect(count(register, 'evidence unreadable')).toBe(30);
    expect(count(register, 'evidence pending collection')).toBeGreaterThan(0);
    expect(written.exceptionStatuses).toEqual({
      deviation: count(register, 'deviation'),
      'evidence pending collection': count(register, 'evidence pending collection'),
      'evidence unreadable': 30,
    });
    expect(written.exceptions).toBe(register.length);
  });

  it("says in the register's About sheet how many rows are deviations and what the statuses mean", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, `${REGISTER}.xlsx`));
    const notes = aboutNotes(workbook);
    const pending = count(register, 'evidence pending collection');
    expect(notes).toContain(
      `Of the ${register.length} rows: ${count(register, 'deviation')} deviations, ${pending} evidence pending collection, 30 evidence unreadable. Filter "Status" to see the deviations alone.`,
    );
    expect(notes.some((note) => note.startsWith('"Status" says what a row counts as.'))).toBe(true);
    expect(notes.some((note) => note.includes('"not applicable (event)"'))).toBe(true);
    expect(sheetRows(workbook.getWorksheet('Exceptions')!).map((row) => row.Status)).toEqual(
      register.map((row) => row.Status),
    );
  });

  it('gives conditions the status of their finding, the sheet row for row as the CSV', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, `${REGISTER}.xlsx`));
    expect(sheetRows(workbook.getWorksheet('Conditions')!)).toEqual(conditions);
    for (const row of conditions)
      expect(row.Status).toBe(register.find((entry) => entry.Finding === row.Finding)!.Status);
    expect(written.conditions.statuses).toEqual({
      deviation: count(conditions, 'deviation'),
      'evidence pending collection': count(conditions, 'evidence pending collection'),
      'evidence unreadable': 30,
    });
  });

  it('never calls an event finding open at period end, even one in the last observation', () => {
    const changes = conditions.filter((row) => row.Stream === CHANGES);
    expect(new Set(changes.map((row) => [row['Kind of finding'], row['Open at period end']].join()))).toEqual(
      new Set(['event,not applicable (event)']),
    );
    // The last day's commits are the stream's last observation: they would have counted as open.
    expect(changes.some((row) => row['Last seen (UTC)']?.startsWith('2026-04-30'))).toBe(true);
    expect(conditions.every((row) => row['Open at period end'] === 'not applicable (event)')).toBe(true);
    expect(written.conditions.open).toBe(0);
  });

  it('counts in the index only items with a deviation, and the register rows and conditions by status', () => {
    const index = readCsv(path.join(out, 'Control_Evidence_Index_2026-04.csv'));
    const cc81 = index.find((row) => row.Criterion === 'CC8.1')!;
    const changes = register.filter((row) => row.Stream === CHANGES);
    const items = (rows: readonly Row[]) => new Set(rows.map((row) => row['Item key'])).size;
    const deviating = items(changes.filter((row) => row.Status === 'deviation'));
    // Items whose only findings wait for evidence exist, so leaving them out changes the count.
    expect(items(changes)).toBeGreaterThan(deviating);
    expect(cc81['Items with deviations']).toBe(String(deviating));
    const rows = (status: string) => count(changes, status);
    expect(cc81['Exceptions register']).toBe(
      `${changes.length} rows: ${rows('deviation')} deviations, ${rows('evidence pending collection')} evidence pending collection, 30 evidence unreadable; first at row 2`,
    );
    const grouped = conditions.filter((row) => row.Criterion === 'CC8.1');
    expect(cc81.Conditions).toBe(
      `${grouped.length} conditions: ${count(grouped, 'deviation')} deviations (0 open at period end), ${count(grouped, 'evidence pending collection')} evidence pending collection, 30 evidence unreadable`,
    );
  });

  it('shades, never highlights, a population row whose findings are only pending or unreadable', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, 'CC8.1_Production_Changes_2026-04.xlsx'));
    const sheet = workbook.getWorksheet('Population')!;
    const statuses = new Map<string, Set<string>>();
    for (const row of register.filter((entry) => entry.Stream === CHANGES))
      statuses.set(row['Item key']!, (statuses.get(row['Item key']!) ?? new Set()).add(row.Status!));
    const fills = { highlighted: 0, shaded: 0 };
    for (let number = 2; number <= sheet.rowCount; number += 1) {
      const row = sheet.getRow(number);
      const found = statuses.get(String(row.getCell(1).value));
      const fill = (row.getCell(1).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
      if (!found) expect(fill, `row ${number}`).toBeUndefined();
      else if (found.has('deviation')) {
        expect(fill, `row ${number}`).toBe('FFFFF2CC');
        fills.highlighted += 1;
      } else {
        expect(fill, `row ${number}`).toBe('FFEDEDED');
        fills.shaded += 1;
      }
    }
    const changes = written.populations.find((population) => population.stream === CHANGES)!;
    expect(fills.shaded).toBeGreaterThan(0);
    expect(changes.flagged).toEqual({
      deviation: fills.highlighted,
      'evidence pending collection': expect.any(Number) as number,
      'evidence unreadable': expect.any(Number) as number,
    });
    expect(changes.flagged['evidence pending collection'] + changes.flagged['evidence unreadable']).toBe(
      fills.shaded,
    );
    const about: string[] = [];
    workbook.getWorksheet('About')!.eachRow((row) => {
      if (row.getCell(1).value === 'Findings') about.push(String(row.getCell(2).value));
    });
    expect(about).toEqual([
      `Rows with a deviation are highlighted; the ${fills.shaded} rows whose findings are only evidence pending collection or evidence unreadable (no deviation) are shaded grey instead; their codes are in the column "Findings".`,
    ]);
  });
});
