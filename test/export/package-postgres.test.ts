import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { writeAuditorPackage } from '../../src/export/package-writer.js';
import { verifyPackage } from '../../src/export/verify-package.js';
import { drawSample } from '../../src/sample/draw-sample.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { dropStore, freshStoreUrl } from '../support/stores.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';

const april = parsePeriod('2026-04');

describe('auditor package on PostgreSQL', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    url = freshStoreUrl('postgres');
    app = await fixtureApp({ storeUrl: url, failDays: ['2026-04-03'] });
    await fillThroughRunner(app, april);
  });
  afterAll(async () => {
    await app.close();
    await dropStore(url);
  });

  it('exports complete populations that verify, and samples exactly as SQLite does', async () => {
    const evidence = new EvidenceRepository(await app.store());
    const written = await writeAuditorPackage(app, { period: april, out: path.join(tempDir('pg'), 'pkg') });
    for (const population of written.populations)
      expect(population.items).toBe(
        await evidence.countPopulation(population.stream, april.start, april.end),
      );
    expect(written.populations.map((population) => population.items).sort()).toEqual([58, 90]);
    expect(written.manifest.ledger.byStatus).toEqual({ failed: 1, succeeded: 59 });
    expect((await verifyPackage(written.out)).problems).toEqual([]);

    const sqlite = await fixtureApp({ storeUrl: freshStoreUrl('sqlite') });
    try {
      await fillThroughRunner(sqlite, april, (stream) => stream !== 'fixture-production-changes');
      const keys = async (target: App) =>
        (
          await drawSample(
            new EvidenceRepository(await target.store()),
            'fixture-production-changes',
            april,
            7,
            's1',
          )
        ).rows.map((entry) => entry.row.key);
      expect(await keys(app)).toEqual(await keys(sqlite));
    } finally {
      await sqlite.close();
    }
  });
});
