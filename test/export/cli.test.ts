import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { artefactsCommand } from '../../src/cli/commands/artefacts.js';
import { exportCommand } from '../../src/cli/commands/export.js';
import { readinessCommand } from '../../src/cli/commands/readiness.js';
import { sampleCommand } from '../../src/cli/commands/sample.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { parsePeriod } from '../../src/cli/args.js';
import { UsageError } from '../../src/errors.js';
import { runCli, writeConfig } from '../support/cli.js';
import { freshStoreUrl } from '../support/stores.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixture-connector.ts');

function config(storeUrl = freshStoreUrl('sqlite')): string {
  return writeConfig(`store:
  url: ${storeUrl}
modules:
  - ${FIXTURE}
connectors:
  audit-fixture:
    failDays: ["2026-04-07"]
logLevel: silent
`);
}

/** The commands in this process (spawning tsx costs seconds each on a shared machine); returns what they print. */
async function run(args: string[]): Promise<string> {
  const program = new Command('evidence-worker').option('-c, --config <file>').exitOverride();
  for (const command of [exportCommand, verifyCommand, artefactsCommand, readinessCommand, sampleCommand])
    command.register(program);
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

async function usageError(args: string[], message: RegExp): Promise<void> {
  const failure = await run(['--config', config(), ...args]).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(UsageError);
  expect((failure as Error).message).toMatch(message);
  expect((failure as Error).message).not.toContain('\n');
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('arguments are validated with zod: the message names the argument and what was expected', () => {
  it('export', async () => {
    await usageError(
      ['export', '--period', '2026-Q2'],
      /^--out: expected a directory for the package, got nothing$/,
    );
    await usageError(
      ['export', '--period', '2026-Q5', '--out', 'x'],
      /^--period: expected 2026, 2026-H1, 2026-Q2 or 2026-04, got "2026-Q5"$/,
    );
    await usageError(
      ['export', '--from', '2026-4-1', '--to', '2026-04-30', '--out', 'x'],
      /^--from: expected a date as YYYY-MM-DD, got "2026-4-1"$/,
    );
    await usageError(
      ['export', '--period', '2026-Q2', '--from', '2026-04-01', '--to', '2026-04-02', '--out', 'x'],
      /not both/,
    );
    await usageError(['export', '--out', 'x'], /^--period: expected --period 2026-Q2 or --from/);
  });
  it('sample', async () => {
    const base = ['sample', '--stream', 'fixture-access-changes', '--period', '2026-Q2'];
    await usageError(
      [...base, '--size', '0', '--seed', '1'],
      /^--size: expected a whole number from 1 to 100000, got "0"$/,
    );
    await usageError([...base, '--size', 'ten', '--seed', '1'], /^--size: expected a whole number/);
    await usageError(
      [...base, '--size', '3', '--seed', 'a b'],
      /^--seed: expected a seed of 1-64 letters and digits, got "a b"$/,
    );
    await usageError(
      ['sample', '--stream', 'nope', '--period', '2026-Q2', '--size', '3', '--seed', '1'],
      /unknown stream "nope"/,
    );
  });
  it('artefacts and readiness', async () => {
    await usageError(
      ['artefacts', 'add', '--type', 'access-review', '--period', '2026-Q2'],
      /^FILE: expected the artefact file, got nothing$/,
    );
    await usageError(
      ['artefacts', 'add', '/no/such/file.pdf', '--type', 'access-review', '--period', '2026-Q2'],
      /^FILE: expected an existing file/,
    );
    const file = path.join(tempDir('cli'), 'x.pdf');
    writeFileSync(file, 'x');
    await usageError(
      ['artefacts', 'add', file, '--type', 'coffee', '--period', '2026-Q2'],
      /^--type: expected one of risk-register, /,
    );
    await usageError(
      ['artefacts', 'add', file, '--type', 'access-review', '--period', 'Q2'],
      /^--period: expected 2026, 2026-H1/,
    );
    await usageError(['readiness', '--period', 'last-year'], /^--period: expected/);
    await usageError(['verify', tempDir('empty')], /has no MANIFEST\.json/);
  });
});

describe('the commands end to end (store filled through the runner)', () => {
  let cfg: string;
  beforeAll(async () => {
    const storeUrl = freshStoreUrl('sqlite');
    const app = await fixtureApp({ storeUrl, failDays: ['2026-04-07'] });
    await fillThroughRunner(app, parsePeriod('2026-04'));
    await app.close();
    cfg = config(storeUrl);
  });

  it('export writes a package; the real CLI verifies it (exit 0) and names a changed file (exit 1)', async () => {
    const out = path.join(tempDir('cli-export'), 'pkg');
    const printed = await run(['--config', cfg, 'export', '--period', '2026-04', '--out', out]);
    expect(printed).toContain('CC8.1_Production_Changes_2026-04.xlsx: 90 items');
    expect(printed).toContain('CC6.2_AWS_Access_Changes_2026-04.xlsx: 58 items');
    const ok = await runCli(['verify', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: \d+ files match MANIFEST\.json/);
    appendFileSync(path.join(out, 'Exceptions_Register_2026-04.csv'), 'x');
    const bad = await runCli(['verify', out]);
    expect(bad.code).toBe(1);
    const [problem, ...rest] = bad.stdout.trim().split('\n');
    expect(problem).toBe('FAIL changed: Exceptions_Register_2026-04.csv');
    // Unsigned and without --expect, verify says what it could not prove.
    expect(rest).toEqual([expect.stringMatching(/^note: checked internal consistency only/)]);
    const usage = await runCli([
      '--config',
      cfg,
      'sample',
      '--stream',
      'fixture-access-changes',
      '--period',
      '2026-04',
      '--size',
      '-1',
      '--seed',
      '1',
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toMatch(
      /^evidence-worker: --size: expected a whole number from 1 to 100000, got "-1"$/,
    );
  });

  it('artefacts add proposes a name, list shows it, readiness shows the missing quarter, sample reproduces', async () => {
    // A review done in another tool, kept as a PDF: evidence by being present (no decisions to read).
    const file = path.join(tempDir('cli-artefact'), 'access review.pdf');
    writeFileSync(file, '%PDF-1.7 reviewed');
    const added = await run([
      '--config',
      cfg,
      'artefacts',
      'add',
      file,
      '--type',
      'access-review',
      '--period',
      '2026-Q2',
      '--owner',
      'CISO',
    ]);
    expect(added).toContain('proposed name: CC6.1_User_Access_Review_2026-Q2.pdf');
    const listed = await run(['--config', cfg, 'artefacts', 'list']);
    expect(listed).toContain('CC6.1_User_Access_Review_2026-Q2.pdf (was access review.pdf)');

    const readiness = await run(['--config', cfg, 'readiness', '--period', '2026-H1']);
    expect(readiness).toMatch(/artefact:access-review: artefact_missing 2026-01-01\.\.2026-04-01/);
    expect(readiness).toMatch(/CC8\.1 +evidenced/);
    expect(readiness).toMatch(/Criteria with no evidence at all \(\d+\): CC1\.1/);
    expect(readiness).toMatch(/A\.5\.15 +Access control: .*evidence yes/);
    const json = JSON.parse(await run(['--config', cfg, 'readiness', '--period', '2026-H1', '--json'])) as {
      criteria: { criterion: string }[];
      reuse: unknown[];
    };
    expect(json.criteria.length).toBe(33);
    expect(json.reuse).toHaveLength(93);

    const dir = tempDir('cli-sample');
    const args = [
      '--config',
      cfg,
      'sample',
      '--stream',
      'fixture-access-changes',
      '--period',
      '2026-04',
      '--size',
      '5',
      '--seed',
      '7',
      '--out',
      dir,
    ];
    expect(await run(args)).toContain('sample of 5 from a population of 58');
    const csv = path.join(dir, 'CC6.2_AWS_Access_Changes_Sample_Seed_7_2026-04.csv');
    const before = readFileSync(csv);
    await run(args);
    expect(readFileSync(csv)).toEqual(before);
  });
});
