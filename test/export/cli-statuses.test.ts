import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { continuityCommand } from '../../src/cli/commands/continuity.js';
import { exportCommand } from '../../src/cli/commands/export.js';
import { readinessCommand } from '../../src/cli/commands/readiness.js';
import { parsePeriod } from '../../src/cli/args.js';
import { UsageError } from '../../src/errors.js';
import { runCli, writeConfig } from '../support/cli.js';
import { freshStoreUrl } from '../support/stores.js';
import { fixtureConnector } from './fixture-connector.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';
import { checks } from './pending-fixture.js';

// The audit fixture with checks, loaded through `modules:`, that declare pending and unreadable codes.
const MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pending-fixture.ts');
const config = (storeUrl: string, module = MODULE) =>
  writeConfig(
    `store:\n  url: ${storeUrl}\nmodules:\n  - ${module}\nconnectors:\n  audit-fixture: {}\nlogLevel: silent\n`,
  );

type Row = Record<string, string>;
const readCsv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Row[];

/** The commands in this process; returns what they print. */
async function run(args: string[]): Promise<string> {
  const program = new Command('evidence-worker').option('-c, --config <file>').exitOverride();
  for (const command of [exportCommand, readinessCommand, continuityCommand]) command.register(program);
  const lines: string[] = [];
  const spy = vi
    .spyOn(console, 'log')
    .mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('every command that counts findings says deviations apart from pending and unreadable (SQLite)', () => {
  let cfg: string;
  let printed: string;
  let index: Row[];
  let register: Row[];

  beforeAll(async () => {
    const storeUrl = freshStoreUrl('sqlite');
    const app = await fixtureApp({
      storeUrl,
      connector: { connector: fixtureConnector, config: {}, checks },
    });
    await fillThroughRunner(app, parsePeriod('2026-04'));
    await app.close();
    cfg = config(storeUrl);
    const out = path.join(tempDir('cli-statuses'), 'pkg');
    printed = await run(['--config', cfg, 'export', '--period', '2026-04', '--out', out]);
    index = readCsv(path.join(out, 'Control_Evidence_Index_2026-04.csv'));
    register = readCsv(path.join(out, 'Exceptions_Register_2026-04.csv'));
  });

  const cc81 = () => index.find((row) => row.Criterion === 'CC8.1')!;
  const changes = () => register.filter((row) => row.Stream === 'fixture-production-changes');
  /** Items whose findings are all of this status (an item with a deviation is a deviation). */
  const itemsOnly = (status: string) => {
    const byItem = new Map<string, Set<string>>();
    for (const row of changes())
      byItem.set(row['Item key']!, (byItem.get(row['Item key']!) ?? new Set()).add(row.Status!));
    return [...byItem.values()].filter((statuses) => statuses.size === 1 && statuses.has(status)).length;
  };

  it('export: each population line and the register line, in the numbers of the index and the register', () => {
    const deviations = cc81()['Items with deviations'];
    const pending = itemsOnly('evidence pending collection');
    const unreadable = itemsOnly('evidence unreadable');
    expect(pending).toBeGreaterThan(0);
    expect(printed).toContain(
      `CC8.1_Production_Changes_2026-04.xlsx: 90 items, ${deviations} with deviations, ${pending} evidence pending collection, ${unreadable} evidence unreadable`,
    );
    const count = (status: string) => register.filter((row) => row.Status === status).length;
    expect(printed).toMatch(
      new RegExp(
        `^exceptions register: ${register.length} rows: ${count('deviation')} deviations, ${count('evidence pending collection')} evidence pending collection, ${count('evidence unreadable')} evidence unreadable; \\d+ conditions: \\d+ deviations \\(0 open at period end\\), \\d+ evidence pending collection, 30 evidence unreadable$`,
        'm',
      ),
    );
  });

  it('readiness: items with deviations as the index counts them, pending and unreadable apart', async () => {
    const text = await run(['--config', cfg, 'readiness', '--period', '2026-04']);
    const deviations = cc81()['Items with deviations'];
    const pending = itemsOnly('evidence pending collection');
    expect(text).toMatch(
      new RegExp(
        `^CC8\\.1 +evidenced .* items 90 \\(${deviations} with deviations, ${pending} evidence pending collection, ${itemsOnly('evidence unreadable')} evidence unreadable\\) `,
        'm',
      ),
    );
    const json = JSON.parse(await run(['--config', cfg, 'readiness', '--period', '2026-04', '--json'])) as {
      criteria: { criterion: string; itemsWithDeviations: number; itemsPendingCollection: number }[];
    };
    const row = json.criteria.find((entry) => entry.criterion === 'CC8.1')!;
    expect(String(row.itemsWithDeviations)).toBe(deviations);
    expect(row.itemsPendingCollection).toBe(pending);
  });

  it('continuity: deviations, pending and unreadable in their own columns', async () => {
    const text = await run(['--config', cfg, 'continuity', '--from', '2026-04-01', '--to', '2026-04-30']);
    expect(text).toMatch(/STREAM +KIND +COVERAGE +ITEMS +DEVIATIONS +PENDING +UNREADABLE +REJECTED/);
    const line = text.split('\n').find((entry) => entry.startsWith('fixture-production-changes'))!;
    expect(line.split(/ +/).slice(3, 7)).toEqual([
      '90',
      cc81()['Items with deviations'],
      String(itemsOnly('evidence pending collection')),
      String(itemsOnly('evidence unreadable')),
    ]);
  });
});

describe('a custom check that declares a code wrong stops start-up, the field named', () => {
  const bad = path.join(tempDir('bad-module'), 'bad-check.mjs');
  writeFileSync(
    bad,
    `export const checks = [{
  id: 'deployment-approval', version: 1, title: 'Deployment approval',
  description: 'every deployment was approved', criteria: ['CC8.1'], isoControls: [],
  streams: ['acme-deployments'],
  codes: { approval_not_collected: { means: 'not yet collected', status: 'pendng' } },
  policy: { safeParse: () => ({ success: true, data: {} }) },
  async *judge() {},
}];\n`,
  );
  const message =
    'config: modules: BAD: checks[0] (deployment-approval).codes.approval_not_collected.status: Invalid option: expected one of "deviation"|"pending"|"unreadable"';

  it('in this process, as a UsageError', async () => {
    const failure = await run([
      '--config',
      config(freshStoreUrl('sqlite'), bad),
      'readiness',
      '--period',
      '2026-04',
    ]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toBe(message.replace('BAD', bad));
  });

  it('through the real CLI, with exit 2', async () => {
    const result = await runCli(['--config', config(freshStoreUrl('sqlite'), bad), 'checks']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`evidence-worker: ${message.replace('BAD', bad)}`);
  });
});
