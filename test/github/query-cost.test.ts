import { describe, expect, it } from 'vitest';
import { firstRoundQueries } from '../../connectors/github/history-rounds.js';
import {
  COUNT_REQUESTS,
  HISTORY_PAGE,
  LOOKUP_REQUESTS,
  PRODUCTION_CHANGES_QUERY,
  lateCommitsQuery,
  pageRequests,
  productionChangesQuery,
} from '../../connectors/github/production-changes-query.js';
import { queryCost, queryRequests } from '../../src/sandbox/github/query-cost.js';

describe('GitHub GraphQL cost formula (sandbox)', () => {
  it("gives GitHub's published example: 1 + 100 + 5,000 requests, 51 points", () => {
    const query = `query {
      viewer {
        login
        repositories(first: 100) {
          edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } }
        }
      }
    }`;
    expect(queryRequests(query)).toBe(5_101);
    expect(queryCost(query)).toBe(51);
  });

  it('reads page sizes given as variables and charges at least one point', () => {
    const query = `query Q($n: Int!, $first: Int) { viewer { repositories(first: $n) { nodes { name } } } }`;
    expect(queryRequests(query, { n: 30 })).toBe(1);
    expect(queryCost(query, { n: 30 })).toBe(1);
  });

  it('charges the old production-changes shape 17 points and the current one 1 point a page', () => {
    const old = `query ProductionChanges($owner: String!) { repository(owner: $owner, name: "x") {
      defaultBranchRef { target { ... on Commit { history(first: 100) { nodes { oid
        checkSuites(first: 10) { nodes { checkRuns(first: 100) { nodes { name } } } }
        associatedPullRequests(first: 5) { nodes { number reviews(first: 100) { nodes { state } } } }
      } } } } } }`;
    expect(queryRequests(old)).toBe(1 + 100 + 1_000 + 100 + 500);
    expect(queryCost(old)).toBe(17);
    expect(queryRequests(PRODUCTION_CHANGES_QUERY)).toBe(1 + HISTORY_PAGE * 4);
    expect(queryCost(PRODUCTION_CHANGES_QUERY)).toBe(1);
  });

  it("charges a newest window's first round, with the branch counts of every repository, one point", () => {
    for (const repositories of [1, 5, 20]) {
      const [reads, ...more] = firstRoundQueries(
        Array.from({ length: repositories }, (_, repo) => ({ repo, demand: 1 })),
        COUNT_REQUESTS,
      );
      expect(more).toEqual([]);
      const sizes = reads!.map((read) => read.size);
      const query = productionChangesQuery(sizes, true);
      // The two counts (before the window, from its end) are one request each.
      expect(queryRequests(query)).toBe(
        sizes.reduce((sum, size) => sum + pageRequests(size) + COUNT_REQUESTS, 0),
      );
      expect(queryCost(query)).toBe(1);
    }
  });

  it('charges 35 commits looked up by SHA, across repositories, one point', () => {
    const query = lateCommitsQuery([20, 10, 5]);
    expect(queryRequests(query)).toBe(HISTORY_PAGE * LOOKUP_REQUESTS);
    expect(queryCost(query)).toBe(1);
  });
});
