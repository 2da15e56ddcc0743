import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { DAY, gridWindows } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import { storedItems } from './support/harness.js';
import { LAG, populationSince, readAsInService } from './support/service-run.js';

const NOW = Date.UTC(2026, 5, 15, 8, 0, 0);

/**
 * In service, each day is read once, ten minutes after it closed. Commits merged days after their
 * committer date (a merge commit bringing in a branch's older commits) were never on the default branch
 * when their day was read: later windows must find them.
 */
describe('github-production-changes in service: commits merged after their day was read', () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ seed: 11, now: NOW, days: 120, repos: 2, commitsPerDay: 3 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('day by day, as the planner reads them, the population is exactly the ground truth', async () => {
    const truth = sandbox.groundTruth;
    const from = truth.historyEnd - 90 * DAY;
    const late = truth.commits.filter((c) => c.committedAt >= from && c.reachableAt - c.committedAt > DAY);
    // Planted in the first repository, reaching main two days and three hours after their date.
    expect(late.length).toBeGreaterThan(3);
    const { store, url } = await freshStore('sqlite');
    try {
      const streamId = await readAsInService(sandbox, store, gridWindows(from, truth.historyEnd, DAY));
      // GitHub is asked what became reachable only where the branch's count before the window moved (a late
      // arrival) or a force push may have replaced commits: not every day.
      const windows = gridWindows(from, truth.historyEnd, DAY).slice(1);
      const arrivedIn = (window: { start: number; end: number }) =>
        late.some(
          (c) =>
            c.committedAt < window.start &&
            c.reachableAt > window.start + LAG &&
            c.reachableAt <= window.end + LAG,
        ) || truth.forcePushes.some((p) => p.at >= window.start && p.at < window.end);
      const compares = Object.entries(sandbox.requests.byRoute)
        .filter(([route]) => route.startsWith('GET /repos/acme/api/compare/'))
        .reduce((sum, [, count]) => sum + count, 0);
      expect(compares).toBe(windows.filter(arrivedIn).length);
      expect(compares).toBeLessThan(windows.length / 3);
      const items = await storedItems(store, streamId);
      expect(items.map((item) => item.key).sort()).toEqual(populationSince(truth, from));
      // Each late commit stored under its own committer date, with its pull request and reviews.
      const byKey = new Map(items.map((item) => [item.key, item]));
      for (const commit of late) {
        const item = byKey.get(commit.key);
        expect(item?.occurredAt).toBe(commit.committedAt);
        expect((item?.payload.pullRequests as unknown[]).length).toBeGreaterThan(0);
      }
      // None could have been read with its own day: each reached main after that day's read.
      for (const commit of late)
        expect(commit.reachableAt).toBeGreaterThan(Math.floor(commit.committedAt / DAY) * DAY + DAY + LAG);
    } finally {
      await store.close();
      await dropStore(url);
    }
  });
});
