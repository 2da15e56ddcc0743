import { describe, expect, it } from 'vitest';
import {
  POINT_REQUESTS,
  firstRoundSize,
  nextPageSize,
  packReads,
} from '../../connectors/github/history-rounds.js';
import { pageRequests, productionChangesQuery } from '../../connectors/github/production-changes-query.js';
import { queryCost } from '../../src/sandbox/github/query-cost.js';

describe('history rounds: repositories read together at one point a query', () => {
  it('a first round gives one repository a full page and shares a point among up to 28', () => {
    expect(firstRoundSize(1)).toBe(35);
    expect(firstRoundSize(4)).toBe(8);
    expect(firstRoundSize(28)).toBe(1);
    expect(firstRoundSize(200)).toBe(1);
    for (const count of [1, 2, 3, 4, 7, 12, 28]) {
      const sizes = Array.from({ length: count }, () => firstRoundSize(count));
      expect(queryCost(productionChangesQuery(sizes)), `${count} repositories`).toBe(1);
    }
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
