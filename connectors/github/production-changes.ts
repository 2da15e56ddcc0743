import type { z } from 'zod';
import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import {
  CHANGE_FLAGS,
  changeFlags,
  standingApprovals,
  type ChangeFlag,
  type ReviewRecord,
} from './change-flags.js';
import type { GithubClient } from './client.js';
import type { GithubConfig } from './config.js';
import { forcePushes } from './force-pushes.js';
import { productionChangeSchema, type ProductionChange } from './production-change-payload.js';
import {
  PRODUCTION_CHANGES_QUERY,
  productionChangesResponseSchema,
  type CommitNode,
  type PullRequestNode,
} from './production-changes-query.js';
import { repositoriesInScope, type ScopedRepository } from './repositories.js';
import { allCheckRuns, allReviews, mergedPullRequestOf, type MergedPullRequest } from './rest-fallbacks.js';

/**
 * The pull request that brought the commit into the default branch, with its reviews, if any. GraphQL
 * lists the first 5 pull requests containing the commit; when there are more, REST lists them all.
 */
async function introducingPullRequest(
  client: GithubClient,
  repo: ScopedRepository,
  branch: string,
  commit: CommitNode,
): Promise<{ pr: MergedPullRequest; reviews: ReviewRecord[] } | undefined> {
  const associated = commit.associatedPullRequests;
  const node = associated?.nodes.find((candidate) => candidate.merged && candidate.baseRefName === branch);
  if (node) {
    const reviews = node.reviews.pageInfo.hasNextPage
      ? await allReviews(client, repo, node.number)
      : node.reviews.nodes.map((review) => ({
          reviewer: review.author?.login ?? null,
          state: review.state.toLowerCase(),
          commit: review.commit?.oid ?? null,
          submittedAt: review.submittedAt,
        }));
    return { pr: fromNode(node), reviews };
  }
  if (!associated?.pageInfo.hasNextPage) return undefined;
  const pr = await mergedPullRequestOf(client, repo, commit.oid, branch);
  return pr ? { pr, reviews: await allReviews(client, repo, pr.number) } : undefined;
}

function fromNode(node: PullRequestNode): MergedPullRequest {
  return {
    number: node.number,
    title: node.title,
    url: node.url,
    author: node.author?.login ?? null,
    mergedBy: node.mergedBy?.login ?? null,
    mergedAt: node.mergedAt,
    headSha: node.headRefOid,
  };
}

async function toItem(
  client: GithubClient,
  repo: ScopedRepository,
  branch: string,
  commit: CommitNode,
): Promise<CollectedItem<ProductionChange>> {
  const introduced = await introducingPullRequest(client, repo, branch, commit);
  const pr = introduced?.pr;
  const reviews = introduced?.reviews ?? [];
  const suites = commit.checkSuites;
  const overflow =
    suites !== null &&
    (suites.pageInfo.hasNextPage || suites.nodes.some((suite) => suite.checkRuns?.pageInfo.hasNextPage));
  const runs = overflow
    ? await allCheckRuns(client, repo, commit.oid)
    : (suites?.nodes ?? []).flatMap((suite) => suite.checkRuns?.nodes ?? []);
  const checks = {
    runs: runs.map((run) => ({
      name: run.name,
      status: run.status.toLowerCase(),
      conclusion: run.conclusion?.toLowerCase() ?? null,
    })),
    combinedStatus: commit.status?.state.toLowerCase() ?? null,
  };
  const approvals = pr ? standingApprovals(reviews, pr.headSha) : [];
  const commitAuthor = commit.author?.user?.login ?? null;
  const flags: ChangeFlag[] = changeFlags({
    pullRequest: pr ? { author: pr.author } : null,
    commitAuthor,
    approvals,
    checks,
  });
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
      author: { login: commitAuthor, date: commit.author?.date ?? null },
      committer: { login: commit.committer?.user?.login ?? null, date: commit.committer?.date ?? null },
      pullRequest: pr ?? null,
      approvals,
      checks,
      flags,
    },
    exceptions: flags.map((code) => ({
      code,
      description: `${repo.fullName}@${commit.oid.slice(0, 7)}: ${CHANGE_FLAGS[code]}`,
    })),
  };
}

/** Commits on the default branch whose committer date lies in [start, end): a commit at `end` is next window's. */
async function* commitsInWindow(
  client: GithubClient,
  repo: ScopedRepository,
  window: Window,
): AsyncGenerator<CollectedItem<ProductionChange>> {
  const seen = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const data: z.infer<typeof productionChangesResponseSchema> = await client.graphql(
      PRODUCTION_CHANGES_QUERY,
      {
        owner: repo.owner,
        name: repo.name,
        // A second of slack on both sides: GitHub's bounds are inclusive; the exact cut is made below.
        since: new Date(window.start - 1_000).toISOString(),
        until: new Date(window.end + 1_000).toISOString(),
        after,
      },
      productionChangesResponseSchema,
      `read default-branch history of ${repo.fullName}`,
    );
    const ref = data.repository?.defaultBranchRef;
    const history = ref?.target?.history;
    if (!ref || !history) return; // an empty repository has no default branch yet
    for (const commit of history.nodes) {
      const at = Date.parse(commit.committedDate);
      if (at < window.start || at >= window.end || seen.has(commit.oid)) continue;
      seen.add(commit.oid);
      yield await toItem(client, repo, ref.name, commit);
    }
    if (!history.pageInfo.hasNextPage || !history.pageInfo.endCursor) return;
    after = history.pageInfo.endCursor;
  }
}

export const productionChanges = defineStream<GithubClient, ProductionChange, GithubConfig>({
  id: 'github-production-changes',
  description:
    'Every commit that reached the default branch of each in-scope repository, and every force push',
  kind: 'events',
  population:
    'Every commit that reached the default branch of each in-scope GitHub repository in the period, with its pull request, approvals and checks, plus every force push to a default branch.',
  evidenceName: 'Production_Changes',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  cadence: '1d',
  silenceThreshold: '14d',
  sourceLag: '10m',
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
      value: ({ payload }) => (payload.type === 'commit' ? (payload.pullRequest?.url ?? 'none') : ''),
    },
    {
      header: 'Merged by',
      value: ({ payload }) => (payload.type === 'commit' ? (payload.pullRequest?.mergedBy ?? null) : null),
    },
    {
      header: 'Approvers',
      value: ({ payload }) =>
        payload.type === 'commit'
          ? payload.approvals.map((a) => `${a.reviewer}${a.onFinalHead ? '' : ' (earlier head)'}`).join('; ')
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
    { header: 'Flags', value: ({ payload }) => payload.flags.join('; ') },
  ],
  async *collect(window, _cursor, ctx) {
    for (const repo of await repositoriesInScope(ctx.client)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      yield* commitsInWindow(ctx.client, repo, window);
      yield* forcePushes(ctx.client, repo, window);
    }
  },
});
