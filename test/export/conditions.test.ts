import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { ConditionGroups, type Observation } from '../../src/export/conditions.js';
import { writeAuditorPackage, type AuditorPackage } from '../../src/export/package-writer.js';
import { verifyPackage } from '../../src/export/verify-package.js';
import { dropStore, freshStoreUrl } from '../support/stores.js';
import { principalMfaCheck, principalsConnector, withoutMfa } from './conditions-fixture.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';

const period = parsePeriod('2026-04');
const APRIL_DAYS = 30;
const april = (day: number) => `2026-04-${String(day).padStart(2, '0')}T00:00:00.000Z`;
const REGISTER = 'Exceptions_Register_2026-04';
const CONDITIONS_CSV = 'Exceptions_Conditions_2026-04.csv';

type Row = Record<string, string>;
const readCsv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Row[];

async function openApp(storeUrl: string): Promise<App> {
  return fixtureApp({
    storeUrl,
    connector: { connector: principalsConnector, config: {}, checks: [principalMfaCheck] },
  });
}

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

const days = (login: string) =>
  Array.from({ length: APRIL_DAYS }, (_, index) => index + 1).filter((day) => withoutMfa(login, day));

describe('the exceptions register groups repeated findings into conditions (SQLite)', () => {
  let app: App;
  let out: string;
  let written: AuditorPackage;
  let conditions: Row[];
  let register: Row[];

  beforeAll(async () => {
    app = await openApp(freshStoreUrl('sqlite'));
    await fillThroughRunner(app, period);
    out = path.join(tempDir('conditions'), 'pkg');
    written = await writeAuditorPackage(app, { period, out });
    conditions = readCsv(path.join(out, CONDITIONS_CSV));
    register = readCsv(path.join(out, `${REGISTER}.csv`));
  });
  afterAll(async () => app.close());

  const mfa = (login: string) =>
    conditions.filter((row) => row.Finding === 'MFA_MISSING' && row.Subject === login);

  it("gives a principal's daily findings one condition: first and last seen, observations, open at period end", () => {
    expect(
      register.filter((row) => row.Finding === 'MFA_MISSING' && row.Description === 'alice has no MFA'),
    ).toHaveLength(APRIL_DAYS);
    expect(mfa('alice')).toEqual([
      {
        Criterion: 'CC6.1',
        'All criteria': 'CC6.1',
        'ISO 27001:2022 controls': 'A.5.17',
        Stream: 'fixture-principals',
        Check: 'fixture-principal-mfa@1',
        Finding: 'MFA_MISSING',
        Status: 'deviation',
        Subject: 'alice',
        'First seen (UTC)': april(1),
        'Last seen (UTC)': april(30),
        Observations: '30',
        'Kind of finding': 'state',
        'Open at period end': 'yes',
        'Latest description': 'alice has no MFA',
        'Example item key': '2026-04-01/alice',
        'First register row': expect.stringMatching(/^Exceptions row \d+$/) as unknown as string,
      },
    ]);
  });

  it('gives each subject its own condition; one not seen in the last observation is closed', () => {
    // In the order of their first register row: by first seen (carol from the 4th, bob from the 11th).
    expect(conditions.filter((row) => row.Finding === 'MFA_MISSING').map((row) => row.Subject)).toEqual([
      'alice',
      'carol',
      'bob',
    ]);
    expect(mfa('bob')[0]).toMatchObject({
      'First seen (UTC)': april(11),
      'Last seen (UTC)': april(20),
      Observations: '10',
      'Open at period end': 'no',
    });
    // Not consecutive (the 4th to the 6th, then from the 26th): still one condition, open again at the end.
    expect(days('carol')).toEqual([4, 5, 6, 26, 27, 28, 29, 30]);
    expect(mfa('carol')[0]).toMatchObject({
      'First seen (UTC)': april(4),
      'Last seen (UTC)': april(30),
      Observations: '8',
      'Open at period end': 'yes',
    });
    expect(conditions.some((row) => row.Subject === 'dave')).toBe(false);
  });

  it('keeps a finding without a subject a condition of its own, keyed by its item', () => {
    const root = conditions.filter((row) => row.Finding === 'ROOT_SIGN_IN');
    expect(
      root.map((row) => [row.Subject, row['Example item key'], row.Observations, row['Open at period end']]),
    ).toEqual([
      ['', '2026-04-08/root', '1', 'no'],
      ['', '2026-04-09/root', '1', 'no'],
    ]);
    // Every register row is one observation of exactly one condition.
    expect(conditions.reduce((sum, row) => sum + Number(row.Observations), 0)).toBe(register.length);
    expect(written.conditions).toEqual({
      rows: 5,
      statuses: { deviation: 5, 'evidence pending collection': 0, 'evidence unreadable': 0 },
      open: 2,
    });
  });

  it('writes the same conditions as a sheet of the register workbook, each linked to its first register row', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, `${REGISTER}.xlsx`));
    const sheet = workbook.getWorksheet('Conditions')!;
    expect(sheetRows(sheet)).toEqual(conditions);
    const exceptions = workbook.getWorksheet('Exceptions')!;
    const headers = (exceptions.getRow(1).values as unknown[]).map(String);
    const linkColumn = (sheet.getRow(1).values as unknown[]).indexOf('First register row');
    for (let number = 2; number <= sheet.rowCount; number += 1) {
      const cell = sheet.getRow(number).getCell(linkColumn);
      const match = new RegExp(`^${REGISTER}\\.xlsx#'Exceptions'!A(\\d+)$`).exec(cell.hyperlink ?? '');
      expect(match, cell.hyperlink).not.toBeNull();
      const target = exceptions.getRow(Number(match![1]));
      const condition = conditions[number - 2]!;
      expect(cell.text).toBe(`Exceptions row ${match![1]}`);
      expect(target.getCell(headers.indexOf('Item key')).value).toBe(condition['Example item key']);
      expect(target.getCell(headers.indexOf('Finding')).value).toBe(condition.Finding);
      expect(target.getCell(headers.indexOf('Check')).value).toBe(condition.Check);
    }
    // The first of the condition's rows: alice's first day is the register's first MFA_MISSING row for her.
    const alice = register.findIndex((row) => row['Item key'] === '2026-04-01/alice');
    expect(mfa('alice')[0]!['First register row']).toBe(`Exceptions row ${alice + 2}`);
  });

  it("counts the conditions per criterion in the index, linked to the criterion's first condition", async () => {
    const index = readCsv(path.join(out, 'Control_Evidence_Index_2026-04.csv'));
    expect(index.find((row) => row.Criterion === 'CC6.1')!.Conditions).toBe(
      '5 conditions: 5 deviations (2 open at period end)',
    );
    expect(index.find((row) => row.Criterion === 'CC8.1')!.Conditions).toBe('');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, 'Control_Evidence_Index_2026-04.xlsx'));
    const sheet = workbook.getWorksheet('Control-evidence index')!;
    const headers = (sheet.getRow(1).values as unknown[]).map(String);
    const cc61 = sheetRows(sheet).findIndex((row) => row.Criterion === 'CC6.1');
    expect(sheet.getRow(cc61 + 2).getCell(headers.indexOf('Conditions')).hyperlink).toBe(
      `${REGISTER}.xlsx#'Conditions'!A2`,
    );
  });

  it('lists the conditions CSV in the manifest; the package verifies, and names it when changed', async () => {
    expect(written.manifest.files.map((file) => file.path)).toContain(CONDITIONS_CSV);
    expect((await verifyPackage(out)).problems).toEqual([]);
    const { cpSync, appendFileSync } = await import('node:fs');
    const copy = path.join(tempDir('conditions-verify'), 'pkg');
    cpSync(out, copy, { recursive: true });
    appendFileSync(path.join(copy, CONDITIONS_CSV), 'x');
    expect((await verifyPackage(copy)).problems).toEqual([{ file: CONDITIONS_CSV, problem: 'changed' }]);
  });
});

