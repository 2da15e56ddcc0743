import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { drawSample } from '../../src/sample/draw-sample.js';
import { writeSampleFiles } from '../../src/sample/sample-files.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { freshStoreUrl } from '../support/stores.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';

const april = parsePeriod('2026-04');
const STREAM = 'fixture-production-changes';

describe('reproducible samples', () => {
  let app: App;
  let evidence: EvidenceRepository;
  beforeAll(async () => {
    app = await fixtureApp({ storeUrl: freshStoreUrl('sqlite') });
    await fillThroughRunner(app, april);
    evidence = new EvidenceRepository(await app.store());
  });
  afterAll(async () => app.close());

  it('the same seed gives the same sample; another seed another one', async () => {
    const first = await drawSample(evidence, STREAM, april, 10, '20260701');
    const again = await drawSample(evidence, STREAM, april, 10, '20260701');
    const other = await drawSample(evidence, STREAM, april, 10, '42');
    const keys = (sample: typeof first) => sample.rows.map((entry) => entry.row.key);
    expect(first.populationSize).toBe(90);
    expect(keys(first)).toHaveLength(10);
    expect(new Set(keys(first)).size).toBe(10);
    expect(keys(again)).toEqual(keys(first));
    expect(keys(other)).not.toEqual(keys(first));
    const times = first.rows.map((entry) => entry.row.occurredAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const all = await drawSample(evidence, STREAM, april, 500, 'x');
    expect(all.rows).toHaveLength(90);
  });

  it('writes the sample as CSV and XLSX, byte-identical CSV for the same seed', async () => {
    const stream = app.registry.stream(STREAM);
    const sample = await drawSample(evidence, STREAM, april, 5, 'abc');
    const one = await writeSampleFiles(stream, april, 'abc', sample, tempDir('sample'));
    const two = await writeSampleFiles(
      stream,
      april,
      'abc',
      await drawSample(evidence, STREAM, april, 5, 'abc'),
      tempDir('sample'),
    );
    expect(one.csv).toMatch(/CC8\.1_Production_Changes_Sample_Seed_abc_2026-04\.csv$/);
    expect(readFileSync(one.csv)).toEqual(readFileSync(two.csv));
    const rows = parse(readFileSync(one.csv, 'utf8'), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((row) => row['Sample #'])).toEqual(['1', '2', '3', '4', '5']);
    expect(rows.map((row) => row['Item key'])).toEqual(sample.rows.map((entry) => entry.row.key));
  });
});
