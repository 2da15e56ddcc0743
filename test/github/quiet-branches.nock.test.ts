import { describe, expect, it } from 'vitest';
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

const HOUR = 3_600_000;
const WINDOW = { start: Date.UTC(2026, 2, 2, 9), end: Date.UTC(2026, 2, 2, 10) };
const NEXT = { start: WINDOW.end, end: WINDOW.end + HOUR };
const iso = (at: number) => new Date(at).toISOString().replace('.000Z', 'Z');
const HEAD = sha(1_000);
const MOVED = sha(2_000);
/** The hour before was read at HEAD: 40 commits before its end, none dated at or after it, no push since. */
const PRIOR = {
  through: WINDOW.start,
  heads: { [REPO]: { oid: HEAD, branch: 'master', upto: 40, later: 0, pushedAt: PUSHED_AT } },
};
const ETAG = 'W/"7f3ac5b1"';

/** GET /repos/{owner}/{repo}/branches/{branch}, as GitHub answers it (fields trimmed to the documented ones). */
const branch = (at: string) => ({
  name: 'master',
  commit: {
    sha: at,
    node_id: 'C_kwDOABCD',
    url: `${API}${PATH}/commits/${at}`,
    html_url: `https://github.com/${REPO}/commit/${at}`,
    comments_url: `${API}${PATH}/commits/${at}/comments`,
    commit: { message: 'Merge pull request #7', comment_count: 0 },
    author: null,
    committer: null,
    parents: [],
  },
  _links: { self: `${API}${PATH}/branches/master`, html: `https://github.com/${REPO}/tree/master` },
  protected: false,
  protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [] } },
  protection_url: `${API}${PATH}/branches/master/protection`,
});

/** This hour's history at MOVED: one commit in it, 40 before it, `later` dated at or after its end. */
const history = (later: number) => ({
  data: {
    r0: {
      defaultBranchRef: {
        name: 'master',
        target: {
          oid: MOVED,
          before: { totalCount: 40 },
          later: { totalCount: later },
          history: {
            totalCount: 1,
            pageInfo: { hasNextPage: false, endCursor: 'c1' },
            nodes: [commitNode(21, iso(WINDOW.start + 600_000))],
          },
        },
      },
    },
  },
});

const newClient = () => githubClient(githubConfig({ org: 'octokit-fixture-org', repos: [REPO] }));

offline();

describe('github-production-changes: a branch that has not moved is not read (nock)', () => {
  it('sends no history query while the branch stays, asking it again with its ETag (a 304)', async () => {
    const client = newClient();
    const first = repositoryAndActivity()
      .get(`${PATH}/branches/master`)
      .reply(200, branch(HEAD), { etag: ETAG });
    const hour = await collectWindow(client, WINDOW, PRIOR);
    expect(first.isDone()).toBe(true);
    expect(hour.items).toEqual([]);
    expect(hour.cursor).toEqual({ through: WINDOW.end, heads: PRIOR.heads });

    const second = repositoryAndActivity()
      .get(`${PATH}/branches/master`)
      .matchHeader('if-none-match', ETAG)
      .reply(304, '', { etag: ETAG });
    const next = await collectWindow(client, NEXT, hour.cursor);
    expect(second.isDone()).toBe(true);
    expect(next.items).toEqual([]);
    expect(next.cursor).toEqual({ through: NEXT.end, heads: PRIOR.heads });
  });

  it('reads the history when the branch moved, counting what is dated at or after the window end', async () => {
    const bodies: { query: string; variables: Record<string, unknown> }[] = [];
    const scope = repositoryAndActivity()
      .get(`${PATH}/branches/master`)
      .reply(200, branch(MOVED))
      .post('/graphql', (body: (typeof bodies)[number]) => bodies.push(body) > 0)
      .reply(200, history(2));
    const { items, cursor } = await collectWindow(newClient(), WINDOW, PRIOR);
    expect(scope.isDone()).toBe(true);
    expect(bodies[0]?.query).toMatch(/later: history\(first: 1, since: \$end\)/);
    expect(bodies[0]?.variables.end).toBe(new Date(WINDOW.end).toISOString());
    expect(items.map((item) => item.key)).toEqual([`${REPO}@${sha(21)}`]);
    // Two commits dated after this hour are already on the branch: the next hour must read.
    expect(cursor).toEqual({
      through: WINDOW.end,
      heads: { [REPO]: { oid: MOVED, branch: 'master', upto: 41, later: 2, pushedAt: PUSHED_AT } },
    });
  });

  it('does not ask the branch once the repository was pushed to since (it has most likely moved)', async () => {
    const prior = {
      ...PRIOR,
      heads: { [REPO]: { ...PRIOR.heads[REPO]!, pushedAt: '2017-10-09T08:00:00Z' } },
    };
    const scope = repositoryAndActivity().post('/graphql').reply(200, history(0));
    const { items } = await collectWindow(newClient(), WINDOW, prior);
    expect(scope.isDone()).toBe(true);
    expect(items).toHaveLength(1);
  });

  it('does not ask the branch when the run before saw commits dated after its window', async () => {
    const prior = { ...PRIOR, heads: { [REPO]: { ...PRIOR.heads[REPO]!, later: 1 } } };
    const scope = repositoryAndActivity().post('/graphql').reply(200, history(0));
    const { items } = await collectWindow(newClient(), WINDOW, prior);
    expect(scope.isDone()).toBe(true);
    expect(items).toHaveLength(1);
  });

  it('after a pause, or for a head read without counts, reads the history whatever the branch', async () => {
    const paused = { ...PRIOR, through: WINDOW.start - HOUR };
    const withoutCounts = { ...PRIOR, heads: { [REPO]: { oid: HEAD, branch: 'master' } } };
    for (const prior of [paused, withoutCounts]) {
      // Nothing tells what reached the branch since HEAD, so GitHub compares too.
      const scope = repositoryAndActivity()
        .post('/graphql')
        .reply(200, history(0))
        .get(`${PATH}/compare/${HEAD}...${MOVED}`)
        .query(true)
        .reply(200, { commits: [] });
      const { items } = await collectWindow(newClient(), WINDOW, prior);
      expect(scope.isDone()).toBe(true);
      expect(items).toHaveLength(1);
    }
  });

  it('reads the history when the branch is gone or renamed (404)', async () => {
    const scope = repositoryAndActivity()
      .get(`${PATH}/branches/master`)
      .reply(404, { message: 'Branch not found', documentation_url: 'https://docs.github.com/rest' })
      .post('/graphql')
      .reply(200, history(0));
    const { items } = await collectWindow(newClient(), WINDOW, PRIOR);
    expect(scope.isDone()).toBe(true);
    expect(items).toHaveLength(1);
  });
});
