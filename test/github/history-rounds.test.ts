import { describe, expect, it } from 'vitest';
import {
  POINT_REQUESTS,
  firstRoundQueries,
  nextPageSize,
  packReads,
} from '../../connectors/github/history-rounds.js';
import {
  COUNT_REQUESTS,
  pageRequests,
  productionChangesQuery,
} from '../../connectors/github/production-changes-query.js';
import { queryCost } from '../../src/sandbox/github/query-cost.js';

describe('history rounds: repositories read together at one point a query', () => {
  it('a first round gives one repository a full page and shares a point among up to 28', () => {
    const first = (count: number, extra = 0) =>
      firstRoundQueries(
        Array.from({ length: count }, (_, repo) => ({ repo, demand: 1 })),
        extra,
      );
    expect(first(1).map((query) => query.map((read) => read.size))).toEqual([[35]]);
    expect(first(1, COUNT_REQUESTS).map((query) => query.map((read) => read.size))).toEqual([[34]]);
    // Four share 35 commits' worth of requests less their own: 8 or 9 each, not 8 and 3 left unused.
    expect(
      first(4)
        .flat()
        .map((read) => read.size),
    ).toEqual([9, 9, 8, 8]);
    expect(first(28)).toHaveLength(1);
    expect(
      first(28)
        .flat()
        .every((read) => read.size === 1),
    ).toBe(true);
    expect(first(200).map((query) => query.length)).toEqual([28, 28, 28, 28, 28, 28, 28, 4]);
    for (const count of [1, 2, 3, 4, 7, 12, 28, 29, 200])
      for (const extra of [0, COUNT_REQUESTS])
        for (const query of first(count, extra))
          expect(
            queryCost(
              productionChangesQuery(
                query.map((read) => read.size),
                extra > 0,
              ),
            ),
            `${count} repositories`,
          ).toBe(1);
  });

  it("gives a first round's spare commits to the repositories known to hold more, still one point", () => {
    // The run before already saw 6 commits dated in this window on repository 2, none on the others.
    const demands = [1, 1, 7, 1, 1, 1, 1, 1, 1, 1];
    const [query, ...more] = firstRoundQueries(
      demands.map((demand, repo) => ({ repo, demand })),
      COUNT_REQUESTS,
    );
    expect(more).toEqual([]);
    const sizes = query!.map((read) => read.size);
    expect(sizes[2]).toBeGreaterThanOrEqual(7);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    // The whole point is used: one more commit anywhere would cost a second point.
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(
      Math.floor((POINT_REQUESTS - 10 * (pageRequests(0) + COUNT_REQUESTS)) / 4),
    );
    expect(queryCost(productionChangesQuery(sizes, true))).toBe(1);
    expect(query!.every((read) => read.after === null && read.extra === COUNT_REQUESTS)).toBe(true);
  });

  it('packs reads so that every query costs one point, biggest first', () => {
    const reads = [35, 3, 20, 1, 8, 8, 2, 35].map((size, repo) => ({ repo, after: null, size, read: 0 }));
    const queries = packReads(reads);
    expect(
      queries
        .flat()
        .map((read) => read.repo)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const query of queries) {
      expect(query.reduce((sum, read) => sum + pageRequests(read.size), 0)).toBeLessThanOrEqual(
        POINT_REQUESTS,
      );
      expect(queryCost(productionChangesQuery(query.map((read) => read.size)))).toBe(1);
    }
    expect(queries).toHaveLength(4);
    expect(nextPageSize(0)).toBe(1);
    expect(nextPageSize(500)).toBe(35);
  });
});
