import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { artefactContinuity } from '../../src/artefacts/continuity.js';
import { openArtefactRegister } from '../../src/artefacts/open-register.js';
import { findArtefactType, loadArtefactTypes } from '../../src/artefacts/artefact-types.js';
import { parsePeriod } from '../../src/cli/args.js';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { writeAuditorPackage } from '../../src/export/package-writer.js';
import { assessReadiness } from '../../src/readiness/readiness.js';
import { freshStoreUrl } from '../support/stores.js';
import { fixtureApp, tempDir } from '../export/fill-store.js';

const JAN_2027 = Date.UTC(2027, 0, 10);
let app: App | undefined;
afterEach(async () => app?.close());

function artefactFile(name: string, content: string): string {
  const file = path.join(tempDir('artefact'), name);
  writeFileSync(file, content);
  return file;
}

async function register(now = JAN_2027) {
  app = await fixtureApp({ storeUrl: freshStoreUrl('sqlite'), now });
  return { app, ...(await openArtefactRegister(app)) };
}

describe('artefact types', () => {
  it('come from the seed artefact table with a source each, series expanded through the catalogue', async () => {
    const { types } = await register();
    expect(types).toHaveLength(12);
    for (const type of types) expect(type.source).toMatch(/seed article/);
    expect(findArtefactType(types, 'risk-register').criteria).toEqual(['CC3.1', 'CC3.2', 'CC3.3', 'CC3.4']);
    expect(findArtefactType(types, 'access-review').recurrence).toBe('quarterly');
    for (const id of ['management-review-minutes', 'internal-audit-results', 'dr-test-results'])
      expect(findArtefactType(types, id).recurrence).toBe('yearly');
    expect(findArtefactType(types, 'statement-of-applicability').namePrefix).toBe('DC200');
    expect(() => findArtefactType(types, 'coffee-log')).toThrow(/--type: expected one of/);
    expect(() =>
      loadArtefactTypes(
        app!.catalogue,
        artefactFile(
          'bad.csv',
          'type,title,evidence_name,criteria,iso_controls,iso_clause,recurrence,source,note\nx,X,X,CC9.3,,,none,s,\n',
        ),
      ),
    ).toThrow(/unknown criterion or series "CC9.3"/);
  });
});

describe('artefact register and locker', () => {
  it('locks the file under its SHA-256, proposes a conventional name for a non-conforming one, and is idempotent', async () => {
    const { app, register: reg, types } = await register();
    const type = findArtefactType(types, 'access-review');
    const file = artefactFile('access review july.xlsx', 'reviewed 42 users');
    const added = await reg.add({ file, type, period: parsePeriod('2026-Q3'), owner: 'CISO', now: JAN_2027 });
    expect(added.naming).toMatchObject({
      conforms: false,
      proposed: 'CC6.1_User_Access_Review_2026-Q3.xlsx',
    });
    expect(added.artefact.file_name).toBe('CC6.1_User_Access_Review_2026-Q3.xlsx');
    const locked = reg.lockedPath(added.artefact);
    expect(locked.startsWith(path.dirname(app.config.store.url.slice('file:'.length)))).toBe(true);
    expect(path.basename(locked)).toBe(added.artefact.sha256);
    expect(readFileSync(locked, 'utf8')).toBe('reviewed 42 users');
    expect(added.artefact.criteria).toBe('["CC6.1","CC6.3"]');

    const again = await reg.add({ file, type, period: parsePeriod('2026-Q3'), now: JAN_2027 });
    expect(again.alreadyRegistered).toBe(true);
    expect(await reg.list()).toHaveLength(1);

    const good = await reg.add({
      file: artefactFile('CC6.3_User_Access_Review_2026-Q4.xlsx', 'q4'),
      type,
      period: parsePeriod('2026-Q4'),
      now: JAN_2027,
    });
    expect(good.naming.conforms).toBe(true);
    const wrongPeriod = await reg.add({
      file: artefactFile('CC6.1_User_Access_Review_2026-Q2.xlsx', 'q1'),
      type,
      period: parsePeriod('2026-Q1'),
      now: JAN_2027,
    });
    expect(wrongPeriod.naming).toMatchObject({
      conforms: false,
      proposed: 'CC6.1_User_Access_Review_2026-Q1.xlsx',
    });
    expect(wrongPeriod.naming.reason).toMatch(/period 2026-Q2/);
  });
});

