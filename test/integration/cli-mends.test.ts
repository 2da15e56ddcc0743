import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, writeConfig } from '../support/cli.js';
import { freshRedisPrefix, freshStoreUrl } from '../support/stores.js';

/** Mistakes a new user made walking the README: each answered in one line, naming what to fix, exit 2. */
async function oneLine(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await runCli(args, { env });
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe.concurrent('a bad store URL names where it came from', () => {
  const config = () =>
    writeConfig(`store:\n  url: mysql://root:hunter2@db/x\nredis:\n  prefix: ${freshRedisPrefix()}\n`);

  it('the config field store.url, without the password', async () => {
    const line = await oneLine(['--config', config(), 'streams']);
    expect(line).toBe(
      'evidence-worker: config: store.url: expected a URL starting with "file:" or "postgres://", got "mysql:..."',
    );
  });

  it('the DATABASE_URL env var when it came from there', async () => {
    const line = await oneLine(['--config', config(), 'streams'], {
      DATABASE_URL: 'mysql://root:hunter2@db/y',
    });
    expect(line).toBe(
      'evidence-worker: DATABASE_URL: expected a URL starting with "file:" or "postgres://", got "mysql:..."',
    );
  });
});

describe('readiness', () => {
  it('names each criterion a control may support once, in catalogue order', async () => {
    const store = freshStoreUrl('sqlite');
    const config = writeConfig(`store:\n  url: ${store}\nredis:\n  prefix: ${freshRedisPrefix()}\n`);
    const result = await runCli(['--config', config, 'readiness', '--period', '2026-Q4']);
    const line = result.stdout.split('\n').find((text) => text.startsWith('A.8.32'));
    expect(line).toBe('A.8.32  Change management: CC8.1; evidence no');
    for (const row of result.stdout.split('\n').filter((text) => /^A\.\d/.test(text))) {
      const supports = row.slice(row.indexOf(': ') + 2, row.lastIndexOf('; evidence')).split(', ');
      expect(new Set(supports).size, row).toBe(supports.length);
    }
  });
});

describe.concurrent('a check policy error reads like every other config error', () => {
  it('names checks.<id>.<field>, what was expected and what was given, exit 2', async () => {
    const config = writeConfig(
      `store:\n  url: ${freshStoreUrl('sqlite')}\nredis:\n  prefix: ${freshRedisPrefix()}\nchecks:\n  change-review:\n    requiredApprovals: two\n`,
    );
    const line = await oneLine(['--config', config, 'checks', 'run', '--period', '2026-Q1']);
    expect(line).toBe(
      'evidence-worker: config: checks.change-review.requiredApprovals: expected a number, got "two"',
    );
  });
});

describe.concurrent('LOG_LEVEL overrides the config logLevel', () => {
  // A mistyped HR file fails its window with a warning log line: something to log without any source.
  function config(logLevel: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-log-'));
    return writeConfig(
      `store:\n  url: "file:${path.join(dir, 'evidence.db')}"\nlogLevel: ${logLevel}\nconnectors:\n  hr-file:\n    file: "${path.join(dir, 'nope.csv')}"\n`,
    );
  }
  const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.includes('"level":40'));

  it('turns logging on over a silent config', async () => {
    const result = await runCli(['--config', config('silent'), 'collect', '--inline'], {
      env: { LOG_LEVEL: 'warn' },
    });
    expect(warnings(result.stderr)).not.toEqual([]);
  });

  it('turns logging off over a warn config, and the config alone still logs', async () => {
    const file = config('warn');
    const quiet = await runCli(['--config', file, 'collect', '--inline'], { env: { LOG_LEVEL: 'silent' } });
    const loud = await runCli(['--config', file, 'collect', '--inline']);
    expect(warnings(quiet.stderr)).toEqual([]);
    expect(warnings(loud.stderr)).not.toEqual([]);
  });

  it('a level pino does not know is one line, exit 2', async () => {
    const line = await oneLine(['--config', config('info'), 'streams'], { LOG_LEVEL: 'verbose' });
    expect(line).toBe(
      'evidence-worker: LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
  });
});
