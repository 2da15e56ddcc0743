/**
 * GitHub requests per production change for one repository with N commits in a one-day window (default
 * 10,000): the connector (GraphQL history with PRs, reviews and checks, 100 commits a request) beside the
 * obvious REST approach (list commits, then per commit its pull requests, then per PR its reviews), both
 * against the same sandbox in the same run. Prints one JSON line per figure.
 * Usage: npx tsx bench/github-requests.ts [commits]
 */
import { performance } from 'node:perf_hooks';
import { Octokit } from '@octokit/rest';
import pLimit from 'p-limit';
import { pino } from 'pino';
import { createGithubClient } from '../connectors/github/client.js';
import { githubConfigSchema } from '../connectors/github/config.js';
import { productionChanges } from '../connectors/github/production-changes.js';
import { startGithubSandbox } from '../src/sandbox/github/index.js';

const commits = Number(process.argv[2] ?? 10_000);
const DAY = 86_400_000;
const sandbox = await startGithubSandbox({
  seed: 11,
  now: Date.UTC(2026, 5, 15, 8),
  days: 1,
  repos: 1,
  commitsPerDay: 1,
  bigRepoCommits: commits,
});
const window = { start: sandbox.groundTruth.historyEnd - DAY, end: sandbox.groundTruth.historyEnd };
const inWindow = sandbox.groundTruth.commits.filter(
  (c) => c.repo === 'acme/monolith' && c.committedAt >= window.start,
);
const emit = (figure: Record<string, unknown>) =>
  console.log(JSON.stringify({ bench: 'github-requests', commits, ...figure }));

// The connector, as it runs in production (explicit repository list, one day window).
const config = githubConfigSchema.parse({ org: 'acme', repos: ['acme/monolith'], baseUrl: sandbox.url });
const client = createGithubClient(config, { GITHUB_TOKEN: 'bench' }, { graphqlSpacingMs: 0 });
let before = sandbox.requests.total;
let started = performance.now();
let changes = 0;
for await (const _item of productionChanges.collect(window, undefined, {
  client,
  logger: pino({ level: 'silent' }),
  signal: new AbortController().signal,
  acquire: async () => {},
  reject: async () => {},
}))
  changes += 1;
const connectorRequests = sandbox.requests.total - before;
const connectorSeconds = (performance.now() - started) / 1_000;
if (changes !== inWindow.length)
  throw new Error(`connector found ${changes} changes, ground truth has ${inWindow.length}`);

// The obvious REST approach on the same sandbox.
const rest = new Octokit({
  auth: 'bench',
  baseUrl: sandbox.url,
  log: { debug() {}, info() {}, warn() {}, error() {} },
});
before = sandbox.requests.total;
started = performance.now();
const listed = await rest.paginate('GET /repos/{owner}/{repo}/commits', {
  owner: 'acme',
  repo: 'monolith',
  since: new Date(window.start).toISOString(),
  until: new Date(window.end - 1).toISOString(),
  per_page: 100,
});
const limit = pLimit(16);
await Promise.all(
  listed.map((commit) =>
    limit(async () => {
      const pulls = await rest.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
        owner: 'acme',
        repo: 'monolith',
        commit_sha: commit.sha,
      });
      for (const pr of pulls.data as { number: number; merged_at: string | null }[])
        if (pr.merged_at)
          await rest.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
            owner: 'acme',
            repo: 'monolith',
            pull_number: pr.number,
            per_page: 100,
          });
    }),
  ),
);
const restRequests = sandbox.requests.total - before;
const restSeconds = (performance.now() - started) / 1_000;
if (listed.length !== inWindow.length)
  throw new Error(`REST listed ${listed.length} commits, ground truth has ${inWindow.length}`);
await sandbox.stop();

emit({
  figure: 'requests_per_change',
  approach: 'connector_graphql',
  requests: connectorRequests,
  changes,
  value: Number((connectorRequests / changes).toFixed(4)),
  target: 0.05,
  seconds: Number(connectorSeconds.toFixed(2)),
});
emit({
  figure: 'requests_per_change',
  approach: 'baseline_rest_per_commit',
  requests: restRequests,
  changes: listed.length,
  value: Number((restRequests / listed.length).toFixed(4)),
  seconds: Number(restSeconds.toFixed(2)),
  note: 'without check runs; adding them costs one more request per commit',
});
emit({
  figure: 'request_ratio',
  value: Number((restRequests / connectorRequests).toFixed(1)),
  unit: 'baseline requests per connector request',
});
