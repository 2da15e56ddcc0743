import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportCommand } from '../../src/cli/commands/export.js';
import { keysCommand } from '../../src/cli/commands/keys.js';
import { sampleCommand } from '../../src/cli/commands/sample.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { verifyStoreCommand } from '../../src/cli/commands/verify-store.js';
import type { runBackfill } from '../../src/collection/backfill.js';
import { UsageError } from '../../src/errors.js';
import { generateSigningKeys } from '../../src/export/signing.js';
import { runCli, writeConfig } from '../support/cli.js';
import { freshStoreUrl } from '../support/stores.js';
import { fixtureApp, tempDir } from './fill-store.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixture-connector.ts');

function config(extra = ''): string {
  return writeConfig(
    `store:\n  url: ${freshStoreUrl('sqlite')}\nmodules:\n  - ${FIXTURE}\nconnectors:\n  audit-fixture: {}\nlogLevel: silent\n${extra}`,
  );
}

/** The commands in this process; resolves to the UsageError they threw (or fails the test). */
async function usageError(args: string[]): Promise<string> {
  const program = new Command('evidence-worker').option('-c, --config <file>').exitOverride();
  for (const command of [exportCommand, sampleCommand, verifyCommand, verifyStoreCommand, keysCommand])
    command.register(program);
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const failure = await program.parseAsync(args, { from: 'user' }).then(
    () => undefined,
    (error: unknown) => error,
  );
  spy.mockRestore();
  expect(failure).toBeInstanceOf(UsageError);
  const message = (failure as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

/** A file where a directory is expected. */
function aFile(): string {
  const file = path.join(tempDir('file'), 'not-a-dir');
  writeFileSync(file, 'x');
  return file;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('operator mistakes are one line', () => {
  it('export --out and sample --out naming a file', async () => {
    const file = aFile();
    expect(await usageError(['--config', config(), 'export', '--period', '2026-04', '--out', file])).toBe(
      `--out: ${file} (or a folder above it) is a file; expected a directory`,
    );
    expect(
      await usageError([
        '--config',
        config(),
        'export',
        '--period',
        '2026-04',
        '--out',
        path.join(file, 'pkg'),
      ]),
    ).toBe(`--out: ${path.join(file, 'pkg')} (or a folder above it) is a file; expected a directory`);
    const sample = ['sample', '--stream', 'fixture-access-changes', '--period', '2026-04', '--size', '3'];
    expect(await usageError(['--config', config(), ...sample, '--seed', '1', '--out', file])).toBe(
      `--out: ${file} (or a folder above it) is a file; expected a directory`,
    );
  });

  it('a manifest whose files are malformed, for verify and for verify-store --since', async () => {
    const dir = tempDir('manifest');
    const manifest = {
      tool: { name: 'evidence-worker', version: '0' },
      generatedAt: '2026-07-01T00:00:00.000Z',
      period: { label: '2026-Q2', start: '2026-04-01', end: '2026-07-01' },
      configSha256: 'x',
      ledger: { firstRunAt: null, lastRunAt: null, runs: 0, byStatus: {} },
      files: [{ path: 'a.csv', sha256: 'nope' }, 7, { sha256: 3 }],
    };
    writeFileSync(path.join(dir, 'MANIFEST.json'), JSON.stringify(manifest));
    expect(await usageError(['verify', dir])).toBe(
      'verify: MANIFEST.json is not a valid manifest: files[0].sha256: Invalid string: must match pattern /^[0-9a-f]{64}$/, got "nope" (and 5 more problems)',
    );
    writeFileSync(path.join(dir, 'MANIFEST.json'), JSON.stringify({ ...manifest, files: 'all of them' }));
    expect(await usageError(['verify', dir])).toBe(
      'verify: MANIFEST.json is not a valid manifest: files: expected array, received string',
    );
    const file = path.join(dir, 'MANIFEST.json');
    expect(await usageError(['--config', config(), 'verify-store', '--since', file])).toBe(
      `--since: ${file} is not a valid manifest: files: expected array, received string`,
    );
    writeFileSync(file, JSON.stringify({ ...manifest, files: [] }));
    expect(await usageError(['--config', config(), 'verify-store', '--since', file])).toBe(
      `--since: ${file} records no chain heads (exported before heads were anchored)`,
    );
    writeFileSync(file, '{"tool":');
    expect(await usageError(['verify', dir])).toMatch(
      /^verify: MANIFEST\.json is not a valid manifest: not JSON/,
    );
  });

  it('verify --expect and --public-key with a wrong value; keys generate over existing keys', async () => {
    const dir = tempDir('pkg');
    expect(await usageError(['verify', dir, '--expect', 'abc'])).toBe(
      '--expect: expected the SHA-256 of MANIFEST.json, 64 hex digits, got "abc"',
    );
    const notKey = aFile();
    expect(await usageError(['verify', dir, '--public-key', notKey])).toBe(
      `--public-key: ${notKey} is not a PEM public key`,
    );
    const keys = path.join(tempDir('keys'), 'k');
    await generateSigningKeys(keys);
    expect(await usageError(['keys', 'generate', '--out', keys])).toBe(
      `--out: ${path.join(keys, 'signing-key.pem')} already exists; keys are never overwritten`,
    );
  });

  it('a signing key that is missing or not Ed25519 stops the export before it writes anything', async () => {
    const out = path.join(tempDir('out'), 'pkg');
    const missing = config('signing:\n  privateKey: ./no-such-key.pem\n');
    expect(await usageError(['--config', missing, 'export', '--period', '2026-04', '--out', out])).toBe(
      'config: signing.privateKey: cannot read key file ./no-such-key.pem (ENOENT)',
    );
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const rsaFile = path.join(tempDir('rsa'), 'rsa.pem');
    writeFileSync(rsaFile, rsa);
    const wrong = config(`signing:\n  privateKey: ${rsaFile}\n`);
    expect(await usageError(['--config', wrong, 'export', '--period', '2026-04', '--out', out])).toBe(
      'config: signing.privateKey: expected an Ed25519 key, got rsa key',
    );
  });

  it('the real CLI exits 2 with one line on stderr', { timeout: 120_000 }, async () => {
    const file = aFile();
    const result = await runCli(['--config', config(), 'export', '--period', '2026-04', '--out', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `evidence-worker: --out: ${file} (or a folder above it) is a file; expected a directory\n`,
    );
  });
});

describe('two inline backfills on one SQLite file', () => {
  it(
    'each reports only its own runs and exits by its own result; together nothing is lost or doubled',
    { timeout: 180_000 },
    async () => {
      const storeUrl = freshStoreUrl('sqlite');
      // Neither collects a window before both have planned, so the two overlap on every machine.
      const barrier = tempDir('start-together');
      const cfg = writeConfig(
        `store:\n  url: ${storeUrl}\nmodules:\n  - ${FIXTURE}\nconnectors:\n  audit-fixture:\n    startTogether: { dir: ${barrier}, processes: 2 }\nlogLevel: silent\n`,
      );
      const args = [
        '--config',
        cfg,
        'backfill',
        '--inline',
        '--from',
        '2026-01-01',
        '--to',
        '2026-06-30',
        '--json',
      ];
      // Two processes started together: each plans before the other has covered any of the period.
      const results = await Promise.all([runCli(args), runCli(args)]);
      const app = await fixtureApp({ storeUrl });
      try {
        const store = await app.store();
        const runs = await store.db.selectFrom('runs').selectAll().execute();
        const windows = 181 * app.registry.streams.length;
        // The precondition of this test: the two backfills overlapped, so both collected some windows.
        expect(runs.length).toBeGreaterThan(windows);
        const summaries = results.map((result) => {
          expect(result.stderr).not.toMatch(/error|null/);
          expect(result.code).toBe(0);
          return JSON.parse(result.stdout) as Awaited<ReturnType<typeof runBackfill>>;
        });
        for (const summary of summaries.flat()) {
          expect(summary.errors).toEqual([]);
          expect(summary.failed).toBe(0);
          expect(summary.succeeded + summary.skipped).toBe(summary.windows);
        }
        for (const stream of app.registry.streams) {
          const ofStream = runs.filter((run) => run.stream === stream.id);
          expect(ofStream.every((run) => run.status === 'succeeded')).toBe(true);
          // Every run of the ledger is in exactly one summary.
          const counted = summaries.reduce(
            (sum, list) => sum + list.find((entry) => entry.stream === stream.id)!.succeeded,
            0,
          );
          expect(counted).toBe(ofStream.length);
        }
        // Every item stored once, and counted as new by exactly one of the two.
        const items = await store.db.selectFrom('evidence_items').select('stream').execute();
        expect(summaries.flat().reduce((sum, entry) => sum + entry.items.new, 0)).toBe(items.length);
      } finally {
        await app.close();
      }
    },
  );
});
