import { defineStream, type CollectedItem, type Cursor } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { GithubClient } from './client.js';
import { toItem } from './commit-item.js';
import type { GithubConfig } from './config.js';
import { forcePushes } from './force-pushes.js';
import { lateMerges, newestRead, priorHeads, type HeadRead } from './late-merges.js';
import { quietRepositories } from './quiet-branches.js';
import {
  productionChangeSchema,
  type ProductionChange,
  type PullRequestFact,
} from './production-change-payload.js';
import { firstRoundQueries, nextPageSize, packReads, type HistoryRead } from './history-rounds.js';
import {
  COUNT_REQUESTS,
  productionChangesQuery,
  productionChangesResponseSchema,
  type RepositoryHistory,
} from './production-changes-query.js';
import { repositoriesInScope, type ScopedRepository } from './repositories.js';
import { githubStreams } from './manifest.js';

/**
 * Commits on each repository's default branch whose committer date lies in [start, end) (a commit at `end`
 * is next window's). Repositories are read together, several pages to a one-point query, round after
 * round until none has more: a first round of a few commits each, then pages sized by what GitHub says
 * each still holds. Returns each repository's head as the first page read it (pages after it go on from
 * that head), for `lateMerges`; `seen` collects the keys yielded.
 */
async function* commitsInWindow(
  client: GithubClient,
  repos: readonly ScopedRepository[],
  window: Window,
  seen: Set<string>,
  cursor: Cursor | undefined,
): AsyncGenerator<CollectedItem<ProductionChange>, Map<string, HeadRead>, undefined> {
  const heads = new Map<string, HeadRead>();
  const prior = priorHeads(cursor);
  const counts = newestRead(window, prior);
  const extra = counts ? COUNT_REQUESTS : 0;
  // Commits the run before already found dated in this window (`later`): known, so given page slots first.
  const demand = (repo: ScopedRepository) => 1 + (prior?.heads[repo.fullName]?.later ?? 0);
  let queries = firstRoundQueries(
    repos.map((repo) => ({ repo, demand: demand(repo) })),
    extra,
  );
  while (queries.length > 0) {
    const next: HistoryRead<ScopedRepository>[] = [];
    for (const reads of queries) {
      const variables: Record<string, unknown> = {
        // A second of slack on both sides: GitHub's bounds are inclusive; the exact cut is made below.
        since: new Date(window.start - 1_000).toISOString(),
        until: new Date(window.end + 1_000).toISOString(),
      };
      const withCounts = counts && reads.some((entry) => entry.after === null);
      if (withCounts) {
        // GitHub's bound is inclusive, committer dates whole seconds: dated before the window.
        variables.before = new Date(window.start - 1_000).toISOString();
        // Inclusive, and the next window opens at this window's end.
        variables.end = new Date(window.end).toISOString();
      }
      reads.forEach(({ repo, after }, i) => {
        variables[`owner${i}`] = repo.owner;
        variables[`name${i}`] = repo.name;
        variables[`after${i}`] = after;
      });
      const data = await client.graphql(
        productionChangesQuery(
          reads.map((entry) => entry.size),
          withCounts,
        ),
        variables,
        productionChangesResponseSchema,
        `read default-branch history of ${reads.map((entry) => entry.repo.fullName).join(', ')}`,
      );
      for (const [i, { repo, read, after }] of reads.entries()) {
        const ref = (data[`r${i}`] as RepositoryHistory | undefined)?.defaultBranchRef;
        const history = ref?.target?.history;
        if (!ref || !history) continue; // an empty repository has no default branch yet
        const target = ref.target;
        if (after === null && target?.oid)
          heads.set(repo.fullName, {
            repo,
            head: { oid: target.oid, branch: ref.name },
            before: target.before?.totalCount,
            later: target.later?.totalCount,
            inWindow: 0,
          });
        for (const commit of history.nodes) {
          const at = Date.parse(commit.committedDate);
          const key = `${repo.fullName}@${commit.oid}`;
          if (at < window.start || at >= window.end || seen.has(key)) continue;
          seen.add(key);
          const head = heads.get(repo.fullName);
          if (head) head.inWindow += 1;
          yield await toItem(client, repo, ref.name, commit);
        }
        const done = read + history.nodes.length;
        if (history.pageInfo.hasNextPage && history.pageInfo.endCursor)
          next.push({
            repo,
            after: history.pageInfo.endCursor,
            size: nextPageSize(history.totalCount - done),
            read: done,
          });
      }
    }
    queries = packReads(next);
  }
  return heads;
}

