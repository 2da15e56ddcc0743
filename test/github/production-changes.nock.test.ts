import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { githubConnector } from '../../connectors/github/index.js';
import { productionChanges } from '../../connectors/github/production-changes.js';
import { changeChecks } from '../../checks/change-checks.js';
import { changeReview } from '../../checks/change-review.js';
import { codesByKey } from '../support/memory-facts.js';
import { EvidenceError, RateLimitedError, UsageError } from '../../src/errors.js';
import type { CollectedItem } from '../../src/stream.js';
import { dropStore, freshStore } from '../support/stores.js';
import { commitNode, historyPage, reviewNode, sha } from './support/graphql-nodes.js';
import { githubClient, githubConfig, githubRunner, silentLogger, streamInstance } from './support/harness.js';
import { API, REPO, offline, repository, repositoryAndActivity } from './support/fixture-repository.js';

const WINDOW = { start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 2, 2) };
const at = (minute: number) => new Date(WINDOW.start + minute * 60_000).toISOString().replace('.000Z', 'Z');

async function collectAll(config = githubConfig({ org: 'octokit-fixture-org', repos: [REPO] })) {
  const items: CollectedItem<Record<string, unknown>>[] = [];
  const generator = productionChanges.collect(WINDOW, undefined, {
    client: githubClient(config),
    logger: silentLogger,
    signal: new AbortController().signal,
    acquire: async () => {},
    reject: async () => {},
  });
  for await (const item of generator) items.push(item as CollectedItem<Record<string, unknown>>);
  return items;
}

offline();

