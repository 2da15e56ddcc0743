import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { UsageError } from '../../src/errors.js';
import { writeAuditorPackage } from '../../src/export/package-writer.js';
import { withSystemDescription } from '../../src/export/system-description/in-package.js';
import {
  systemDescriptionFileName,
  writeSystemDescription,
} from '../../src/export/system-description/write.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { fillThroughRunner, fixtureApp, tempDir } from '../export/fill-store.js';
import { runCli, writeConfig } from '../support/cli.js';
import { freshStoreUrl } from '../support/stores.js';
import { readDocx } from './docx-reader.js';

const period = parsePeriod('2026-04');
const DC200_HEADINGS = [
  'Types of services provided',
  'Principal service commitments and system requirements',
  'Components of the system',
  'Infrastructure',
  'Software',
  'People',
  'Procedures',
  'Data',
  'System boundaries',
  'Subservice organisations',
  'Complementary user entity controls',
  'Significant incidents',
  'Significant changes during the period',
  'Trust services criteria in scope and the evidence for them',
  'Package files referred to',
];

// A real SQLite store filled through the runner from the export fixtures; one day of one stream fails.
describe('system description draft (DC 200) from a store filled through the runner', () => {
  let app: App;
  let dir: string;
  let rows: { changes: number; access: number };

  beforeAll(async () => {
    app = await fixtureApp({ storeUrl: freshStoreUrl('sqlite'), failDays: ['2026-04-07'] });
    await fillThroughRunner(app, period);
    const evidence = new EvidenceRepository(await app.store());
    rows = {
      changes: await evidence.countPopulation('fixture-production-changes', period.start, period.end),
      access: await evidence.countPopulation('fixture-access-changes', period.start, period.end),
    };
    dir = tempDir('sysdesc');
  }, 60_000);
  afterAll(async () => app?.close());

  it('writes a DOCX whose headings, citations, markers and tables read back', async () => {
    const file = path.join(dir, 'draft.docx');
    await writeSystemDescription(app, period, file);
    const docx = readDocx(readFileSync(file));
    expect(docx.headings[0]).toEqual({
      style: 'Title',
      text: 'System description (DC 200, Section III), draft for 2026-04',
    });
    const headings = docx.headings.map((heading) => heading.text);
    for (const heading of DC200_HEADINGS) expect(headings, heading).toContain(heading);
    expect(docx.headings.find((h) => h.text === 'Infrastructure')?.style).toBe('Heading2');

    // No infrastructure connector is configured: marked for a person, not invented.
    expect(docx.paragraphs).toContain(
      '[to complete: no infrastructure source (cloud accounts, code hosting) is configured; describe the infrastructure]',
    );
    expect(docx.paragraphs.filter((text) => text.startsWith('[to complete: ')).length).toBeGreaterThan(8);

    // Procedures: one row per stream, citing its population file and the store's row count.
    const procedures = docx.tables.find((table) => table[0]?.[0] === 'Stream');
    expect(procedures?.slice(1).map((row) => row[4])).toEqual([
      `CC8.1_Production_Changes_2026-04.xlsx (${rows.changes} rows)`,
      `CC6.2_AWS_Access_Changes_2026-04.xlsx (${rows.access} rows)`,
    ]);
    expect(rows.changes).toBeGreaterThan(0);

    // The failed day is a significant change of how the period was evidenced, dated and cited.
    const changes = docx.tables.find((table) => table[0]?.join('|') === 'Date (UTC)|Change|Source');
    const gap = changes?.find((row) => row[1]?.includes('fixture-access-changes'));
    expect(gap?.[0]).toBe('2026-04-07');
    expect(gap?.[1]).toContain('failed');
    expect(gap?.[2]).toBe(`CC6.2_AWS_Access_Changes_2026-04.xlsx (${rows.access} rows)`);

    // The criteria table comes from the control–evidence index.
    const criteria = docx.tables.find((table) => table[0]?.[0] === 'Criterion');
    expect(criteria?.find((row) => row[0] === 'CC8.1')?.[3]).toContain('fixture-production-changes');

    // The last section lists every cited file with its rows.
    const last = docx.paragraphs.slice(-3);
    expect(last).toContain(`CC8.1_Production_Changes_2026-04.xlsx, ${rows.changes} rows`);
  });

  it('writes the same content as Markdown', async () => {
    const file = path.join(dir, 'draft.md');
    await writeSystemDescription(app, period, file);
    const markdown = readFileSync(file, 'utf8');
    for (const heading of DC200_HEADINGS) expect(markdown).toMatch(new RegExp(`^#{2,3} ${heading}$`, 'm'));
    expect(markdown).toContain(`| CC8.1_Production_Changes_2026-04.xlsx (${rows.changes} rows) |`);
    expect(markdown).toContain('**[to complete: the data the system processes');
  });

  it('refuses a period with no evidence in one line naming --period', async () => {
    const failure = await writeSystemDescription(app, parsePeriod('2025-01'), path.join(dir, 'x.md')).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toBe(
      '--period: nothing was collected in 2025-01; backfill it first or choose a period with evidence',
    );
  });

  it('export --system-description puts the draft in the package, listed in the manifest', async () => {
    const out = path.join(dir, 'package');
    const written = await writeAuditorPackage(app, { period, out, ...withSystemDescription(app, period) });
    const name = systemDescriptionFileName(period);
    expect(name).toBe('DC200_System_Description_2026-04.docx');
    const listed = written.manifest.files.find((entry) => entry.path === name);
    expect(listed?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const docx = readDocx(readFileSync(path.join(out, name)));
    // Inside the package each cited file carries its hash as written there.
    const cited = written.manifest.files.find(
      (entry) => entry.path === 'CC8.1_Production_Changes_2026-04.xlsx',
    );
    expect(cited).toBeDefined();
    expect(docx.paragraphs).toContain(
      `CC8.1_Production_Changes_2026-04.xlsx, ${rows.changes} rows, sha256 ${cited?.sha256}`,
    );
  });
});

describe('system-description on the command line', () => {
  it('a bad period or output file gives one line naming the argument and exit 2', async () => {
    const config = writeConfig(`store:\n  url: ${freshStoreUrl('sqlite')}\nlogLevel: silent\n`);
    const bad = await runCli([
      '--config',
      config,
      'system-description',
      '--period',
      '2026-Q5',
      '--out',
      'x.docx',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'evidence-worker: --period: expected 2026, 2026-H1, 2026-Q2 or 2026-04, got "2026-Q5"',
    );
    const pdf = await runCli([
      '--config',
      config,
      'system-description',
      '--period',
      '2026-Q2',
      '--out',
      'x.pdf',
    ]);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr.trim()).toBe(
      'evidence-worker: --out: expected a file ending in .docx or .md, got "x.pdf"',
    );
  }, 60_000);
});
