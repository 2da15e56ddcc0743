import { appendFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { resolveAuditPeriod } from '../../src/export/audit-period.js';
import { parseEvidenceFileName } from '../../src/export/naming.js';
import { writeAuditorPackage, type AuditorPackage } from '../../src/export/package-writer.js';
import { verifyPackage } from '../../src/export/verify-package.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { freshStoreUrl } from '../support/stores.js';
import { HOSTILE } from './fixture-connector.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';

const period = parsePeriod('2026-Q2');
const day = (text: string) => Date.parse(`${text}T00:00:00Z`);

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

describe('auditor package (SQLite, store filled through the runner)', () => {
  let app: App;
  let written: AuditorPackage;
  let out: string;

  beforeAll(async () => {
    app = await fixtureApp({
      storeUrl: freshStoreUrl('sqlite'),
      failDays: ['2026-05-20'],
      categories: ['Availability'],
    });
    // Three days of access changes never collected, one failed: the continuity report must show both.
    await fillThroughRunner(
      app,
      period,
      (stream, window) =>
        stream === 'fixture-access-changes' &&
        window.start >= day('2026-05-10') &&
        window.start < day('2026-05-13'),
    );
    out = path.join(tempDir('package'), 'pkg');
    written = await writeAuditorPackage(app, { period, out });
  });
  afterAll(async () => app.close());

  it('writes one CSV and one XLSX per stream, each row count equal to the store population, named by the convention', async () => {
    const evidence = new EvidenceRepository(await app.store());
    const files = readdirSync(out);
    expect(files).toContain('CC8.1_Production_Changes_2026-Q2.xlsx');
    expect(files).toContain('CC6.2_AWS_Access_Changes_2026-Q2.csv');
    for (const population of written.populations) {
      const expected = await evidence.countPopulation(population.stream, period.start, period.end);
      expect(expected).toBeGreaterThan(100);
      expect(population.items).toBe(expected);
      expect(readCsv(path.join(out, population.csv))).toHaveLength(expected);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path.join(out, population.xlsx));
      expect(workbook.getWorksheet('Population')!.rowCount - 1).toBe(expected);
      for (const name of [population.csv, population.xlsx])
        expect(parseEvidenceFileName(name)?.period).toBe('2026-Q2');
    }
    // 91 days x 3 commits; 91 - 3 skipped - 1 failed days x 2 events.
    expect(written.populations.map((population) => population.items).sort()).toEqual([174, 273]);
  });

  it('neutralises formula payloads: CSV cells and XLSX cells open as text', async () => {
    const csv = readCsv(path.join(out, 'CC8.1_Production_Changes_2026-Q2.csv'));
    const messages = csv.map((row) => row.Message!);
    for (const hostile of HOSTILE) expect(messages).toContain(`'${hostile}`);
    expect(messages.some((message) => /^[=+\-@]/.test(message))).toBe(false);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, 'CC6.2_AWS_Access_Changes_2026-Q2.xlsx'));
    const sheet = workbook.getWorksheet('Population')!;
    const actorColumn = (sheet.getRow(1).values as unknown[]).indexOf('Actor');
    const cell = sheet.getRow(3).getCell(actorColumn);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.formula).toBeUndefined();
    expect(cell.value).toBe(`'${HOSTILE[1]}`);
  });

  it('lists every flagged item in the exceptions file with its criterion', () => {
    const rows = readCsv(path.join(out, 'Exceptions_Register_2026-Q2.csv'));
    const codes = new Set(rows.map((row) => row.Finding));
    expect(codes).toEqual(new Set(['DIRECT_PUSH', 'SELF_APPROVAL', 'CONSOLE_USER_WITHOUT_MFA']));
    expect(rows.find((row) => row.Finding === 'DIRECT_PUSH')?.Criterion).toBe('CC8.1');
    expect(rows.find((row) => row.Finding === 'DIRECT_PUSH')?.Check).toBe('fixture-change-review@1');
    expect(rows.find((row) => row.Finding === 'CONSOLE_USER_WITHOUT_MFA')?.Criterion).toBe('CC6.2');
    expect(rows.length).toBe(written.exceptions);
    const flagged = written.populations.reduce((sum, population) => sum + population.flaggedItems, 0);
    expect(rows.length).toBeGreaterThanOrEqual(flagged);
  });

  it('indexes every criterion in scope with its ISO origin, mapping source, evidence and files', () => {
    const rows = readCsv(path.join(out, 'Control_Evidence_Index_2026-Q2.csv'));
    const inScope = app.catalogue.inScope(['Availability']).map((row) => row.criterion_id);
    expect(rows.map((row) => row.Criterion)).toEqual(inScope);
    expect(inScope).toContain('A1.2');
    const cc81 = rows.find((row) => row.Criterion === 'CC8.1')!;
    expect(cc81['ISO 27001:2022 origin']).toContain('A.8.32');
    expect(cc81['Mapping source']).toMatch(/A\.8\.32: (crosswalk|seed) \(/);
    expect(cc81.Streams).toBe('fixture-production-changes');
    expect(cc81['Population size']).toBe('273');
    expect(cc81.Files).toContain('CC8.1_Production_Changes_2026-Q2.xlsx');
    expect(Number(cc81['Continuity %'])).toBe(100);
    const cc62 = rows.find((row) => row.Criterion === 'CC6.2')!;
    expect(Number(cc62['Continuity %'])).toBeLessThan(100);
    expect(rows.find((row) => row.Criterion === 'CC1.1')!.Evidenced).toBe('NO EVIDENCE');
    expect(written.unevidencedCriteria).toContain('CC1.1');
  });

  it('writes a continuity report: HTML with the shared timeline and the same facts as CSV', () => {
    const html = readFileSync(path.join(out, 'Continuity_Report_2026-Q2.html'), 'utf8');
    expect(html).toContain('fixture-access-changes');
    expect(html).toContain('ew-tl');
    const rows = readCsv(path.join(out, 'Continuity_Report_2026-Q2.csv'));
    const access = rows.filter((row) => row.Stream === 'fixture-access-changes');
    expect(access.some((row) => row.State === 'failed' && row['Error code'] === 'HTTP_503')).toBe(true);
    expect(
      access.some(
        (row) =>
          row.State === 'gap' &&
          row.Cause === 'never_attempted' &&
          row['From (UTC)']?.startsWith('2026-05-10'),
      ),
    ).toBe(true);
    expect(
      rows.some((row) => row.Stream === 'artefact:access-review' && row.Cause === 'artefact_missing'),
    ).toBe(true);
    expect(html).toContain(`<td>${'fixture-access-changes'}</td>`);
  });

  it('writes a manifest with every file hashed, the tool version, the config hash, the period and the ledger range', async () => {
    const manifest = JSON.parse(
      readFileSync(path.join(out, 'MANIFEST.json'), 'utf8'),
    ) as AuditorPackage['manifest'];
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(manifest.tool.version).toBe(pkg.version);
    expect(manifest.configSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.period).toEqual({
      label: '2026-Q2',
      start: '2026-04-01T00:00:00.000Z',
      end: '2026-07-01T00:00:00.000Z',
    });
    expect(manifest.ledger.runs).toBe(91 + 88);
    expect(manifest.ledger.byStatus).toEqual({ failed: 1, succeeded: 178 });
    expect(manifest.ledger.firstRunAt).not.toBeNull();
    expect(manifest.files.map((file) => file.path).sort()).toEqual(
      readdirSync(out)
        .filter((file) => file !== 'MANIFEST.json')
        .sort(),
    );
  });

  it('verify passes on the fresh package and names a changed, a missing and an added file', async () => {
    const copy = path.join(tempDir('verify'), 'pkg');
    const { cpSync } = await import('node:fs');
    cpSync(out, copy, { recursive: true });
    const fresh = await verifyPackage(copy);
    expect(fresh.problems).toEqual([]);
    expect(fresh.manifestSha256).toBe(written.manifestSha256);
    const target = path.join(copy, 'CC8.1_Production_Changes_2026-Q2.csv');
    const bytes = readFileSync(target);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 1;
    writeFileSync(target, bytes);
    expect((await verifyPackage(copy)).problems).toEqual([
      { file: 'CC8.1_Production_Changes_2026-Q2.csv', problem: 'changed' },
    ]);
    rmSync(path.join(copy, 'Exceptions_Register_2026-Q2.xlsx'));
    appendFileSync(path.join(copy, 'extra.txt'), 'slipped in');
    expect((await verifyPackage(copy)).problems).toEqual([
      { file: 'CC8.1_Production_Changes_2026-Q2.csv', problem: 'changed' },
      { file: 'Exceptions_Register_2026-Q2.xlsx', problem: 'missing' },
      { file: 'extra.txt', problem: 'added' },
    ]);
    // A doctored manifest may not point verify outside the package.
    const manifestFile = path.join(copy, 'MANIFEST.json');
    const doctored = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: { path: string }[] };
    doctored.files[0]!.path = '../../etc/passwd';
    writeFileSync(manifestFile, JSON.stringify(doctored));
    await expect(verifyPackage(copy)).rejects.toThrow(/not a valid manifest.*a path inside the package/s);
  });

  it('labels a --from/--to period by its first and last day, and refuses a non-empty directory', async () => {
    const fromTo = resolveAuditPeriod({ from: '2026-04-01', to: '2026-04-30' });
    expect(fromTo.label).toBe('2026-04-01_2026-04-30');
    const dir = path.join(tempDir('fromto'), 'pkg');
    const april = await writeAuditorPackage(app, { period: fromTo, out: dir });
    expect(
      april.populations.find((population) => population.stream === 'fixture-production-changes'),
    ).toMatchObject({
      xlsx: 'CC8.1_Production_Changes_2026-04-01_2026-04-30.xlsx',
      items: 90,
    });
    await expect(writeAuditorPackage(app, { period: fromTo, out: dir })).rejects.toThrow(/not empty/);
  });
});