describe('open at period end means seen in the last observation of the stream (PostgreSQL)', () => {
  let app: App;
  let url: string;
  let conditions: Row[];

  beforeAll(async () => {
    url = freshStoreUrl('postgres');
    app = await openApp(url);
    // The last day of April is never observed: the 29th is the stream's last observation of the period.
    await fillThroughRunner(app, period, (_stream, window) => window.start >= Date.parse(april(30)));
    const out = path.join(tempDir('conditions-pg'), 'pkg');
    await writeAuditorPackage(app, { period, out });
    conditions = readCsv(path.join(out, CONDITIONS_CSV));
  });
  afterAll(async () => {
    await app.close();
    await dropStore(url);
  });

  it('counts a condition seen on the last observed day as open, one ended before as closed', () => {
    const open = Object.fromEntries(
      conditions
        .filter((row) => row.Finding === 'MFA_MISSING')
        .map((row) => [row.Subject, [row['Last seen (UTC)'], row.Observations, row['Open at period end']]]),
    );
    expect(open).toEqual({
      alice: [april(29), '29', 'yes'],
      bob: [april(20), '10', 'no'],
      carol: [april(29), '7', 'yes'],
    });
  });
});

describe('a condition is open when a finding is about an item of the last observation', () => {
  const last = Date.parse(april(30));
  const observation = (key: string, occurredAt: number, subject?: string): Observation => ({
    checkRef: 'fixture-leaver@1',
    code: 'not_removed',
    stream: 'fixture-principals',
    keys: [key],
    occurredAt,
    criteria: ['CC6.2'],
    isoControls: [],
    description: `${key} still has access`,
    ...(subject === undefined ? {} : { subject }),
  });

  it('whatever day the finding is dated (a leaver dated by the end of employment)', () => {
    const groups = new ConditionGroups(() => ({ start: last, flaggedKeys: new Set(['2026-04-30/bob']) }));
    const place = { sheet: 'Exceptions', row: 2 };
    groups.add(observation('2026-04-30/bob', Date.parse(april(12)), 'bob'), place);
    groups.add(observation('2026-04-29/carol', Date.parse(april(12)), 'carol'), place);
    expect([...groups.conditions()].map((condition) => [condition.first.subject, condition.open])).toEqual([
      ['bob', true],
      ['carol', false],
    ]);
  });

  it('and, for a stream with no item in the period, when seen at the latest of its findings', () => {
    const groups = new ConditionGroups(() => undefined);
    const place = { sheet: 'Exceptions', row: 2 };
    groups.add(observation('a', Date.parse(april(3)), 'bob'), place);
    groups.add(observation('b', Date.parse(april(9)), 'carol'), place);
    groups.add(observation('c', Date.parse(april(5)), 'bob'), place);
    expect(
      [...groups.conditions()].map((condition) => [
        condition.first.subject,
        condition.observations,
        condition.open,
      ]),
    ).toEqual([
      ['bob', 2, false],
      ['carol', 1, true],
    ]);
  });
});
