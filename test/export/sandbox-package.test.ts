import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.js';
import { runBackfill } from '../../src/collection/backfill.js';
import { parseConfig } from '../../src/config/load.js';
import { labelFromTo } from '../../src/export/audit-period.js';
import { parseEvidenceFileName } from '../../src/export/naming.js';
import { writeAuditorPackage, type AuditorPackage } from '../../src/export/package-writer.js';
import { verifyPackage } from '../../src/export/verify-package.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { DAY } from '../../src/time.js';
import { freshStoreUrl } from '../support/stores.js';
import { tempDir } from './fill-store.js';

// The real GitHub and AWS connectors against their sandboxes, collected inline through the real runner.
describe('auditor package from a store filled through the connectors against the sandboxes', () => {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const window = { start: today - 3 * DAY, end: today - DAY };
  const period = { ...window, label: labelFromTo(window) };
  let sandboxes: Sandboxes;
  let app: App;
  let written: AuditorPackage;

  beforeAll(async () => {
    sandboxes = await startSandboxes({ seed: 42, now: Date.now(), days: 10 });
    const raw = {
      store: { url: freshStoreUrl('sqlite') },
      connectors: sandboxes.connectors,
      audit: { categories: ['Confidentiality'] },
    };
    app = await openApp({
      config: {
        config: parseConfig(raw, sandboxes.env),
        baseDir: tempDir('sandbox'),
        file: undefined,
        source: JSON.stringify(raw),
      },
      env: sandboxes.env,
      logger: pino({ level: 'silent' }),
    });
    await runBackfill(app, { period, streams: app.registry.streams, inline: true });
    written = await writeAuditorPackage(app, { period, out: path.join(tempDir('sandbox-package'), 'pkg') });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await sandboxes?.stop();
  });

  it('has a population per stream whose row count equals the store population, named by the convention', async () => {
    const evidence = new EvidenceRepository(await app.store());
    expect(written.populations.map((population) => population.stream).sort()).toEqual(
      app.registry.streams.map((stream) => stream.id).sort(),
    );
    expect(app.registry.streams.length).toBeGreaterThanOrEqual(9);
    for (const population of written.populations) {
      const expected = await evidence.countPopulation(population.stream, period.start, period.end);
      expect(population.items, population.stream).toBe(expected);
      const rows = parse(readFileSync(path.join(written.out, population.csv), 'utf8'), {
        columns: true,
        bom: true,
      }) as unknown[];
      expect(rows.length, population.csv).toBe(expected);
      const stream = app.registry.stream(population.stream);
      for (const name of [population.csv, population.xlsx]) {
        expect(parseEvidenceFileName(name), name).toMatchObject({
          criterion: stream.criteria[0],
          evidenceName: stream.definition.evidenceName,
          period: period.label,
        });
      }
    }
    const changes = written.populations.find(
      (population) => population.stream === 'github-production-changes',
    );
    expect(changes?.items).toBeGreaterThan(0);
    expect(readdirSync(written.out)).toContain(`CC8.1_Production_Changes_${period.label}.xlsx`);
    // Change tickets: every Jira ticket of the period with its transitions and approvals.
    expect(readdirSync(written.out)).toContain(`CC8.1_Change_Tickets_${period.label}.csv`);
    const tickets = written.populations.find((population) => population.stream === 'jira-change-tickets');
    expect(tickets?.items).toBeGreaterThan(0);
  });

  it('indexes every criterion in scope and verifies', async () => {
    const index = parse(
      readFileSync(path.join(written.out, `Control_Evidence_Index_${period.label}.csv`), 'utf8'),
      { columns: true, bom: true },
    ) as Record<string, string>[];
    expect(index.map((row) => row.Criterion)).toEqual(
      app.catalogue.inScope(['Confidentiality']).map((row) => row.criterion_id),
    );
    const cc81 = index.find((row) => row.Criterion === 'CC8.1');
    expect(cc81?.Streams).toContain('github-production-changes');
    expect(cc81?.Streams).toContain('jira-change-tickets');
    expect(cc81?.Streams).toContain('linear-change-tickets');
    // The seed's index row: CC8.1, "Change tickets", origin A.8.32.
    expect(cc81?.Files).toContain(`CC8.1_Change_Tickets_${period.label}.csv`);
    expect(cc81?.['ISO 27001:2022 origin']).toContain('A.8.32');
    expect((await verifyPackage(written.out)).problems).toEqual([]);
  });
});
