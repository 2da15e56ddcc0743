import type { CollectedItem } from '../../src/stream.js';
import type { GithubClient } from './client.js';
import { keptBody, type ProductionChange, type PullRequestFact } from './production-change-payload.js';
import type { CommitNode, PullRequestNode } from './production-changes-query.js';
import type { ScopedRepository } from './repositories.js';
import { allCheckRuns, allReviews, mergedPullRequestsOf } from './rest-fallbacks.js';

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

/** One commit GraphQL read, with what its overflowing lists needed through REST, as a production change. */
export async function toItem(
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
