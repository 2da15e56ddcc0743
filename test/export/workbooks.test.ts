import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { writeAuditorPackage, type AuditorPackage } from '../../src/export/package-writer.js';
import { columnLetters } from '../../src/export/xlsx-rows.js';
import { TIMESTAMP_FORMAT } from '../../src/export/xlsx-styles.js';
import { freshStoreUrl } from '../support/stores.js';
import { HOSTILE } from './fixture-connector.js';
import { fillThroughRunner, fixtureApp, NOW, tempDir } from './fill-store.js';
import { about, cellsOf, column, open } from './workbook-reading.js';

const period = parsePeriod('2026-Q2');

const installed = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const canRender = installed('soffice') && installed('pdftoppm') && installed('pdftotext');
if (!canRender)
  console.warn(
    'workbook screenshot skipped: LibreOffice (soffice) or poppler (pdftoppm, pdftotext) is not installed; apt-get install libreoffice-calc poppler-utils',
  );

describe('auditor-ready workbooks (package from the fixture store, read back with exceljs)', () => {
  let app: App;
  let written: AuditorPackage;
  let out: string;
  let xlsxFiles: string[];

  beforeAll(async () => {
    app = await fixtureApp({ storeUrl: freshStoreUrl('sqlite') });
    await fillThroughRunner(app, period);
    out = path.join(tempDir('workbooks'), 'pkg');
    written = await writeAuditorPackage(app, { period, out });
    xlsxFiles = readdirSync(out).filter((name) => name.endsWith('.xlsx'));
  });
  afterAll(async () => app.close());

  it('gives every workbook an About sheet first, its row count equal to the data rows', async () => {
    expect(xlsxFiles.length).toBeGreaterThanOrEqual(5);
    for (const name of xlsxFiles) {
      const workbook = await open(path.join(out, name));
      expect(workbook.worksheets[0]!.name, name).toBe('About');
      const facts = about(workbook);
      const dataSheets = String(facts.get('Data sheets')).split(', ');
      const dataRows = dataSheets.reduce((sum, sheet) => sum + workbook.getWorksheet(sheet)!.rowCount - 1, 0);
      expect(facts.get('Rows'), name).toBe(dataRows);
      expect(workbook.getWorksheet('About')!.getRow(1).getCell(1).value).toBe(name);
      expect(facts.get('Written at (UTC)')).toBeInstanceOf(Date);
      // Files the package writer dates by the app's clock (a writer that passes no time gets its closing time).
      const dated = [
        ...written.populations.map((p) => p.xlsx),
        'Control_Evidence_Index_2026-Q2.xlsx',
        'Exceptions_Register_2026-Q2.xlsx',
        'ISO_27001_Reuse_2026-Q2.xlsx',
      ];
      if (dated.includes(name)) expect(facts.get('Written at (UTC)')).toEqual(new Date(NOW));
      expect(String(facts.get('Written by'))).toMatch(/^evidence-worker \d+\.\d+\.\d+/);
      expect(String(facts.get('Integrity'))).toContain("MANIFEST.json lists this file's SHA-256");
      expect(written.manifest.files.map((file) => file.path)).toContain(name);
    }
    const population = about(await open(path.join(out, 'CC8.1_Production_Changes_2026-Q2.xlsx')));
    expect(population.get('What this file is')).toContain('every commit that reached the default branch');
    expect(population.get('SOC 2 criteria')).toBe('CC8.1');
    expect(population.get('ISO 27001:2022 controls')).toBe('A.8.32');
    expect(population.get('Audit period')).toContain(
      '2026-Q2: from 2026-04-01T00:00:00Z to 2026-07-01T00:00:00Z',
    );
    expect(population.get('Rows')).toBe(273);
    expect(String(population.get('Source systems'))).toContain('audit-fixture');
    // The checks that read this stream, as check@version.
    expect(String(population.get('Checks behind the findings'))).toMatch(/^[a-z0-9-]+@\d+/);
  });

  it('styles every data sheet: bold filled header, frozen header and key column, autofilter over the table', async () => {
    for (const name of xlsxFiles) {
      const workbook = await open(path.join(out, name));
      for (const sheet of workbook.worksheets.slice(1)) {
        const header = sheet.getRow(1);
        const width = header.cellCount;
        expect(header.getCell(1).font?.bold, `${name} ${sheet.name}`).toBe(true);
        expect(header.getCell(width).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
        expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
        expect(sheet.autoFilter, `${name} ${sheet.name}`).toBe(`A1:${columnLetters(width)}${sheet.rowCount}`);
      }
    }
  });

  it('fits column widths to the content, within bounds, and wraps long text', async () => {
    const sheet = (await open(path.join(out, 'CC8.1_Production_Changes_2026-Q2.xlsx'))).getWorksheet(
      'Population',
    )!;
    const widths = sheet.columns.map((entry) => entry.width ?? 0);
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(8);
    expect(Math.max(...widths)).toBeLessThanOrEqual(66);
    // A SHA-256 (64 characters) fits on one line.
    expect(sheet.getColumn(column(sheet, 'Payload SHA-256')).width).toBe(66);
    expect(sheet.getRow(2).getCell(column(sheet, 'Payload SHA-256')).alignment?.wrapText).toBeUndefined();
    // Not everything the default 13 wide: the key fits its text, a boolean column stays narrow.
    expect(sheet.getColumn(column(sheet, 'Item key')).width).toBe('sha-2026-04-01-0'.length + 2);
    expect(sheet.getColumn(column(sheet, 'Pull request link')).width).toBe(
      'https://github.example/acme/app/pull/204000'.length + 2,
    );
    expect(sheet.getColumn(column(sheet, 'Direct push')).width).toBeLessThan(20);
  });

  it('writes dates as UTC date cells, counts as numbers, booleans as booleans', async () => {
    const sheet = (await open(path.join(out, 'CC6.2_AWS_Access_Changes_2026-Q2.xlsx'))).getWorksheet(
      'Population',
    )!;
    const csv = parse(readFileSync(path.join(out, 'CC6.2_AWS_Access_Changes_2026-Q2.csv'), 'utf8'), {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    for (const header of ['Occurred at (UTC)', 'Collected at (UTC)', 'Time (UTC)']) {
      const cells = cellsOf(sheet, header);
      expect(cells.length).toBe(csv.length);
      for (const [index, cell] of cells.entries()) {
        expect(cell.value, header).toBeInstanceOf(Date);
        expect(cell.numFmt).toBe(TIMESTAMP_FORMAT);
        // The same instant the CSV states as text.
        expect((cell.value as Date).toISOString()).toBe(csv[index]![header]);
      }
    }
    expect(cellsOf(sheet, 'Version').every((cell) => typeof cell.value === 'number')).toBe(true);
    expect(cellsOf(sheet, 'Effective').every((cell) => cell.value === true)).toBe(true);

    const index = (await open(path.join(out, 'Control_Evidence_Index_2026-Q2.xlsx'))).getWorksheet(
      'Control-evidence index',
    )!;
    const sizes = cellsOf(index, 'Population size');
    expect(sizes.every((cell) => typeof cell.value === 'number')).toBe(true);
    expect(sizes.map((cell) => cell.value)).toContain(273);
    expect(cellsOf(index, 'Items with deviations').every((cell) => typeof cell.value === 'number')).toBe(
      true,
    );
  });

  it('links pull requests; a neutralised =HYPERLINK(...) payload stays text', async () => {
    const sheet = (await open(path.join(out, 'CC8.1_Production_Changes_2026-Q2.xlsx'))).getWorksheet(
      'Population',
    )!;
    const links = cellsOf(sheet, 'Pull request link').filter((cell) => cell.value !== null);
    expect(links.length).toBeGreaterThan(200);
    for (const cell of links) {
      expect(cell.type).toBe(ExcelJS.ValueType.Hyperlink);
      expect(cell.hyperlink).toMatch(/^https:\/\/github\.example\/acme\/app\/pull\/\d+$/);
      expect(cell.text).toBe(cell.hyperlink);
    }
    const messages = cellsOf(sheet, 'Message');
    const hostile = messages.filter((cell) => cell.text === `'${HOSTILE[0]}`);
    expect(hostile.length).toBeGreaterThan(0);
    for (const cell of hostile) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      expect(cell.hyperlink).toBeUndefined();
    }
    expect(messages.every((cell) => cell.type === ExcelJS.ValueType.String)).toBe(true);
    // The CSV stays plain: the URL as text, the date as ISO text.
    const csv = readFileSync(path.join(out, 'CC8.1_Production_Changes_2026-Q2.csv'), 'utf8');
    expect(csv).toContain(',https://github.example/acme/app/pull/');
    expect(csv).toContain(',2026-04-01T01:00:00.000Z,');
  });

  it('highlights the rows with findings and keeps their codes in their own column', async () => {
    const sheet = (await open(path.join(out, 'CC8.1_Production_Changes_2026-Q2.xlsx'))).getWorksheet(
      'Population',
    )!;
    const codes = cellsOf(sheet, 'Findings');
    const flagged = codes.filter((cell) => cell.text !== '');
    expect(flagged.length).toBe(written.populations.find((p) => p.xlsx.startsWith('CC8.1'))!.flaggedItems);
    for (const cell of codes) {
      const fill = sheet.getRow(Number(cell.row)).getCell(1).fill;
      if (cell.text === '') expect(fill).toBeUndefined();
      else {
        expect(cell.text).toMatch(/^(DIRECT_PUSH|SELF_APPROVAL)/);
        expect(fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
        expect(cell.font?.bold).toBe(true);
      }
    }
  });

  it('links the package together: file names open their files, criteria open their register rows', async () => {
    const workbook = await open(path.join(out, 'Control_Evidence_Index_2026-Q2.xlsx'));
    const files = workbook.getWorksheet('Files')!;
    const fileLinks = cellsOf(files, 'File');
    expect(fileLinks.length).toBeGreaterThan(0);
    for (const cell of fileLinks) {
      expect(cell.type).toBe(ExcelJS.ValueType.Hyperlink);
      expect(cell.hyperlink).toBe(cell.text);
      expect(existsSync(path.join(out, cell.hyperlink!)), cell.hyperlink).toBe(true);
    }
    expect(fileLinks.map((cell) => cell.text)).toContain('CC8.1_Production_Changes_2026-Q2.xlsx');

    const register = (await open(path.join(out, 'Exceptions_Register_2026-Q2.xlsx'))).getWorksheet(
      'Exceptions',
    )!;
    const index = workbook.getWorksheet('Control-evidence index')!;
    const criteria = cellsOf(index, 'Criterion');
    const linked = cellsOf(index, 'Exceptions register');
    const withLinks = linked.filter((cell) => cell.value !== null);
    // Exactly the criteria that have findings in the register link to it.
    const inRegister = new Set(
      cellsOf(register, 'All criteria').flatMap((cell) => String(cell.value).split(', ')),
    );
    const inIndex = new Set(criteria.map((cell) => cell.text));
    expect(withLinks.map((cell) => criteria[Number(cell.row) - 2]!.text).sort()).toEqual(
      [...inRegister].filter((criterion) => inIndex.has(criterion)).sort(),
    );
    expect(withLinks.length).toBeGreaterThanOrEqual(2);
    for (const cell of withLinks) {
      const criterion = criteria[Number(cell.row) - 2]!.text;
      const match = /^Exceptions_Register_2026-Q2\.xlsx#'Exceptions'!A(\d+)$/.exec(cell.hyperlink ?? '');
      expect(match, cell.hyperlink).not.toBeNull();
      const target = register.getRow(Number(match![1]));
      expect(String(target.getCell(column(register, 'All criteria')).value)).toContain(criterion);
      // The first of that criterion's rows: none above it.
      for (let row = 2; row < Number(match![1]); row += 1)
        expect(String(register.getRow(row).getCell(column(register, 'All criteria')).value)).not.toContain(
          criterion,
        );
    }
    // Each register row links back to its item's row in the population file.
    const back = register.getRow(2).getCell(column(register, 'Population file'));
    const place = /^(.+\.xlsx)#'Population'!A(\d+)$/.exec(back.hyperlink ?? '');
    expect(place, back.hyperlink).not.toBeNull();
    const population = (await open(path.join(out, place![1]!))).getWorksheet('Population')!;
    expect(population.getRow(Number(place![2])).getCell(1).value).toBe(
      register.getRow(2).getCell(column(register, 'Item key')).value,
    );
  });

  it.skipIf(!canRender)(
    'renders a population workbook to PNG in test-output/ (LibreOffice to PDF, pdftoppm to PNG)',
    () => {
      const name = 'CC8.1_Production_Changes_2026-Q2';
      const pdfDir = tempDir('render');
      const converted = spawnSync(
        'soffice',
        [
          '--headless',
          `-env:UserInstallation=file://${tempDir('soffice-profile')}`,
          '--convert-to',
          'pdf',
          '--outdir',
          pdfDir,
          path.join(out, `${name}.xlsx`),
        ],
        { encoding: 'utf8', timeout: 150_000 },
      );
      const pdf = path.join(pdfDir, `${name}.pdf`);
      expect(existsSync(pdf), converted.stderr).toBe(true);
      const output = path.resolve('test-output');
      mkdirSync(output, { recursive: true });
      // One PNG a page: the About sheet, then the population's first rows, then its further columns.
      for (const n of [1, 2, 3]) {
        const png = path.join(output, `workbook-production-changes-page-${n}`);
        const rendered = spawnSync(
          'pdftoppm',
          ['-png', '-r', '80', '-f', String(n), '-l', String(n), '-singlefile', pdf, png],
          { encoding: 'utf8' },
        );
        expect(rendered.status, rendered.stderr).toBe(0);
        expect(statSync(`${png}.png`).size).toBeGreaterThan(10_000);
      }
      const page = (n: number) =>
        spawnSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), pdf, '-'], {
          encoding: 'utf8',
        }).stdout.replace(/\s+/g, ' ');
      // Page 1 is the About sheet, page 2 the population's first rows under its header, page 3 the rest of them.
      expect(page(1)).toContain(`${name}.xlsx`);
      expect(page(1)).toContain('every commit that reached the default branch');
      expect(page(2)).toMatch(/Item key\s+Occurred at \(UTC\)/);
      expect(page(2)).toContain('2026-04-01 01:00:00 UTC');
      expect(page(2)).toContain('https://github.example/acme/app/pull/');
      expect(page(3)).toContain('DIRECT_PUSH');
      expect(page(3)).toContain('TRUE');
    },
    180_000,
  );
});
