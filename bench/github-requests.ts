/**
 * GitHub rate-limit points per production change on a realistic history (default 180 days of one repository
 * at ~13 commits a day: pull requests with reviews, check runs and commit statuses, backports, the odd
 * commit with 130 checks, 121 reviews or 7 pull requests), as the sandbox charges them by GitHub's own rules
 * (GraphQL: the query cost formula; REST: one per call, a 304 free). Three ways the connector runs, beside
 * the naive REST approach, all against the same sandbox in the same run; every one must find exactly the
 * ground truth. Prints one JSON line per figure.
 * Usage: npx tsx bench/github-requests.ts [days]
 */
import { performance } from 'node:perf_hooks';
import { Octokit } from '@octokit/rest';
import pLimit from 'p-limit';
import { pino } from 'pino';
import { createGithubClient, type GithubClient } from '../connectors/github/client.js';
import { githubConfigSchema } from '../connectors/github/config.js';
import { productionChanges } from '../connectors/github/production-changes.js';
import { backfillWindows } from '../src/collection/backfill.js';
import { startGithubSandbox } from '../src/sandbox/github/index.js';
import { parseDuration, type Window } from '../src/time.js';

const days = Number(process.argv[2] ?? 180);
const HOUR = 3_600_000;
const DAY = 86_400_000;
const sandbox = await startGithubSandbox({
  seed: 11,
  now: Date.UTC(2026, 5, 15, 8),
  days,
  repos: 1,
  commitsPerDay: 13,
});
const { historyStart, historyEnd } = sandbox.groundTruth;
const truth = (period: Window) =>
  sandbox.groundTruth.commits.filter(
    (c) => c.repo === 'acme/api' && c.committedAt >= period.start && c.committedAt < period.end,
  ).length +
  sandbox.groundTruth.forcePushes.filter(
    (p) => p.repo === 'acme/api' && p.at >= period.start && p.at < period.end,
  ).length;
const emit = (figure: Record<string, unknown>) =>
  console.log(JSON.stringify({ bench: 'github-requests', days, ...figure }));
const config = githubConfigSchema.parse({ org: 'acme', repos: ['acme/api'], baseUrl: sandbox.url });

/** Production changes the stream yields over `windows` with one client, as one worker process keeps it. */
async function countChanges(client: GithubClient, windows: readonly Window[]): Promise<number> {
  let changes = 0;
  for (const window of windows)
    for await (const _item of productionChanges.collect(window, undefined, {
      client,
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      acquire: async () => {},
      reject: async () => {},
    }))
      changes += 1;
  return changes;
}

/** The connector over `windows`, points charged. */
async function connector(approach: string, windows: readonly Window[]) {
  const client = createGithubClient(config, { GITHUB_TOKEN: 'bench' }, { graphqlSpacingMs: 0 });
  const before = { ...sandbox.requests.points };
  const started = performance.now();
  const changes = await countChanges(client, windows);
  const period = { start: windows[0]!.start, end: windows[windows.length - 1]!.end };
  if (changes !== truth(period))
    throw new Error(`${approach} found ${changes} changes, ground truth has ${truth(period)}`);
  const graphql = sandbox.requests.points.graphql - before.graphql;
  const core = sandbox.requests.points.core - before.core;
  emit({
    figure: 'points_per_change',
    approach,
    windows: windows.length,
    changes,
    graphql_points: graphql,
    rest_calls: core,
    value: Number(((graphql + core) / changes).toFixed(4)),
    graphql_per_change: Number((graphql / changes).toFixed(4)),
    target: 0.1,
    seconds: Number(((performance.now() - started) / 1_000).toFixed(2)),
  });
  return (graphql + core) / changes;
}

const grid = (period: Window, size: number) =>
  Array.from({ length: Math.round((period.end - period.start) / size) }, (_, n) => ({
    start: period.start + n * size,
    end: period.start + (n + 1) * size,
  }));
const whole = { start: historyStart, end: historyEnd };
const span = parseDuration(productionChanges.backfillSpan ?? '1d');
const backfill = await connector('backfill', backfillWindows(whole, DAY, span, historyEnd));
await connector('service_day_windows', grid(whole, DAY));
// A company that sets `cadence: 1h`: the last 14 days hour by hour. GitHub charges at least 1 point a
// query, so here the figure is bounded by the changes an hour holds (about half a commit), not by the query.
await connector('service_hour_windows', grid({ start: historyEnd - 14 * DAY, end: historyEnd }, HOUR));

