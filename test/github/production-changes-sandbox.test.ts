import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionChanges } from '../../connectors/github/production-changes.js';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { DAY, gridWindows } from '../../src/time.js';
import { dropStore, freshStore, type StoreKind } from '../support/stores.js';
import {
  collectWithRetries,
  githubClient,
  githubConfig,
  githubRunner,
  storedItems,
  streamInstance,
} from './support/harness.js';

const NOW = Date.UTC(2026, 5, 15, 8, 0, 0);

/** Runs the stream over every day of the sandbox's history and compares the population with ground truth. */
async function backfillAndCompare(
  sandbox: GithubSandbox,
  kind: StoreKind,
  days: number,
  cadence: number = DAY,
) {
  const { store, url } = await freshStore(kind);
  try {
    const config = githubConfig({ org: 'acme', baseUrl: sandbox.url });
    // A cadence override (streams.<id>.cadence) as a user may set it; weekly keeps a year to 52 windows.
    const stream = { ...streamInstance(productionChanges, config), cadenceMs: cadence };
    const runner = githubRunner(store, githubClient(config), { now: NOW });
    const truth = sandbox.groundTruth;
    const from = Math.max(truth.historyStart, truth.historyEnd - days * DAY);
    // The grid may not line up with the history: cover it whole, from the window holding its first day.
    const windows = gridWindows(from, Math.ceil(truth.historyEnd / cadence) * cadence, cadence);
    expect(windows[0]?.start).toBeLessThanOrEqual(from);
    let added = 0;
    let unchanged = 0;
    // Eight windows at a time, as four workers with concurrency 2 would.
    for (let index = 0; index < windows.length; index += 8) {
      const outcomes = await Promise.all(
        windows.slice(index, index + 8).map((window) => collectWithRetries(runner, stream, window)),
      );
      for (const outcome of outcomes) {
        expect(outcome.status, outcome.error?.message).toBe('succeeded');
        added += outcome.counts.new;
        unchanged += outcome.counts.unchanged;
      }
    }
    const items = await storedItems(store, stream.id);
    const expectedCommits = truth.commits.filter((c) => c.committedAt >= from);
    const expectedPushes = truth.forcePushes.filter((p) => p.at >= from);
    // No commit missing, none doubled: each key once, one version, never seen again by a neighbouring window.
    expect(unchanged).toBe(0);
    expect(added).toBe(expectedCommits.length + expectedPushes.length);
    expect(items.every((item) => item.version === 1)).toBe(true);
    expect(items.map((i) => i.key).sort()).toEqual(
      [...expectedCommits.map((c) => c.key), ...expectedPushes.map((p) => p.key)].sort(),
    );
    // Every planted exception flagged, nothing else.
    const found = items.flatMap((item) => item.codes.map((code) => `${item.key} ${code}`)).sort();
    const planted = truth.exceptions
      .filter((e) => items.some((i) => i.key === e.key))
      .map((e) => `${e.key} ${e.code}`)
      .sort();
    expect(found).toEqual(planted);
    // Commits exactly at midnight belong to the day they open, and carry that time.
    const midnight = expectedCommits.filter((c) => c.committedAt % DAY === 0);
    expect(midnight.length).toBeGreaterThan(0);
    const byKey = new Map(items.map((i) => [i.key, i]));
    for (const commit of midnight) expect(byKey.get(commit.key)?.occurredAt).toBe(commit.committedAt);
    return { items, truth: { commits: expectedCommits, pushes: expectedPushes } };
  } finally {
    await store.close();
    await dropStore(url);
  }
}

describe('github-production-changes against the sandbox', () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ seed: 7, now: NOW, days: 365, repos: 3, commitsPerDay: 2 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('a 12-month backfill with injected faults finds exactly the ground truth (SQLite)', async () => {
    sandbox.faults.set({
      serverErrorRate: 0.03,
      secondaryRateLimitRate: 0.02,
      truncateRate: 0.02,
      timeoutRate: 0.01,
      timeoutMs: 1_500,
      retryAfterSeconds: 1,
    });
    const { items, truth } = await backfillAndCompare(sandbox, 'sqlite', 365, 7 * DAY);
    sandbox.faults.reset();
    const injected = sandbox.faults.injected;
    expect(injected.server_error).toBeGreaterThan(10);
    expect(injected.secondary_rate_limit).toBeGreaterThan(5);
    expect(injected.truncated).toBeGreaterThan(5);
    expect(injected.timeout).toBeGreaterThan(0);
    // Every kind of planted exception is present in the year.
    const codes = new Set(items.flatMap((i) => i.codes));
    for (const code of [
      'direct_push',
      'unapproved',
      'self_approved_only',
      'approval_not_on_final_head',
      'checks_failed_or_missing',
      'force_push',
    ])
      expect(codes).toContain(code);
    // The PR with 120 comments before its approval, the commit with 130 check runs, and the commit in six
    // other pull requests before its merged one all come out clean: every nested list was read to its end.
    const deep = truth.commits.filter((c) =>
      ['clean_many_reviews', 'clean_many_checks', 'clean_many_prs'].includes(c.scenario),
    );
    expect(new Set(deep.map((c) => c.scenario)).size).toBe(3);
    for (const commit of deep) expect(items.find((i) => i.key === commit.key)?.codes).toEqual([]);
    const routes = Object.keys(sandbox.requests.byRoute);
    for (const nested of [/\/pulls\/:n\/reviews$/, /\/commits\/:sha\/check-runs$/, /\/commits\/:sha\/pulls$/])
      expect(routes.some((route) => nested.test(route))).toBe(true);
    // Archived repositories are out of scope.
    expect(items.some((i) => i.key.startsWith('acme/legacy'))).toBe(false);
  });

  it('a 10-day backfill in daily windows into PostgreSQL finds exactly the ground truth', async () => {
    await backfillAndCompare(sandbox, 'postgres', 10);
  });
});
