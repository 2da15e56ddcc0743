import { z } from 'zod';
import type { CheckRunRecord, ReviewRecord } from './change-flags.js';
import type { GithubClient } from './client.js';
import type { ScopedRepository } from './repositories.js';

/**
 * REST reads for the rare commit whose nested GraphQL lists overflow: more than 100 reviews, more than 10
 * check suites or 100 check runs, more than 5 associated pull requests. Each follows every page.
 */

const restReviewsSchema = z.array(
  z.object({
    state: z.string(),
    submitted_at: z.string().nullable().optional(),
    commit_id: z.string().nullable(),
    user: z.object({ login: z.string() }).nullable(),
  }),
);

const restCheckRunsSchema = z.object({
  total_count: z.number().int(),
  check_runs: z.array(z.object({ name: z.string(), status: z.string(), conclusion: z.string().nullable() })),
});

const restPullSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  html_url: z.string(),
  merged_at: z.string().nullable(),
  base: z.object({ ref: z.string() }),
  head: z.object({ sha: z.string() }),
  user: z.object({ login: z.string() }).nullable(),
});

const restPullDetailSchema = restPullSchema.extend({
  merged_by: z.object({ login: z.string() }).nullable().optional(),
});

/** A pull request merged into the default branch, as the flags need it. */
export interface MergedPullRequest {
  number: number;
  title: string;
  url: string;
  author: string | null;
  mergedBy: string | null;
  mergedAt: string | null;
  headSha: string;
}

export async function allReviews(
  client: GithubClient,
  repo: ScopedRepository,
  number: number,
): Promise<ReviewRecord[]> {
  const reviews: ReviewRecord[] = [];
  for await (const page of client.pages(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    { owner: repo.owner, repo: repo.name, pull_number: number },
    restReviewsSchema,
    `list reviews of ${repo.fullName}#${number}`,
  )) {
    for (const review of page)
      reviews.push({
        reviewer: review.user?.login ?? null,
        state: review.state.toLowerCase(),
        commit: review.commit_id,
        submittedAt: review.submitted_at ?? null,
      });
  }
  return reviews;
}

export async function allCheckRuns(
  client: GithubClient,
  repo: ScopedRepository,
  sha: string,
): Promise<CheckRunRecord[]> {
  const runs: CheckRunRecord[] = [];
  for await (const page of client.pages(
    'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
    { owner: repo.owner, repo: repo.name, ref: sha },
    restCheckRunsSchema,
    `list check runs of ${repo.fullName}@${sha}`,
  )) {
    for (const run of page.check_runs) runs.push(run);
  }
  return runs;
}

/** The merged pull request into `branch` among every pull request that contains the commit, if any. */
export async function mergedPullRequestOf(
  client: GithubClient,
  repo: ScopedRepository,
  sha: string,
  branch: string,
): Promise<MergedPullRequest | undefined> {
  for await (const page of client.pages(
    'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    { owner: repo.owner, repo: repo.name, commit_sha: sha },
    z.array(restPullSchema),
    `list pull requests containing ${repo.fullName}@${sha}`,
  )) {
    const found = page.find((pr) => pr.merged_at !== null && pr.base.ref === branch);
    if (!found) continue;
    // The list omits who merged; the pull request itself says.
    const { data } = await client.get(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      { owner: repo.owner, repo: repo.name, pull_number: found.number },
      restPullDetailSchema,
      `read ${repo.fullName}#${found.number}`,
    );
    return {
      number: data.number,
      title: data.title,
      url: data.html_url,
      author: data.user?.login ?? null,
      mergedBy: data.merged_by?.login ?? null,
      mergedAt: data.merged_at,
      headSha: data.head.sha,
    };
  }
  return undefined;
}