// An organisation of ten repositories at two commits a day each, over 60 days: the windows read every
// repository's history together (one query where one per repository would cost ten points).
const org = await startGithubSandbox({
  seed: 12,
  now: Date.UTC(2026, 5, 15, 8),
  days: 60,
  repos: 10,
  commitsPerDay: 2,
});
{
  const orgConfig = githubConfigSchema.parse({ org: 'acme', baseUrl: org.url });
  const client = createGithubClient(orgConfig, { GITHUB_TOKEN: 'bench' }, { graphqlSpacingMs: 0 });
  const period = { start: org.groundTruth.historyStart, end: org.groundTruth.historyEnd };
  const expected =
    org.groundTruth.commits.filter((c) => !c.repo.endsWith('/legacy')).length +
    org.groundTruth.forcePushes.length;
  const before = { ...org.requests.points };
  const overflowReads = () =>
    Object.entries(org.requests.byRoute)
      .filter(([route]) => /\/(reviews|check-runs|pulls)$/.test(route))
      .reduce((sum, [, count]) => sum + count, 0);
  const changes = await countChanges(client, grid(period, DAY));
  if (changes !== expected)
    throw new Error(`org service found ${changes} changes, ground truth has ${expected}`);
  const graphql = org.requests.points.graphql - before.graphql;
  const core = org.requests.points.core - before.core;
  emit({
    figure: 'points_per_change',
    approach: 'service_day_windows_10_repositories',
    windows: 60,
    changes,
    graphql_points: graphql,
    rest_calls: core,
    value: Number(((graphql + core) / changes).toFixed(4)),
    graphql_per_change: Number((graphql / changes).toFixed(4)),
    // Each repository carries every planted edge case (130 checks, 121 reviews, 7 pull requests) in 120
    // commits, far denser than a real one: their REST reads are most of the REST calls.
    rest_for_overflowing_lists: overflowReads(),
    one_query_per_repository_would_cost: 60 * 10,
    target: 0.1,
  });
  await org.stop();
}

// The naive REST approach: list the commits, then per commit its pull requests and check runs, and per
// merged pull request its reviews (without combined statuses, which would cost one more call per commit).
const rest = new Octokit({
  auth: 'bench',
  baseUrl: sandbox.url,
  log: { debug() {}, info() {}, warn() {}, error() {} },
});
const before = sandbox.requests.points.core;
const started = performance.now();
const listed = await rest.paginate('GET /repos/{owner}/{repo}/commits', {
  owner: 'acme',
  repo: 'api',
  since: new Date(historyStart).toISOString(),
  until: new Date(historyEnd - 1).toISOString(),
  per_page: 100,
});
const limit = pLimit(16);
await Promise.all(
  listed.map((commit) =>
    limit(async () => {
      const params = { owner: 'acme', repo: 'api', commit_sha: commit.sha };
      const pulls = await rest.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', params);
      await rest.paginate('GET /repos/{owner}/{repo}/commits/{commit_sha}/check-runs', {
        ...params,
        per_page: 100,
      });
      for (const pr of pulls.data as { number: number; merged_at: string | null }[])
        if (pr.merged_at)
          await rest.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
            owner: 'acme',
            repo: 'api',
            pull_number: pr.number,
            per_page: 100,
          });
    }),
  ),
);
const restCalls = sandbox.requests.points.core - before;
const commits = sandbox.groundTruth.commits.filter((c) => c.repo === 'acme/api').length;
if (listed.length !== commits)
  throw new Error(`REST listed ${listed.length} commits, ground truth has ${commits}`);
await sandbox.stop();
const baseline = restCalls / listed.length;
emit({
  figure: 'points_per_change',
  approach: 'baseline_rest_per_commit',
  changes: listed.length,
  rest_calls: restCalls,
  value: Number(baseline.toFixed(4)),
  seconds: Number(((performance.now() - started) / 1_000).toFixed(2)),
});
emit({
  figure: 'points_ratio',
  value: Number((baseline / backfill).toFixed(1)),
  unit: 'baseline points per connector point, backfill',
});
