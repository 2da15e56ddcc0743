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

/** A repository for a first round, with how many commits its window is expected to hold (at least 1). */
export interface FirstRead<T> {
  readonly repo: T;
  readonly demand: number;
}

/**
 * First-round queries: up to 28 repositories to a one-point query (20 with the branch counts), and within
 * each the whole point's commits shared out by demand (highest demand per page slot first, each at least 1),
 * so that a busy repository's window fits its first page instead of costing a second round; a few commits
 * each is what most repositories hold in a window. Bigger ones go on in later rounds, sized by what GitHub
 * said they hold. Equal demands share evenly; a single repository gets a full page.
 */
export function firstRoundQueries<T>(entries: readonly FirstRead<T>[], extra = 0): HistoryRead<T>[][] {
  const perRepository = pageRequests(0) + extra;
  const perCommit = pageRequests(1) - pageRequests(0);
  const together = Math.max(1, Math.floor(POINT_REQUESTS / (perRepository + perCommit)));
  const queries: HistoryRead<T>[][] = [];
  for (let from = 0; from < entries.length; from += together) {
    const group = entries.slice(from, from + together);
    const sizes = group.map(() => 1);
    let spare = Math.floor((POINT_REQUESTS - group.length * perRepository) / perCommit) - group.length;
    while (spare > 0) {
      let best = -1;
      sizes.forEach((size, i) => {
        if (size >= HISTORY_PAGE) return;
        if (best < 0 || group[i]!.demand / size > group[best]!.demand / sizes[best]!) best = i;
      });
      if (best < 0) break;
      sizes[best] = sizes[best]! + 1;
      spare -= 1;
    }
    queries.push(group.map(({ repo }, i) => ({ repo, after: null, size: sizes[i]!, read: 0, extra })));
  }
  return queries;
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