describe('github-production-changes over HTTP (nock)', () => {
  it('follows history past 100 commits and nested pages of reviews and check runs', async () => {
    const first = Array.from({ length: 100 }, (_, n) => commitNode(n + 1, at(600 - n)));
    // Commit 5: 130 reviews; the only approval is on the second REST page.
    first[4] = commitNode(5, at(595), {
      pr: {
        number: 5,
        author: 'alice',
        head: sha(777),
        reviews: [reviewNode('dave', 'COMMENTED', sha(777))],
        moreReviews: true,
      },
    });
    // Commit 7: more than 100 check runs; one on the second page failed.
    first[6] = commitNode(7, at(593), { moreRuns: true });
    // Commit 9: a direct push (no pull request); commit 11: approved by its author only.
    first[8] = commitNode(9, at(591), { pr: null });
    first[10] = commitNode(11, at(589), {
      pr: {
        number: 11,
        author: 'erin',
        head: sha(11_011),
        reviews: [reviewNode('erin', 'APPROVED', sha(11_011))],
      },
    });
    // Outside the window: one second before its start, and exactly at its end (that belongs to the next day).
    const second = [
      ...Array.from({ length: 30 }, (_, n) => commitNode(200 + n, at(100 - n))),
      commitNode(998, new Date(WINDOW.end).toISOString()),
      commitNode(999, new Date(WINDOW.start - 1_000).toISOString()),
    ];
    const bodies: Record<string, unknown>[] = [];
    const reviewsPage = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        id: from + i,
        user: { login: `reviewer-${from + i}` },
        state: 'COMMENTED',
        commit_id: sha(777),
        submitted_at: '2026-02-28T10:00:00Z',
      }));
    const scope = repositoryAndActivity()
      .post('/graphql', (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(200, historyPage(first, 'cursor-100', true))
      .post('/graphql', (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(200, historyPage(second, 'cursor-132', false))
      .get('/repos/octokit-fixture-org/hello-world/pulls/5/reviews')
      .query({ per_page: 100 })
      .reply(200, reviewsPage(1, 100), {
        link: `<${API}/repositories/1000/pulls/5/reviews?per_page=100&page=2>; rel="next"`,
      })
      .get('/repositories/1000/pulls/5/reviews')
      .query({ per_page: 100, page: 2 })
      .reply(200, [
        ...reviewsPage(101, 29),
        {
          id: 130,
          user: { login: 'bob' },
          state: 'APPROVED',
          commit_id: sha(777),
          submitted_at: '2026-02-28T11:00:00Z',
        },
      ])
      .get(`/repos/octokit-fixture-org/hello-world/commits/${sha(7)}/check-runs`)
      .query({ per_page: 100 })
      .reply(
        200,
        {
          total_count: 120,
          check_runs: Array.from({ length: 100 }, (_, i) => ({
            name: `job-${i}`,
            status: 'completed',
            conclusion: 'success',
          })),
        },
        { link: `<${API}/repositories/1000/commits/${sha(7)}/check-runs?per_page=100&page=2>; rel="next"` },
      )
      .get(`/repositories/1000/commits/${sha(7)}/check-runs`)
      .query({ per_page: 100, page: 2 })
      .reply(200, {
        total_count: 120,
        check_runs: Array.from({ length: 20 }, (_, i) => ({
          name: `job-${100 + i}`,
          status: 'completed',
          conclusion: i === 19 ? 'failure' : 'success',
        })),
      });

    const items = await collectAll();
    expect(scope.isDone()).toBe(true);
    expect(items).toHaveLength(130);
    expect(new Set(items.map((item) => item.key)).size).toBe(130);
    expect(items.map((i) => i.key)).not.toContain(`${REPO}@${sha(998)}`);
    expect(bodies[1]?.variables).toMatchObject({
      owner0: 'octokit-fixture-org',
      name0: 'hello-world',
      after0: 'cursor-100',
    });
    const codes = new Map<string, string[]>();
    for (const check of [changeReview, changeChecks])
      for (const [key, found] of await codesByKey(check, productionChanges.id, items))
        codes.set(key, [...(codes.get(key) ?? []), ...found]);
    const flags = (n: number) => codes.get(`${REPO}@${sha(n)}`) ?? [];
    expect(flags(5)).toEqual([]);
    const pulls = items.find((i) => i.key === `${REPO}@${sha(5)}`)?.payload.pullRequests as
      { reviews: { state: string }[] }[] | undefined;
    expect(pulls).toMatchObject([{ baseRefName: 'main', headRefName: 'feature/5', headSha: sha(777) }]);
    expect(pulls?.[0]?.reviews.filter((review) => review.state === 'approved')).toMatchObject([
      { reviewer: 'bob', commit: sha(777) },
    ]);
    expect(flags(7)).toEqual(['checks_failed_or_missing']);
    expect(flags(9)).toEqual(['direct_push']);
    expect(flags(11)).toEqual(['self_approved_only']);
    expect(codes.size).toBe(3);
  });

  it('waits out a secondary rate limit as told by retry-after, then carries on', async () => {
    let limited = 0;
    const scope = repositoryAndActivity()
      .post('/graphql')
      .reply(() => {
        limited += 1;
        return [
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          },
          { 'retry-after': '2' },
        ];
      })
      .post('/graphql')
      .reply(200, historyPage([commitNode(1, at(10))], null, false));
    const started = performance.now();
    const items = await collectAll();
    expect(scope.isDone()).toBe(true);
    expect(limited).toBe(1);
    expect(items.map((i) => i.key)).toEqual([`${REPO}@${sha(1)}`]);
    // retry-after 2 with the test's 1 ms base: the plugin waited 2 ms, not its 60 s fallback.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a revoked token (401) fails the run once with AUTH_INVALID: no retry storm', async () => {
    let calls = 0;
    nock(API)
      .get('/repos/octokit-fixture-org/hello-world')
      .times(10)
      .reply(() => {
        calls += 1;
        return [401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }];
      });
    const { store, url } = await freshStore('sqlite');
    try {
      const config = githubConfig({ org: 'octokit-fixture-org', repos: [REPO] });
      const runner = githubRunner(store, githubClient(config), { now: WINDOW.end + 3_600_000 });
      const outcome = await runner.collect({
        stream: streamInstance(productionChanges, config),
        window: WINDOW,
        trigger: 'schedule',
        attempt: 1,
      });
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.code).toBe('AUTH_INVALID');
      expect(outcome.error?.retry).toBe('fatal');
      expect(outcome.error?.message).toContain('GITHUB_TOKEN');
      expect(calls).toBe(1);
      const run = await store.db
        .selectFrom('runs')
        .select(['status', 'error_code'])
        .executeTakeFirstOrThrow();
      expect(run).toEqual({ status: 'failed', error_code: 'AUTH_INVALID' });
    } finally {
      await store.close();
      await dropStore(url);
    }
  });

  it('an exhausted primary limit becomes RateLimitedError until x-ratelimit-reset, with one request', async () => {
    let calls = 0;
    const reset = Math.ceil(Date.now() / 1_000) + 120;
    nock(API)
      .get('/repos/octokit-fixture-org/hello-world')
      .times(5)
      .reply(() => {
        calls += 1;
        return [
          403,
          { message: 'API rate limit exceeded' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        ];
      });
    const error = await collectAll().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).code).toBe('RATE_LIMITED');
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(100_000);
    expect((error as RateLimitedError).retryAfterMs).toBeLessThan(125_000);
    expect(calls).toBe(1);
  });

  it('a 403 without rate-limit headers is fatal (AUTH_FORBIDDEN)', async () => {
    nock(API)
      .get('/repos/octokit-fixture-org/hello-world')
      .reply(403, { message: 'Resource not accessible by integration' });
    const error = await collectAll().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EvidenceError);
    expect(error).toMatchObject({ code: 'AUTH_FORBIDDEN', retry: 'fatal' });
  });

  it('lists the org repositories, leaving out archived ones and those the exclude patterns name', async () => {
    const listed = (name: string, archived = false) => ({
      ...(repository.response as object),
      name,
      full_name: `octokit-fixture-org/${name}`,
      archived,
    });
    const names: unknown[] = [];
    const scope = nock(API)
      .get('/orgs/octokit-fixture-org/repos')
      .query({ type: 'all', per_page: 100 })
      .reply(200, [listed('hello-world'), listed('old', true), listed('play-sandbox')])
      .post('/graphql', (body: { variables: { name0: string } }) => names.push(body.variables.name0) > 0)
      .reply(200, historyPage([], null, false))
      .get('/repos/octokit-fixture-org/hello-world/activity')
      .query(true)
      .reply(200, []);
    const items = await collectAll(githubConfig({ org: 'octokit-fixture-org', exclude: ['*-sandbox'] }));
    expect(scope.isDone()).toBe(true);
    expect(names).toEqual(['hello-world']);
    expect(items).toEqual([]);
  });

  it('a missing token is a config error naming connectors.github and GITHUB_TOKEN', async () => {
    const config = githubConfig({ org: 'acme' });
    // The client module loads on first use, so createClient answers with a promise.
    await expect(Promise.resolve().then(() => githubConnector.createClient(config, {}))).rejects.toThrow(
      UsageError,
    );
    await expect(Promise.resolve().then(() => githubConnector.createClient(config, {}))).rejects.toThrow(
      /connectors\.github.*GITHUB_TOKEN/,
    );
  });
});