/** The merged pull request into the commit's own (default) branch, if any. */
function intoBranch(change: Extract<ProductionChange, { type: 'commit' }>): PullRequestFact | undefined {
  return change.pullRequests.find((pr) => pr.baseRefName === change.branch);
}

export const productionChanges = defineStream<GithubClient, ProductionChange, GithubConfig>({
  ...githubStreams['github-production-changes'],
  retention: () => ({
    kind: 'forever',
    reason: 'GitHub keeps commit history and pull requests indefinitely',
  }),
  itemSchema: productionChangeSchema,
  populationColumns: [
    { header: 'Repository', value: ({ payload }) => payload.repo },
    { header: 'Change', value: ({ payload }) => (payload.type === 'commit' ? 'commit' : 'force push') },
    { header: 'SHA', value: ({ payload }) => (payload.type === 'commit' ? payload.sha : payload.after) },
    { header: 'Date (UTC)', value: ({ occurredAt }) => new Date(occurredAt).toISOString() },
    { header: 'Message', value: ({ payload }) => (payload.type === 'commit' ? payload.message : '') },
    {
      header: 'Author',
      value: ({ payload }) => (payload.type === 'commit' ? payload.author.login : payload.actor),
    },
    {
      header: 'Pull request',
      kind: 'url',
      value: ({ payload }) => (payload.type === 'commit' ? (intoBranch(payload)?.url ?? 'none') : ''),
    },
    {
      header: 'Other merged pull requests',
      value: ({ payload }) =>
        payload.type === 'commit'
          ? payload.pullRequests
              .filter((pr) => pr.baseRefName !== payload.branch)
              .map((pr) => `${pr.url} (into ${pr.baseRefName})`)
              .join('; ')
          : '',
    },
    {
      header: 'Merged by',
      value: ({ payload }) => (payload.type === 'commit' ? (intoBranch(payload)?.mergedBy ?? null) : null),
    },
    {
      header: 'Reviews',
      value: ({ payload }) =>
        payload.type === 'commit'
          ? payload.pullRequests
              .flatMap((pr) =>
                pr.reviews
                  .filter((review) => review.state !== 'commented')
                  .map(
                    (review) =>
                      `#${pr.number} ${review.reviewer ?? '(ghost)'} ${review.state}${review.commit === pr.headSha ? '' : ' (earlier head)'}`,
                  ),
              )
              .join('; ')
          : '',
    },
    {
      header: 'Checks',
      value: ({ payload }) =>
        payload.type === 'commit'
          ? [
              ...payload.checks.runs.map((run) => `${run.name}=${run.conclusion ?? run.status}`),
              ...(payload.checks.combinedStatus ? [`status=${payload.checks.combinedStatus}`] : []),
            ].join('; ') || 'none'
          : '',
    },
  ],
  // The heads cursor (late-merges.ts) holds for the window after the one that wrote it.
  windowsInOrder: true,
  lateArrivals:
    'a commit reaches the default branch when it is merged or pushed, which can be days after its committer date; each run of the newest window also reads what became reachable since the head the run before read, and stores what is dated before its window under its own date',
  async *collect(window, cursor, ctx) {
    const repos = await repositoriesInScope(ctx.client);
    const seen = new Set<string>();
    // Branches that have not moved since the run before, which saw nothing dated this late: empty windows.
    const quiet = await quietRepositories(ctx.client, repos, window, cursor, ctx.signal);
    const toRead = repos.filter((repo) => !quiet.has(repo.fullName));
    const heads = yield* commitsInWindow(ctx.client, toRead, window, seen, cursor);
    // Read before late merges: a force push can replace commits without changing what the branch counts.
    const pushes: CollectedItem<ProductionChange>[] = [];
    for (const repo of repos) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      for await (const push of forcePushes(ctx.client, repo, window)) pushes.push(push);
    }
    const rewritten = new Set(pushes.map((push) => push.payload.repo));
    const next = yield* lateMerges(ctx.client, ctx.logger, window, cursor, heads, seen, rewritten);
    yield* pushes;
    return next;
  },
});