describe('artefact recurrence in the continuity output', () => {
  it('a quarter without an access review is a gap; a quarter not over yet is not due', async () => {
    const { app, register: reg, types } = await register();
    const type = findArtefactType(types, 'access-review');
    await reg.add({
      file: artefactFile('q4.xlsx', 'q4'),
      type,
      period: parsePeriod('2026-Q4'),
      now: JAN_2027,
    });
    const store = await app.store();
    const h2 = parsePeriod('2026-H2');
    const entry = (await artefactContinuity(store, h2, JAN_2027)).find(
      (item) => item.stream === 'artefact:access-review',
    )!;
    expect(entry.kind).toBe('artefact');
    expect(entry.gaps).toEqual([
      expect.objectContaining({
        start: Date.UTC(2026, 6, 1),
        end: Date.UTC(2026, 9, 1),
        cause: 'artefact_missing',
      }),
    ]);
    expect(entry.gaps[0]!.reason).toMatch(/no user access review registered for 2026-Q3/);
    expect(entry.covered).toEqual([{ start: Date.UTC(2026, 9, 1), end: Date.UTC(2027, 0, 1) }]);
    expect(Math.round(entry.coveragePercent)).toBe(50);

    const midQ4 = Date.UTC(2026, 10, 15);
    const management = (await artefactContinuity(store, h2, midQ4)).find(
      (item) => item.stream === 'artefact:management-review-minutes',
    )!;
    expect(management.gaps.map((gap) => gap.cause)).toEqual(['not_yet_due']);

    // The continuity report (another module) carries the same gap, so the status page and package show it.
    const report = await buildContinuityReport(store, app.registry, h2, JAN_2027);
    const fromReport = report.streams.find((item) => item.stream === 'artefact:access-review');
    expect(fromReport?.gaps.map((gap) => gap.cause)).toEqual(['artefact_missing']);
  });
});

describe('readiness and the package with artefacts', () => {
  it('shows what evidences each criterion, the unevidenced ones, the ISO reuse view, and packages artefacts by name', async () => {
    const { app, register: reg, types } = await register();
    const review = findArtefactType(types, 'access-review');
    await reg.add({
      file: artefactFile('Q3 review.xlsx', 'q3'),
      type: review,
      period: parsePeriod('2026-Q3'),
      now: JAN_2027,
    });
    await reg.add({
      file: artefactFile('Q3 review again.xlsx', 'q3 privileged'),
      type: review,
      period: parsePeriod('2026-Q3'),
      now: JAN_2027,
    });
    await reg.add({
      file: artefactFile('minutes.pdf', 'mr'),
      type: findArtefactType(types, 'management-review-minutes'),
      period: parsePeriod('2026'),
      now: JAN_2027,
    });
    const q3 = parsePeriod('2026-Q3');

    const readiness = await assessReadiness(app, q3);
    const cc61 = readiness.criteria.find((row) => row.criterion === 'CC6.1')!;
    expect(cc61.artefacts.map((entry) => entry.type.type)).toEqual(['access-review', 'access-review']);
    expect(cc61.continuityPercent).toBe(100);
    expect(readiness.criteria.find((row) => row.criterion === 'CC1.1')!.evidenced).toBe(true);
    expect(readiness.unevidenced).toContain('CC2.1');
    expect(readiness.unevidenced).not.toContain('CC6.1');
    // The fixture streams are configured but never ran: configured is not evidenced.
    expect(readiness.unevidenced).toContain('CC8.1');
    expect(readiness.criteria.some((row) => row.category !== 'Security')).toBe(false);
    expect(readiness.reuse).toHaveLength(93);
    const a515 = readiness.reuse.find((row) => row.control === 'A.5.15')!;
    expect(a515.criteria.map((pair) => pair.tsc_criterion_id)).toContain('CC6.1');
    expect(a515.evidenceExists).toBe(true);
    expect(readiness.reuse.find((row) => row.control === 'A.8.32')!.evidenceExists).toBe(false);

    const out = path.join(tempDir('artefact-package'), 'pkg');
    await writeAuditorPackage(app, { period: q3, out });
    expect(readdirSync(path.join(out, 'artefacts')).sort()).toEqual([
      'CC1.1_Management_Review_Minutes_2026.pdf',
      'CC6.1_User_Access_Review_2026-Q3.xlsx',
      'CC6.1_User_Access_Review_Part2_2026-Q3.xlsx',
    ]);
    const index = parse(readFileSync(path.join(out, 'Control_Evidence_Index_2026-Q3.csv'), 'utf8'), {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    expect(index.find((row) => row.Criterion === 'CC6.1')!.Files).toContain(
      'artefacts/CC6.1_User_Access_Review_2026-Q3.xlsx',
    );
    expect(existsSync(path.join(out, 'ISO_27001_Reuse_2026-Q3.csv'))).toBe(true);

    // A locker file changed behind the register's back never reaches a package.
    const [first] = await reg.list();
    writeFileSync(reg.lockedPath(first!), 'tampered');
    await expect(
      writeAuditorPackage(app, { period: q3, out: path.join(tempDir('tampered'), 'pkg') }),
    ).rejects.toThrow(/no longer matches its hash/);
  });
});
