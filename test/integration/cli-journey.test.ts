import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_CONNECTOR_MODULE, runCli, writeConfig, type CliResult } from '../support/cli.js';
import { freshRedisPrefix, freshStoreUrl } from '../support/stores.js';
import { startFakeSource } from '../fixtures/fake-source.js';

// The mistakes a new operator makes on a first walk through the README, each answered in one line.

function config(extra = '', connector = 'baseUrl: http://127.0.0.1:9'): string {
  return writeConfig(`store:
  url: ${freshStoreUrl('sqlite')}
redis:
  prefix: ${freshRedisPrefix()}
modules:
  - ${FAKE_CONNECTOR_MODULE}
connectors:
  fake:
    ${connector}
${extra}`);
}

const env = { FAKE_SOURCE_TOKEN: 'cli-token-abcdef' };

function oneLine(result: CliResult, code: number): string {
  expect(result.code).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

async function usageError(args: string[], options: { env?: NodeJS.ProcessEnv } = { env }): Promise<string> {
  return oneLine(await runCli(args, options), 2);
}

describe.concurrent('config mistakes name the field and what was expected', () => {
  it('a misspelt section is answered with the one meant', async () => {
    const line = await usageError(['--config', config('stor:\n  url: file:./x.db'), 'streams']);
    expect(line).toBe('evidence-worker: config: stor: unknown field, did you mean "store"?');
  });

  it('a misspelt connector field is one mistake, not also a missing field', async () => {
    const line = await usageError(['--config', config('', 'baseUrll: http://127.0.0.1:9'), 'streams']);
    expect(line).toBe(
      'evidence-worker: config: connectors.fake.baseUrll: unknown field, did you mean "baseUrl"?',
    );
  });

  it('a field of the wrong type says what it got, and several problems stay on one line', async () => {
    const line = await usageError([
      '--config',
      config('http:\n  port: "80a"\nschedule:\n  maxWindowsPerTick: 0'),
      'streams',
    ]);
    expect(line).toBe(
      'evidence-worker: config: schedule.maxWindowsPerTick: expected number to be >0, got 0; http.port: expected a number, got "80a"',
    );
  });

  it('a missing required field and a value outside its choices', async () => {
    expect(await usageError(['--config', config('', 'repos: [a/b]'), 'streams'])).toBe(
      'evidence-worker: config: connectors.fake.baseUrl: missing: expected a string',
    );
    expect(await usageError(['--config', config('logLevel: verbose'), 'streams'])).toMatch(
      /^evidence-worker: config: logLevel: expected one of .*"info".*, got "verbose"$/,
    );
  });

  it('a value taken from the environment is never echoed, even when it is wrong', async () => {
    const secret = 'hooks.slack.com/services/T0/B0/s3cr3tXYZ';
    const result = await runCli(
      ['--config', config('alerts:\n  webhook:\n    url: ${HOOK_URL}'), 'streams'],
      { env: { ...env, HOOK_URL: secret } },
    );
    expect(oneLine(result, 2)).toBe(
      'evidence-worker: config: alerts.webhook.url: expected an http(s) URL, got a value from the environment (not shown)',
    );
    expect(result.stderr + result.stdout).not.toContain('s3cr3t');
  });

  it('a config path that is a directory, and a module that does not exist', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-journey-'));
    expect(await usageError(['--config', dir, 'streams'])).toBe(
      `evidence-worker: config: cannot read ${dir} (a directory; expected a YAML file)`,
    );
    expect(
      await usageError(['--config', writeConfig('modules: [./no-such-connector.ts]'), 'streams']),
    ).toMatch(
      /^evidence-worker: config: modules: \.\/no-such-connector\.ts: no such file \(looked for .*no-such-connector\.ts\)$/,
    );
  });
});

describe.concurrent('a period that has not begun is refused before anything is written', () => {
  it('backfill and continuity', async () => {
    const file = config();
    const expected =
      /^evidence-worker: --from: the period starts 2099-01-01, in the future \(today is \d{4}-\d{2}-\d{2} UTC\); expected a period that has begun$/;
    expect(
      await usageError([
        '--config',
        file,
        'backfill',
        '--inline',
        '--from',
        '2099-01-01',
        '--to',
        '2099-01-31',
      ]),
    ).toMatch(expected);
    expect(
      await usageError(['--config', file, 'continuity', '--from', '2099-01-01', '--to', '2099-01-31']),
    ).toMatch(expected);
  });

  it('export and access-review create no directory', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ew-journey-'));
    const file = config();
    expect(
      await usageError(['--config', file, 'export', '--period', '2099-Q1', '--out', path.join(root, 'pkg')]),
    ).toMatch(/^evidence-worker: --period: the period starts 2099-01-01, in the future/);
    expect(
      await usageError([
        '--config',
        file,
        'access-review',
        '--period',
        '2099-Q1',
        '--out',
        path.join(root, 'r'),
      ]),
    ).toMatch(/^evidence-worker: --period: the period starts 2099-01-01, in the future/);
    expect(existsSync(path.join(root, 'pkg'))).toBe(false);
    expect(existsSync(path.join(root, 'r'))).toBe(false);
  });
});

