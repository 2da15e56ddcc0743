import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { DAY } from '../../src/time.js';
import { runCli } from '../support/cli.js';
import { day, githubCliConfig } from './support/cli-config.js';

describe("GitHub backfill within a fraction of GitHub's rate budget", () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    // About 13 commits a day, as a real repository of a small company.
    sandbox = await startGithubSandbox({ seed: 5, days: 70, repos: 1, commitsPerDay: 13 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('60 days: exact population, every day covered, at most 0.1 points per production change', async () => {
    const truth = sandbox.groundTruth;
    const from = truth.historyEnd - 61 * DAY;
    const to = truth.historyEnd - DAY;
    const inPeriod = (at: number) => at >= from && at < to;
    const expected =
      truth.commits.filter((c) => c.repo === 'acme/api' && inPeriod(c.committedAt)).length +
      truth.forcePushes.filter((p) => p.repo === 'acme/api' && inPeriod(p.at)).length;
    expect(expected).toBeGreaterThan(600);
    const config = githubCliConfig(sandbox.url);
    const env = { env: { GITHUB_TOKEN: 'ghp_budget_test' } };
    const period = ['--from', day(from), '--to', day(to - DAY), '--stream', 'github-production-changes'];
    const before = { ...sandbox.requests.points };
    const backfill = await runCli(['--config', config, 'backfill', ...period, '--inline', '--json'], env);
    expect(backfill.code, backfill.stderr).toBe(0);
    const [summary] = JSON.parse(backfill.stdout) as {
      windows: number;
      succeeded: number;
      items: { new: number };
    }[];
    expect(summary?.items.new).toBe(expected);
    // Month windows (the stream's backfill span), not sixty day reads.
    expect(summary?.windows).toBeLessThanOrEqual(3);
    expect(summary?.succeeded).toBe(summary?.windows);
    const graphql = sandbox.requests.points.graphql - before.graphql;
    const rest = sandbox.requests.points.core - before.core;
    expect(graphql).toBeGreaterThan(0);
    expect((graphql + rest) / expected).toBeLessThanOrEqual(0.1);
    // The sandbox's REST breakdown by route (the bench prints it) adds up to what it charged.
    const byRoute = Object.values(sandbox.requests.coreByRoute).reduce((sum, n) => sum + n, 0);
    expect(byRoute).toBe(sandbox.requests.points.core);
    // The ledger counts the month windows for every day in them: continuity finds no gap.
    const continuity = await runCli(['--config', config, 'continuity', ...period, '--json'], env);
    expect(continuity.code, continuity.stdout).toBe(0);
  });
});
