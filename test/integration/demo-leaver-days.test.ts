import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

it('the demo orphan-account findings name a day inside the judged period', { timeout: 120_000 }, async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'ew-demo-days-')), 'package');
  const result = await runCli(['demo', '--days', '7', '--inline', '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  const file = readdirSync(out).find((name) => name.includes('Orphan_Accounts'));
  expect(file).toBeDefined();
  // The file name carries the period's first and last day (inclusive), e.g. _2026-11-26_2026-12-02.csv.
  const [, first, last] = /_(\d{4}-\d\d-\d\d)_(\d{4}-\d\d-\d\d)\.csv$/.exec(file!)!;
  const days = [
    ...readFileSync(path.join(out, file!), 'utf8').matchAll(/is active on (\d{4}-\d\d-\d\d)/g),
  ].map((match) => match[1]!);
  expect(days.length).toBeGreaterThan(0);
  for (const day of days)
    expect(day >= first! && day <= last!, `${day} outside ${first}..${last}`).toBe(true);
});
