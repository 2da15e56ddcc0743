import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { GithubClient } from './client.js';
import type { GithubConfig } from './config.js';
import { forcePushes } from './force-pushes.js';
import {
  keptBody,
  productionChangeSchema,
  type ProductionChange,
  type PullRequestFact,
} from './production-change-payload.js';
import { firstRoundSize, nextPageSize, packReads, type HistoryRead } from './history-rounds.js';
import {
  productionChangesQuery,
  productionChangesResponseSchema,
  type CommitNode,
  type PullRequestNode,
  type RepositoryHistory,
} from './production-changes-query.js';
import { repositoriesInScope, type ScopedRepository } from './repositories.js';
import { allCheckRuns, allReviews, mergedPullRequestsOf } from './rest-fallbacks.js';
import { githubStreams } from './manifest.js';

/**
 * Every merged pull request that contains the commit, into any branch, with all its reviews. GraphQL
 * lists the first 2 pull requests containing the commit; when there are more, REST lists them all.
 */
async function mergedPullRequests(
  client: GithubClient,
  repo: ScopedRepository,
  commit: CommitNode,
): Promise<PullRequestFact[]> {
  const associated = commit.associatedPullRequests;
  if (associated?.pageInfo.hasNextPage) return mergedPullRequestsOf(client, repo, commit.oid);
  const merged: PullRequestFact[] = [];
  for (const node of associated?.nodes ?? []) {
    if (!node.merged) continue;
    const reviews = node.reviews.pageInfo.hasNextPage
      ? await allReviews(client, repo, node.number)
      : node.reviews.nodes.map((review) => ({
          reviewer: review.author?.login ?? null,
          state: review.state.toLowerCase(),
          commit: review.commit?.oid ?? null,
          submittedAt: review.submittedAt,
        }));
    merged.push(fromNode(node, reviews));
  }
  return merged;
}

function fromNode(node: PullRequestNode, reviews: PullRequestFact['reviews']): PullRequestFact {
  return {
    number: node.number,
    title: node.title,
    body: keptBody(node.body),
    url: node.url,
    baseRefName: node.baseRefName,
    headRefName: node.headRefName,
    headSha: node.headRefOid,
    author: node.author?.login ?? null,
    mergedBy: node.mergedBy?.login ?? null,
    mergedAt: node.mergedAt,
    reviews,
  };
}

async function toItem(
  client: GithubClient,
  repo: ScopedRepository,
  branch: string,
  commit: CommitNode,
): Promise<CollectedItem<ProductionChange>> {
  const pullRequests = await mergedPullRequests(client, repo, commit);
  // The rollup lists check runs and commit statuses together; statuses are summed up by `status` below.
  const contexts = commit.statusCheckRollup?.contexts;
  const runs = contexts?.pageInfo.hasNextPage
    ? await allCheckRuns(client, repo, commit.oid)
    : (contexts?.nodes ?? []).flatMap((node) => (node.__typename === 'CheckRun' ? [node] : []));
  const checks = {
    runs: runs.map((run) => ({
      name: run.name,
      status: run.status.toLowerCase(),
      conclusion: run.conclusion?.toLowerCase() ?? null,
    })),
    combinedStatus: commit.status?.state.toLowerCase() ?? null,
  };
  const committedAt = Date.parse(commit.committedDate);
  return {
    key: `${repo.fullName}@${commit.oid}`,
    occurredAt: committedAt,
    payload: {
      type: 'commit',
      repo: repo.fullName,
      branch,
      sha: commit.oid,
      message: commit.messageHeadline,
      committedAt: new Date(committedAt).toISOString(),
      author: { login: commit.author?.user?.login ?? null, date: commit.author?.date ?? null },
      committer: { login: commit.committer?.user?.login ?? null, date: commit.committer?.date ?? null },
      pullRequests,
      checks,
    },
  };
}

/**
 * Commits on each repository's default branch whose committer date lies in [start, end) (a commit at `end`
 * is next window's). Repositories are read together, several pages to a one-point query, round after
 * round until none has more: a first round of a few commits each, then pages sized by what GitHub says
 * each still holds.
 */
async function* commitsInWindow(
  client: GithubClient,
  repos: readonly ScopedRepository[],
  window: Window,
): AsyncGenerator<CollectedItem<ProductionChange>> {
  const seen = new Set<string>();
  const size = firstRoundSize(repos.length);
  let round: HistoryRead<ScopedRepository>[] = repos.map((repo) => ({ repo, after: null, size, read: 0 }));
  while (round.length > 0) {
    const next: HistoryRead<ScopedRepository>[] = [];
    for (const reads of packReads(round)) {
      const variables: Record<string, unknown> = {
        // A second of slack on both sides: GitHub's bounds are inclusive; the exact cut is made below.
        since: new Date(window.start - 1_000).toISOString(),
        until: new Date(window.end + 1_000).toISOString(),
      };
      reads.forEach(({ repo, after }, i) => {
        variables[`owner${i}`] = repo.owner;
        variables[`name${i}`] = repo.name;
        variables[`after${i}`] = after;
      });
      const data = await client.graphql(
        productionChangesQuery(reads.map((entry) => entry.size)),
        variables,
        productionChangesResponseSchema,
        `read default-branch history of ${reads.map((entry) => entry.repo.fullName).join(', ')}`,
      );
      for (const [i, { repo, read }] of reads.entries()) {
        const ref = (data[`r${i}`] as RepositoryHistory | undefined)?.defaultBranchRef;
        const history = ref?.target?.history;
        if (!ref || !history) continue; // an empty repository has no default branch yet
        for (const commit of history.nodes) {
          const at = Date.parse(commit.committedDate);
          const key = `${repo.fullName}@${commit.oid}`;
          if (at < window.start || at >= window.end || seen.has(key)) continue;
          seen.add(key);
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
    round = next;
  }
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
  async *collect(window, _cursor, ctx) {
    const repos = await repositoriesInScope(ctx.client);
    yield* commitsInWindow(ctx.client, repos, window);
    for (const repo of repos) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      yield* forcePushes(ctx.client, repo, window);
    }
  },
});
