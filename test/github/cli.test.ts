import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { DAY } from '../../src/time.js';
import { readFileSync } from 'node:fs';
import { runCli, writeConfig } from '../support/cli.js';
import { day, githubCliConfig } from './support/cli-config.js';

describe.concurrent('the github connector through the real CLI', () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ seed: 21, days: 5, repos: 2 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const config = () => githubCliConfig(sandbox.url);

  it('without GITHUB_TOKEN: one line naming connectors.github and GITHUB_TOKEN, exit code 2', async () => {
    const result = await runCli(
      ['--config', config(), 'backfill', '--from', '2026-01-01', '--to', '2026-01-01', '--inline'],
      {
        env: {},
      },
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/connectors\.github.*GITHUB_TOKEN/);
  });

  it('a backfillSpan that is no multiple of the cadence: one line naming the field, exit code 2', async () => {
    const config = writeConfig(
      `${readFileSync(githubCliConfig(sandbox.url), 'utf8')}streams:\n  github-production-changes: { backfillSpan: 36h }\n`,
    );
    const result = await runCli(['--config', config, 'streams'], { env: { GITHUB_TOKEN: 'ghp_x' } });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /streams\.github-production-changes\.backfillSpan: expected a multiple of the stream's cadence \(1d\), got 36h/,
    );
  });

  it('an inline backfill collects exactly the sandbox commits of the period', async () => {
    const truth = sandbox.groundTruth;
    // Three whole days ending the day before yesterday: due whatever the time of day the test runs.
    const from = truth.historyEnd - 4 * DAY;
    const to = truth.historyEnd - DAY;
    const inPeriod = (at: number) => at >= from && at < to;
    const expected =
      truth.commits.filter((c) => c.repo === 'acme/api' && inPeriod(c.committedAt)).length +
      truth.forcePushes.filter((p) => p.repo === 'acme/api' && inPeriod(p.at)).length;
    expect(expected).toBeGreaterThan(0);
    const result = await runCli(
      [
        '--config',
        config(),
        'backfill',
        '--from',
        day(from),
        '--to',
        day(to - DAY),
        '--stream',
        'github-production-changes',
        '--inline',
        '--json',
      ],
      { env: { GITHUB_TOKEN: 'ghp_cli_test_token' } },
    );
    expect(result.code, result.stderr).toBe(0);
    const [summary] = JSON.parse(result.stdout) as {
      stream: string;
      windows: number;
      succeeded: number;
      items: { new: number };
    }[];
    // History is read a month a window (the stream's backfill span): three days are one window, or two
    // where they straddle the 30-day grid.
    expect(summary).toMatchObject({ stream: 'github-production-changes', succeeded: summary?.windows });
    expect(summary?.windows).toBeLessThanOrEqual(2);
    expect(summary?.items.new).toBe(expected);
    expect(result.stderr).not.toContain('ghp_cli_test_token');
  });
});
