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
import { createGithubClient } from '../connectors/github/client.js';
import { githubConfigSchema } from '../connectors/github/config.js';
import { productionChanges } from '../connectors/github/production-changes.js';
import { backfillWindows } from '../src/collection/backfill.js';
import { startGithubSandbox, type GithubSandbox } from '../src/sandbox/github/index.js';
import type { Cursor } from '../src/stream.js';
import { parseDuration, type Window } from '../src/time.js';

const days = Number(process.argv[2] ?? 180);
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 8);
/** The stream's source lag: the service reads a window this long after it closed. */
const LAG = 10 * 60_000;
const sandbox = await startGithubSandbox({
  seed: 11,
  now: NOW,
  days,
  repos: 1,
  commitsPerDay: 13,
});
const { historyStart, historyEnd } = sandbox.groundTruth;
const emit = (figure: Record<string, unknown>) =>
  console.log(JSON.stringify({ bench: 'github-requests', days, ...figure }));

/** Commits and force pushes of the repositories in scope inside the period, as the sandbox planted them. */
function truth(world: GithubSandbox, inScope: (repo: string) => boolean, period: Window): number {
  const inside = (at: number) => at >= period.start && at < period.end;
  return (
    world.groundTruth.commits.filter((c) => inScope(c.repo) && inside(c.committedAt)).length +
    world.groundTruth.forcePushes.filter((p) => inScope(p.repo) && inside(p.at)).length
  );
}

/**
 * The connector over `windows` with one client (as one worker process keeps it): it must find exactly
 * the ground truth; prints the points charged per production change. `service`: as the service reads,
 * each window once, its source lag after it closed (the sandbox's clock set there: commits merged late
 * are not on the branch yet), handing each run's cursor to the next, so late merges are found by the
 * compare of later windows.
 */
async function connector(
  approach: string,
  world: GithubSandbox,
  scope: { config: Record<string, unknown>; inScope: (repo: string) => boolean },
  windows: readonly Window[],
  extra: (world: GithubSandbox) => Record<string, unknown> = () => ({}),
  service = false,
) {
  const config = githubConfigSchema.parse({ org: 'acme', baseUrl: world.url, ...scope.config });
  const client = createGithubClient(config, { GITHUB_TOKEN: 'bench' }, { graphqlSpacingMs: 0 });
  const before = { ...world.requests.points };
  const restBefore = { ...world.requests.coreByRoute };
  const started = performance.now();
  const period = { start: windows[0]!.start, end: windows.at(-1)!.end };
  let changes = 0;
  let late = 0;
  let cursor: Cursor | undefined;
  // Windows that sent no GraphQL query: every branch unmoved since a read that saw nothing dated later.
  let quiet = 0;
  for (const window of windows) {
    if (service) world.setNow(window.end + LAG);
    const pointsBefore = world.requests.points.graphql;
    const run = productionChanges.collect(window, cursor, {
      client,
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      acquire: async () => {},
      reject: async () => {},
    });
    for (let next = await run.next(); ; next = await run.next()) {
      if (next.done) {
        if (next.value) cursor = next.value;
        break;
      }
      if (next.value.late) late += 1;
      // A late merge dated before the first window is outside this period's population.
      if (next.value.occurredAt >= period.start) changes += 1;
    }
    if (world.requests.points.graphql === pointsBefore) quiet += 1;
  }
  world.setNow(NOW);
  const expected = truth(world, scope.inScope, period);
  if (changes !== expected)
    throw new Error(`${approach} found ${changes} changes, ground truth has ${expected}`);
  const graphql = world.requests.points.graphql - before.graphql;
  const core = world.requests.points.core - before.core;
  emit({
    figure: 'points_per_change',
    approach,
    windows: windows.length,
    changes,
    graphql_points: graphql,
    rest_calls: core,
    value: Number(((graphql + core) / changes).toFixed(4)),
    graphql_per_change: Number((graphql / changes).toFixed(4)),
    ...(service
      ? {
          late_merges_found: late,
          windows_without_query: quiet,
          rest_by_route: restByRoute(restBefore, world.requests.coreByRoute),
        }
      : {}),
    ...extra(world),
    target: 0.1,
    seconds: Number(((performance.now() - started) / 1_000).toFixed(2)),
  });
  return (graphql + core) / changes;
}

/** REST calls charged during a run, by route, most first. */
function restByRoute(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([route, count]) => [route, count - (before[route] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort(([, a], [, b]) => b - a),
  );
}

const grid = (period: Window, size: number) =>
  Array.from({ length: Math.round((period.end - period.start) / size) }, (_, n) => ({
    start: period.start + n * size,
    end: period.start + (n + 1) * size,
  }));
const api = { config: { repos: ['acme/api'] }, inScope: (repo: string) => repo === 'acme/api' };
const whole = { start: historyStart, end: historyEnd };
const span = parseDuration(productionChanges.backfillSpan ?? '1d');
const backfill = await connector('backfill', sandbox, api, backfillWindows(whole, DAY, span, historyEnd));
await connector('service_day_windows', sandbox, api, grid(whole, DAY), undefined, true);
// A company that sets `cadence: 1h`: the last 14 days hour by hour. GitHub charges at least 1 point a
// query, so here the figure is bounded by the changes an hour holds (about half a commit), not by the query;
// an hour in which no branch moved sends none (its branch asked with an ETag, a free 304).
const lastDays = { start: historyEnd - 14 * DAY, end: historyEnd };
await connector('service_hour_windows', sandbox, api, grid(lastDays, HOUR), undefined, true);

// An organisation of ten repositories at two commits a day each, over 60 days: the windows read every
// repository's history together (one query where one per repository would cost ten points).
const org = await startGithubSandbox({
  seed: 12,
  now: NOW,
  days: 60,
  repos: 10,
  commitsPerDay: 2,
});
const everyRepository = { config: {}, inScope: (repo: string) => !repo.endsWith('/legacy') };
const orgPeriod = { start: org.groundTruth.historyStart, end: org.groundTruth.historyEnd };
await connector(
  'service_day_windows_10_repositories',
  org,
  everyRepository,
  grid(orgPeriod, DAY),
  (world) => ({
    // Each repository carries every planted edge case (130 checks, 121 reviews, 7 pull requests) in 120
    // commits, far denser than a real one: their REST reads are most of the REST calls.
    rest_for_overflowing_lists: Object.entries(world.requests.byRoute)
      .filter(([route]) => /\/(reviews|check-runs|pulls)$/.test(route))
      .reduce((sum, [, count]) => sum + count, 0),
    one_query_per_repository_would_cost: 60 * 10,
  }),
  true,
);
await org.stop();

// A busier organisation at `cadence: 1h`: ten repositories at 30 commits a day each, about 12 changes an
// hour for the org, for a week. An hour's query is shared by every repository that moved, so here the
// figure is what the pages cost, not the one point an hour.
const busy = await startGithubSandbox({ seed: 13, now: NOW, days: 9, repos: 10, commitsPerDay: 30 });
const busyWeek = { start: busy.groundTruth.historyEnd - 7 * DAY, end: busy.groundTruth.historyEnd };
await connector(
  'service_hour_windows_10_busy_repositories',
  busy,
  everyRepository,
  grid(busyWeek, HOUR),
  undefined,
  true,
);
await busy.stop();

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
