import { describe, expect, it } from 'vitest';
import type { Cursor } from '../../src/stream.js';
import { commitNode, sha } from './support/graphql-nodes.js';
import { githubClient, githubConfig } from './support/harness.js';
import {
  API,
  PATH,
  PUSHED_AT,
  REPO,
  collectWindow,
  offline,
  repositoryAndActivity,
} from './support/fixture-repository.js';

const WINDOW = { start: Date.UTC(2026, 2, 2), end: Date.UTC(2026, 2, 3) };
const iso = (at: number) => new Date(at).toISOString().replace('.000Z', 'Z');
const OLD_HEAD = sha(1_000);
const NEW_HEAD = sha(2_000);
/** The run before read the day before this window, at OLD_HEAD, and counted 40 commits before its end. */
const PRIOR = { through: WINDOW.start, heads: { [REPO]: { oid: OLD_HEAD, branch: 'master', upto: 40 } } };

/** This window's history: two commits at NEW_HEAD, and `before` commits on the branch dated before it. */
function history(before: number) {
  return {
    data: {
      r0: {
        defaultBranchRef: {
          name: 'master',
          target: {
            oid: NEW_HEAD,
            before: { totalCount: before },
            history: {
              totalCount: 2,
              pageInfo: { hasNextPage: false, endCursor: 'c2' },
              nodes: [
                commitNode(21, iso(WINDOW.start + 7_200_000)),
                commitNode(22, iso(WINDOW.start + 3_600_000)),
              ],
            },
          },
        },
      },
    },
  };
}

const compared = (n: number, at: number) => ({ sha: sha(n), commit: { committer: { date: iso(at) } } });

const collect = (cursor: Cursor | undefined) =>
  collectWindow(githubClient(githubConfig({ org: 'octokit-fixture-org', repos: [REPO] })), WINDOW, cursor);

offline();

describe('github-production-changes: commits merged after their window was read (nock)', () => {
  it('compares from the head read last, pages the comparison, and stores what is dated before the window late', async () => {
    const bodies: { query: string; variables: Record<string, unknown> }[] = [];
    const scope = repositoryAndActivity()
      .post(
        '/graphql',
        (body: { query: string; variables: Record<string, unknown> }) => bodies.push(body) > 0,
      )
      .reply(200, history(43))
      .get(`${PATH}/compare/${OLD_HEAD}...${NEW_HEAD}`)
      .query({ per_page: 100 })
      .reply(
        200,
        { commits: [compared(11, WINDOW.start - 3 * 86_400_000), compared(22, WINDOW.start + 3_600_000)] },
        {
          link: `<${API}/repositories/1296269/compare/${OLD_HEAD}...${NEW_HEAD}?per_page=100&page=2>; rel="next"`,
        },
      )
      .get(`/repositories/1296269/compare/${OLD_HEAD}...${NEW_HEAD}`)
      .query({ per_page: 100, page: 2 })
      .reply(200, {
        commits: [compared(12, WINDOW.start - 86_400_000), compared(21, WINDOW.start + 7_200_000)],
      })
      .post(
        '/graphql',
        (body: { query: string; variables: Record<string, unknown> }) => bodies.push(body) > 0,
      )
      .reply(200, {
        data: {
          r0: {
            c0: commitNode(11, iso(WINDOW.start - 3 * 86_400_000)),
            c1: commitNode(12, iso(WINDOW.start - 86_400_000)),
          },
        },
      });
    const { items, cursor } = await collect(PRIOR);
    expect(scope.isDone()).toBe(true);
    // The history query counts what the branch holds dated before the window (inclusive, whole seconds).
    expect(bodies[0]?.query).toMatch(/before: history\(first: 1, until: \$before\)/);
    expect(bodies[0]?.variables.before).toBe(new Date(WINDOW.start - 1_000).toISOString());
    // Only the two commits dated before the window are looked up, by SHA.
    expect(bodies[1]?.query).toMatch(/query LateCommits/);
    expect(bodies[1]?.variables).toEqual({
      owner0: 'octokit-fixture-org',
      name0: 'hello-world',
      oid0_0: sha(11),
      oid0_1: sha(12),
    });
    expect(items.map((item) => [item.key.split('@')[1], item.late ?? false, item.occurredAt])).toEqual([
      [sha(21), false, WINDOW.start + 7_200_000],
      [sha(22), false, WINDOW.start + 3_600_000],
      [sha(11), true, WINDOW.start - 3 * 86_400_000],
      [sha(12), true, WINDOW.start - 86_400_000],
    ]);
    expect(items[2]?.payload).toMatchObject({ branch: 'master', pullRequests: [{ number: 11 }] });
    // The next run compares from this head; 43 before the window and 2 in it.
    expect(cursor).toEqual({
      through: WINDOW.end,
      // With the repository's pushed_at as this run read it (quiet-branches.ts).
      heads: {
        [REPO]: {
          oid: NEW_HEAD,
          branch: 'master',
          upto: 45,
          pushedAt: PUSHED_AT,
        },
      },
    });
  });

  it('asks nothing more when the count before the window is what the run before counted', async () => {
    const scope = repositoryAndActivity().post('/graphql').reply(200, history(40));
    const { items, cursor } = await collect(PRIOR);
    expect(scope.isDone()).toBe(true);
    expect(items.every((item) => !item.late)).toBe(true);
    expect(cursor).toMatchObject({ heads: { [REPO]: { oid: NEW_HEAD, upto: 42 } } });
  });

  it('starts again from the head it read when the one read last was rewritten away (compare 404)', async () => {
    const scope = repositoryAndActivity()
      .post('/graphql')
      .reply(200, history(41))
      .get(`${PATH}/compare/${OLD_HEAD}...${NEW_HEAD}`)
      .query(true)
      .reply(404, { message: 'Not Found' });
    const { items, cursor } = await collect(PRIOR);
    expect(scope.isDone()).toBe(true);
    expect(items).toHaveLength(2);
    expect(cursor).toMatchObject({ through: WINDOW.end, heads: { [REPO]: { oid: NEW_HEAD, upto: 43 } } });
  });

  it('a repair of an older window leaves the heads of the newest run alone', async () => {
    const scope = repositoryAndActivity().post('/graphql').reply(200, history(0));
    const { cursor } = await collect({ ...PRIOR, through: WINDOW.end + 86_400_000 });
    expect(scope.isDone()).toBe(true);
    expect(cursor).toBeUndefined();
  });
});
