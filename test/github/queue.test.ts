import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.js';
import { runBackfill } from '../../src/collection/backfill.js';
import { parseConfig } from '../../src/config/load.js';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { DAY } from '../../src/time.js';
import { dropStore, freshRedisPrefix, freshStoreUrl, REDIS_URL } from '../support/stores.js';

describe('github through BullMQ on Redis', () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ seed: 4, days: 3, repos: 2 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('an exhausted primary limit delays the job until the reset instead of failing it', async () => {
    const env = { GITHUB_TOKEN: 'ghp_queue_test_token' };
    const storeUrl = freshStoreUrl('sqlite');
    const raw = {
      store: { url: storeUrl },
      redis: { url: REDIS_URL, prefix: freshRedisPrefix() },
      connectors: {
        github: { org: 'acme', repos: ['acme/api'], baseUrl: sandbox.url, graphqlInterval: '0s' },
      },
    };
    const app = await openApp({
      config: { config: parseConfig(raw, env), baseDir: process.cwd(), file: undefined, source: '' },
      env,
      logger: pino({ level: 'silent' }),
    });
    try {
      const truth = sandbox.groundTruth;
      // The day before yesterday: due whatever the time of day the test runs.
      const window = { start: truth.historyEnd - 2 * DAY, end: truth.historyEnd - DAY };
      // The limit resets one second after the first refusal; the sandbox lifts it a little later.
      sandbox.faults.set({ primaryLimitExhausted: true, primaryResetSeconds: 1 });
      let lifted: NodeJS.Timeout | undefined;
      const watch = setInterval(() => {
        if (sandbox.faults.injected.primary_rate_limit === 0 || lifted) return;
        lifted = setTimeout(() => sandbox.faults.reset(), 1_200);
      }, 20);
      const [summary] = await runBackfill(app, {
        period: window,
        streams: [app.registry.stream('github-production-changes')],
      });
      clearInterval(watch);
      expect(sandbox.faults.injected.primary_rate_limit).toBeGreaterThan(0);
      expect(summary).toMatchObject({ succeeded: 1, failed: 0 });
      const expected =
        truth.commits.filter(
          (c) => c.repo === 'acme/api' && c.committedAt >= window.start && c.committedAt < window.end,
        ).length +
        truth.forcePushes.filter((p) => p.repo === 'acme/api' && p.at >= window.start && p.at < window.end)
          .length;
      expect(expected).toBeGreaterThan(0);
      expect(summary?.items.new).toBe(expected);
      const store = await app.store();
      const runs = await store.db
        .selectFrom('runs')
        .select(['status', 'error_code'])
        .orderBy('started_at')
        .execute();
      expect(runs.at(0)).toEqual({ status: 'failed', error_code: 'RATE_LIMITED' });
      expect(runs.at(-1)).toEqual({ status: 'succeeded', error_code: null });
    } finally {
      sandbox.faults.reset();
      await app.close();
      await dropStore(storeUrl);
    }
  });
});