describe.concurrent('what the machine does wrong is one line, and no password shows', () => {
  it('a Redis that does not answer is named without its password', async () => {
    const result = await runCli(
      ['--config', config(), 'backfill', '--from', '2026-01-01', '--to', '2026-01-01'],
      { env: { ...env, REDIS_URL: 'redis://:hunter2-redis@127.0.0.1:9' } },
    );
    expect(oneLine(result, 2)).toBe(
      'evidence-worker: backfill: Redis at redis://:***@127.0.0.1:9 does not answer; start it or pass --inline',
    );
  });

  it('a store that does not answer exits 1 with one line, no stack, no password', async () => {
    const result = await runCli(['--config', config(), 'verify-store'], {
      env: { ...env, DATABASE_URL: 'postgres://auditor:hunter2-pg@127.0.0.1:9/evidence' },
    });
    expect(oneLine(result, 1)).toMatch(/^evidence-worker: cannot connect \(.*ECONNREFUSED.*\): is the store/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('a system description whose folder runs through a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-journey-'));
    writeFileSync(path.join(dir, 'notes'), 'a file');
    const out = path.join(dir, 'notes', 'draft.md');
    expect(
      await usageError(['--config', config(), 'system-description', '--period', '2026-Q1', '--out', out]),
    ).toBe(
      `evidence-worker: --out: ${path.dirname(out)} (or a folder above it) is a file; expected a directory`,
    );
  });

  it('a package whose manifest is not JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-journey-'));
    mkdirSync(path.join(dir, 'pkg'));
    writeFileSync(path.join(dir, 'pkg', 'MANIFEST.json'), 'garbage\nmore garbage\n');
    expect(await usageError(['verify', path.join(dir, 'pkg')])).toMatch(
      /^evidence-worker: verify: MANIFEST\.json is not a valid manifest: not JSON/,
    );
  });

  it('a catalog without an id, and a demo length that is no number, say what to give', async () => {
    expect(await usageError(['--config', config(), 'catalog'])).toBe(
      'evidence-worker: catalog: missing id: expected a TSC 2017 criterion (CC6.1) or an ISO 27001:2022 Annex A control (A.8.32)',
    );
    expect(await usageError(['demo', '--days', 'ninety'])).toBe(
      'evidence-worker: --days: expected a whole number of days, got "ninety"',
    );
  });
});

describe('an access review returned as something else than its workbook', () => {
  it('is registered as present, and the operator is told no decision was read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-journey-'));
    const pdf = path.join(dir, 'signed-review.pdf');
    writeFileSync(pdf, '%PDF-1.4 signed by the reviewer');
    const result = await runCli(
      ['--config', config(), 'artefacts', 'add', pdf, '--type', 'access-review', '--period', '2026-Q3'],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^registered: User access review 2026-Q3 /m);
    expect(result.stdout).toMatch(
      /^no review decisions read: only the review workbook \(\.xlsx\) or its CSV/m,
    );
  });
});

describe('a backfill of a snapshot stream over past days', () => {
  it('says why those days are unrecoverable and what keeps the next ones', async () => {
    const source = await startFakeSource({ token: env.FAKE_SOURCE_TOKEN });
    try {
      const result = await runCli(
        [
          '--config',
          config('', `baseUrl: ${source.url}`),
          'backfill',
          '--inline',
          '--from',
          '2026-01-01',
          '--to',
          '2026-01-02',
          '--stream',
          'fake-members',
        ],
        { env },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^fake-members: windows 2 \(.*unrecoverable 2/m);
      expect(result.stdout).toContain(
        '  unrecoverable: membership can only be observed as it is now (a snapshot observes only the present: keep "start" running, or "collect" daily, from before the audit period)',
      );
    } finally {
      await source.stop();
    }
  });
});
