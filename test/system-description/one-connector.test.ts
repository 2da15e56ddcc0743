import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.js';
import { runBackfill } from '../../src/collection/backfill.js';
import { parseConfig } from '../../src/config/load.js';
import { labelFromTo } from '../../src/export/audit-period.js';
import { writeSystemDescription } from '../../src/export/system-description/write.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { DAY } from '../../src/time.js';
import { tempDir } from '../export/fill-store.js';
import { freshStoreUrl } from '../support/stores.js';
import { readDocx } from './docx-reader.js';

// The real connectors against the sandboxes, one at a time: the draft says what the other leaves missing.
describe('system description with only GitHub or only AWS configured', () => {
  const today = Math.floor(Date.now() / DAY) * DAY;
  // Snapshots are of the present only: the period runs to tomorrow, so today's observations are in it.
  const window = { start: today - DAY, end: today + DAY };
  const period = { ...window, label: labelFromTo(window) };
  let sandboxes: Sandboxes;
  const apps: App[] = [];

  async function appWith(connector: 'github' | 'aws'): Promise<App> {
    const raw = {
      store: { url: freshStoreUrl('sqlite') },
      connectors: { [connector]: sandboxes.connectors[connector] },
    };
    const app = await openApp({
      config: {
        config: parseConfig(raw, sandboxes.env),
        baseDir: tempDir('sysdesc-one'),
        file: undefined,
        source: JSON.stringify(raw),
      },
      env: sandboxes.env,
      logger: pino({ level: 'silent' }),
    });
    apps.push(app);
    await runBackfill(app, { period, streams: app.registry.streams, inline: true });
    return app;
  }

  async function distinct(app: App, stream: string, field: (payload: Record<string, unknown>) => unknown) {
    const evidence = new EvidenceRepository(await app.store());
    const values = new Set<unknown>();
    for await (const row of evidence.population(stream, period.start, period.end))
      values.add(field(JSON.parse(row.payload) as Record<string, unknown>));
    values.delete(undefined);
    return values;
  }

  beforeAll(async () => {
    sandboxes = await startSandboxes({ seed: 42, now: Date.now(), days: 10 });
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await sandboxes?.stop();
  });

  it('GitHub only: repositories and protection from the store, AWS marked to complete', async () => {
    const app = await appWith('github');
    const file = path.join(tempDir('sysdesc-github'), 'draft.docx');
    await writeSystemDescription(app, period, file);
    const docx = readDocx(readFileSync(file));
    const repos = await distinct(app, 'github-branch-protection', (payload) =>
      payload.type === 'observation' ? payload.repo : undefined,
    );
    expect(repos.size).toBeGreaterThan(0);
    const protectionTable = docx.tables.find((table) => table[0]?.[0] === 'Repository');
    expect(new Set(protectionTable?.slice(1).map((row) => row[0]))).toEqual(repos);
    const rows = await new EvidenceRepository(await app.store()).countPopulation(
      'github-branch-protection',
      period.start,
      period.end,
    );
    expect(docx.paragraphs.join('\n')).toContain(
      `GitHub organisation acme: ${repos.size} repositories in scope`,
    );
    expect(docx.paragraphs.join('\n')).toContain(
      `CC8.1_Branch_Protection_${period.label}.xlsx, ${rows} rows`,
    );
    expect(docx.paragraphs.join('\n')).not.toContain('AWS:');
    expect(docx.paragraphs).toContain(
      '[to complete: no workforce register or identity source is collected; give the headcount by department]',
    );
  }, 240_000);

  it('AWS only: accounts, regions, trails and IAM counts from config and store, no repositories', async () => {
    const app = await appWith('aws');
    const file = path.join(tempDir('sysdesc-aws'), 'draft.md');
    await writeSystemDescription(app, period, file);
    const markdown = readFileSync(file, 'utf8');
    const account = sandboxes.aws.groundTruth.accountId;
    const regions = [...sandboxes.aws.regions].sort();
    expect(markdown).toContain(
      `AWS: 1 accounts in scope (${account}), ${regions.length} regions (${regions.join(', ')})`,
    );
    const trails = await distinct(app, 'aws-trail-status', (payload) => payload.trailArn ?? undefined);
    expect(trails.size).toBeGreaterThan(0);
    expect(markdown).toContain(`${trails.size} CloudTrail trails, state at the end of the period`);
    for (const trail of trails) expect(markdown).toContain(String(trail));
    expect(markdown).toContain(
      '**[to complete: no code repositories are collected; describe the software of the system]**',
    );
  }, 240_000);
});
