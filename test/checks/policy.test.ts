import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.js';
import { runBackfill } from '../../src/collection/backfill.js';
import { parseConfig } from '../../src/config/load.js';
import { labelFromTo } from '../../src/export/audit-period.js';
import { writeAuditorPackage } from '../../src/export/package-writer.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { DAY } from '../../src/time.js';
import { freshStoreUrl } from '../support/stores.js';
import { tempDir } from '../export/fill-store.js';

const today = Math.floor(Date.now() / DAY) * DAY;
const window = { start: today - 20 * DAY, end: today - DAY };
const period = { ...window, label: labelFromTo(window) };

// The real GitHub connector against its sandbox (with a planted release-branch flow), judged twice.
describe('a check policy changes findings and nothing in the evidence store', () => {
  let sandboxes: Sandboxes;
  const storeUrl = freshStoreUrl('sqlite');

  async function appWith(checks: Record<string, Record<string, unknown>>): Promise<App> {
    const raw = { store: { url: storeUrl }, connectors: { github: sandboxes.connectors.github }, checks };
    return openApp({
      config: {
        config: parseConfig(raw, sandboxes.env),
        baseDir: tempDir('policy'),
        file: undefined,
        source: JSON.stringify(raw),
      },
      env: sandboxes.env,
      logger: pino({ level: 'silent' }),
    });
  }

  async function storeSnapshot(app: App) {
    const rows = await (
      await app.store()
    ).db
      .selectFrom('evidence_items')
      .select(['stream', 'item_key', 'version', 'payload_sha256', 'row_hash'])
      .orderBy('id')
      .execute();
    return rows.map(
      (row) => `${row.stream} ${row.item_key} v${row.version} ${row.payload_sha256} ${row.row_hash}`,
    );
  }

  async function register(app: App): Promise<Record<string, string>[]> {
    const out = path.join(tempDir('policy-package'), 'pkg');
    await writeAuditorPackage(app, { period, out });
    return parse(readFileSync(path.join(out, `Exceptions_Register_${period.label}.csv`), 'utf8'), {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
  }

  const codes = (rows: Record<string, string>[]) => {
    const counts: Record<string, number> = {};
    for (const row of rows) counts[row.Finding!] = (counts[row.Finding!] ?? 0) + 1;
    return counts;
  };

  beforeAll(async () => {
    sandboxes = await startSandboxes({ seed: 42, now: Date.now(), days: 20 });
    const app = await appWith({});
    await runBackfill(app, {
      period: window,
      streams: [app.registry.stream('github-production-changes')],
      inline: true,
    });
    await app.close();
  }, 240_000);
  afterAll(async () => {
    await sandboxes?.stop();
  });

  it('reviewedAnywhere and independence from the PR author only change the register, not the store', async () => {
    const strict = await appWith({});
    const before = await storeSnapshot(strict);
    const strictRegister = await register(strict);
    await strict.close();
    expect(before.length).toBeGreaterThan(0);

    const lenient = await appWith({
      'change-review': { reviewedAnywhere: true, independentOf: 'pr-author' },
    });
    const lenientRegister = await register(lenient);
    const after = await storeSnapshot(lenient);
    await lenient.close();

    const strictCodes = codes(strictRegister);
    const lenientCodes = codes(lenientRegister);
    expect(strictCodes.promoted_without_pr).toBeGreaterThan(0);
    expect(strictCodes.direct_push).toBeGreaterThan(0);
    expect(lenientCodes.promoted_without_pr).toBeUndefined();
    // Direct pushes stay exceptions: no pull request anywhere is not a policy question.
    expect(lenientCodes.direct_push).toBe(strictCodes.direct_push);
    expect(strictRegister.every((row) => row.Check?.match(/^[a-z-]+@\d+$/))).toBe(true);
    // The evidence is the same rows, versions and hashes: judging wrote nothing.
    expect(after).toEqual(before);
  });

  it('promoted_without_pr names the reviewed pull request and its base', async () => {
    const app = await appWith({});
    const findings = await app.findings(period);
    await app.close();
    const promoted = findings.findings.filter((finding) => finding.code === 'promoted_without_pr');
    expect(promoted.length).toBeGreaterThan(0);
    for (const finding of promoted) expect(finding.description).toMatch(/\/pull\/\d+ \(#\d+ into release\)/);
  });
});
