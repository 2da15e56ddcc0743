import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { HOUR, gridWindows, type Window } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import { storedItems } from './support/harness.js';
import { LAG, populationSince, readAsInService } from './support/service-run.js';

const NOW = Date.UTC(2026, 5, 15, 8, 0, 0);

/**
 * A company that sets `cadence: 1h` reads each hour ten minutes after it closed; most hours nothing
 * reaches a branch. Such an hour must cost no GraphQL query (its branch asked with an ETag: a free 304),
 * and the population must stay exact, late merges included.
 */
describe('github-production-changes hour by hour: quiet hours cost no query', () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ seed: 7, now: NOW, days: 12, repos: 2, commitsPerDay: 6 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('hour by hour for four days: exactly the ground truth, and a query only where a branch moved or held later commits', async () => {
    const truth = sandbox.groundTruth;
    const from = truth.historyEnd - 96 * HOUR;
    const windows = gridWindows(from, truth.historyEnd, HOUR);
    const repos = [...new Set(truth.commits.map((c) => c.repo))].filter((repo) => !repo.endsWith('/legacy'));
    // Quiet, from the ground truth: for every repository, nothing reached the branch (or rewrote it)
    // between the read before and this one, and the read before found nothing dated at or after its
    // window's end.
    const quiet = (window: Window, index: number) =>
      index > 0 &&
      repos.every(
        (repo) =>
          !truth.forcePushes.some(
            (p) => p.repo === repo && p.at > window.start + LAG && p.at <= window.end + LAG,
          ) &&
          truth.commits
            .filter((c) => c.repo === repo)
            .every(
              (c) =>
                !(c.reachableAt > window.start + LAG && c.reachableAt <= window.end + LAG) &&
                !(c.reachableAt <= window.start + LAG && c.committedAt >= window.start),
            ),
      );
    const expectedQuiet = windows.filter(quiet).length;
    expect(expectedQuiet).toBeGreaterThan(windows.length / 3);
    expect(expectedQuiet).toBeLessThan(windows.length - 10);

    const { store, url } = await freshStore('sqlite');
    try {
      const points = () => sandbox.requests.points.graphql;
      const observed: boolean[] = [];
      let before = points();
      const streamId = await readAsInService(sandbox, store, windows, () => {
        observed.push(points() === before);
        before = points();
      });
      const withoutQuery = observed.filter(Boolean).length;
      // Exactly the hours the ground truth says are quiet sent no query, and no other.
      expect(observed).toEqual(windows.map(quiet));
      expect(withoutQuery).toBe(expectedQuiet);
      // Each branch asked once an hour after the first, most answers a free 304.
      expect(sandbox.requests.notModified).toBeGreaterThan(expectedQuiet);

      const stored = await storedItems(store, streamId);
      // A commit dated before the first hour and merged during these days is found too, under its date.
      const earlier = stored.filter((item) => item.occurredAt < from);
      const keys = new Set(truth.commits.map((c) => c.key));
      expect(earlier.every((item) => keys.has(item.key))).toBe(true);
      const items = stored.filter((item) => item.occurredAt >= from);
      expect(items.map((item) => item.key).sort()).toEqual(populationSince(truth, from));
      // The late merges of these days among them (one dated before the first hour), each under its own date.
      const late = truth.commits.filter(
        (c) => c.reachableAt > from + LAG && c.reachableAt > c.committedAt + HOUR,
      );
      expect(late.length).toBeGreaterThan(0);
      const byKey = new Map(stored.map((item) => [item.key, item]));
      for (const commit of late) expect(byKey.get(commit.key)?.occurredAt).toBe(commit.committedAt);
    } finally {
      await store.close();
      await dropStore(url);
    }
  });
});
