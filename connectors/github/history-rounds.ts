import { HISTORY_PAGE, pageRequests } from './production-changes-query.js';

/** The most requests a query may count and still cost one point: a full page of one repository, 141. */
export const POINT_REQUESTS = pageRequests(HISTORY_PAGE);

/** One repository's next history page: where it goes on from, how many commits to ask for. */
export interface HistoryRead<T> {
  readonly repo: T;
  readonly after: string | null;
  readonly size: number;
  /** History nodes read before this page: GitHub's `totalCount` less these sizes the page after it. */
  readonly read: number;
  /** Requests the page asks beside its history (the history counts of a newest window's first page). */
  readonly extra?: number;
}

/**
 * The page size for each of `count` repositories read together in a first round, so that up to 28 of them
 * share one point: a few commits each is what most repositories hold in a day. Bigger ones go on in
 * later rounds, sized by what GitHub said they hold.
 */
export function firstRoundSize(count: number, extra = 0): number {
  const together = Math.max(1, Math.min(count, Math.floor(POINT_REQUESTS / (pageRequests(1) + extra))));
  return Math.max(1, Math.min(HISTORY_PAGE, Math.floor((POINT_REQUESTS / together - 1 - extra) / 4)));
}

/** The next page size for a repository GitHub says holds `remaining` more commits in the window. */
export function nextPageSize(remaining: number): number {
  return Math.max(1, Math.min(HISTORY_PAGE, remaining));
}

/**
 * Reads packed into queries of one point each (first fit, biggest first): GitHub charges a query
 * max(1, round(requests / 100)), so several small pages cost what one does.
 */
export function packReads<T>(reads: readonly HistoryRead<T>[]): HistoryRead<T>[][] {
  const queries: { reads: HistoryRead<T>[]; requests: number }[] = [];
  for (const read of [...reads].sort((a, b) => b.size - a.size)) {
    const cost = pageRequests(read.size) + (read.extra ?? 0);
    const query = queries.find((candidate) => candidate.requests + cost <= POINT_REQUESTS);
    if (query) {
      query.reads.push(read);
      query.requests += cost;
    } else queries.push({ reads: [read], requests: cost });
  }
  return queries.map((query) => query.reads);
}
