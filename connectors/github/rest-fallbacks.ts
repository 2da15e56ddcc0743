import { z } from 'zod';
import {
  keptBody,
  type CheckRunFact,
  type PullRequestFact,
  type ReviewFact,
} from './production-change-payload.js';
import type { GithubClient } from './client.js';
import type { ScopedRepository } from './repositories.js';

/**
 * REST reads for the rare commit whose nested GraphQL lists overflow: more than 100 reviews, more than 100
 * checks (runs and statuses) in its rollup, more than 2 associated pull requests. Each follows every page.
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
  body: z.string().nullable().optional(),
  base: z.object({ ref: z.string() }),
  head: z.object({ sha: z.string(), ref: z.string() }),
  user: z.object({ login: z.string() }).nullable(),
});

const restPullDetailSchema = restPullSchema.extend({
  merged_by: z.object({ login: z.string() }).nullable().optional(),
});

export async function allReviews(
  client: GithubClient,
  repo: ScopedRepository,
  number: number,
): Promise<ReviewFact[]> {
  const reviews: ReviewFact[] = [];
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
): Promise<CheckRunFact[]> {
  const runs: CheckRunFact[] = [];
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

/** Every merged pull request, into any branch, that contains the commit, with all its reviews. */
export async function mergedPullRequestsOf(
  client: GithubClient,
  repo: ScopedRepository,
  sha: string,
): Promise<PullRequestFact[]> {
  const merged: PullRequestFact[] = [];
  for await (const page of client.pages(
    'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    { owner: repo.owner, repo: repo.name, commit_sha: sha },
    z.array(restPullSchema),
    `list pull requests containing ${repo.fullName}@${sha}`,
  )) {
    for (const found of page) {
      if (found.merged_at === null) continue;
      // The list omits who merged; the pull request itself says.
      const { data } = await client.get(
        'GET /repos/{owner}/{repo}/pulls/{pull_number}',
        { owner: repo.owner, repo: repo.name, pull_number: found.number },
        restPullDetailSchema,
        `read ${repo.fullName}#${found.number}`,
      );
      merged.push({
        number: data.number,
        title: data.title,
        body: keptBody(data.body),
        url: data.html_url,
        baseRefName: data.base.ref,
        headRefName: data.head.ref,
        headSha: data.head.sha,
        author: data.user?.login ?? null,
        mergedBy: data.merged_by?.login ?? null,
        mergedAt: data.merged_at,
        reviews: await allReviews(client, repo, data.number),
      });
    }
  }
  return merged;
}
