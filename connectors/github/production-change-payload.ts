import { z } from 'zod';

const person = z.object({ login: z.string().nullable(), date: z.string().nullable() });

/** A review as GitHub returned it: who, which decision, on which head commit, when. */
export const reviewFactSchema = z.object({
  reviewer: z.string().nullable(),
  /** Lower case: approved, changes_requested, commented, dismissed, pending. */
  state: z.string(),
  commit: z.string().nullable(),
  submittedAt: z.string().nullable(),
});

/** A merged pull request that contains the commit, into any branch (the default branch, `release`, ...). */
export const pullRequestFactSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  /** The description as written, cut at 4,000 characters (ticket keys live near the top). */
  body: z.string(),
  url: z.string(),
  baseRefName: z.string(),
  headRefName: z.string(),
  headSha: z.string(),
  author: z.string().nullable(),
  mergedBy: z.string().nullable(),
  mergedAt: z.string().nullable(),
  reviews: z.array(reviewFactSchema),
});

export const checkRunFactSchema = z.object({
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
});

/**
 * A commit on the default branch, as the source states it: every merged pull request containing it (with
 * its base and every review) and every check. Nothing here is judged; the checks in `checks/` do that.
 */
export const commitChangeSchema = z.object({
  type: z.literal('commit'),
  repo: z.string(),
  branch: z.string(),
  sha: z.string(),
  message: z.string(),
  committedAt: z.string(),
  author: person,
  committer: person,
  pullRequests: z.array(pullRequestFactSchema),
  checks: z.object({ runs: z.array(checkRunFactSchema), combinedStatus: z.string().nullable() }),
});

export const forcePushSchema = z.object({
  type: z.literal('force_push'),
  repo: z.string(),
  branch: z.string(),
  eventId: z.string(),
  before: z.string(),
  after: z.string(),
  actor: z.string().nullable(),
  pushedAt: z.string(),
});

/** A production change: a commit that reached the default branch, or a force push that rewrote it. */
export const productionChangeSchema = z.discriminatedUnion('type', [commitChangeSchema, forcePushSchema]);
export type ProductionChange = z.infer<typeof productionChangeSchema>;
export type CommitChange = z.infer<typeof commitChangeSchema>;
export type PullRequestFact = z.infer<typeof pullRequestFactSchema>;
export type ReviewFact = z.infer<typeof reviewFactSchema>;
export type CheckRunFact = z.infer<typeof checkRunFactSchema>;

/** Cuts a pull request body to what is kept as a fact. */
export function keptBody(body: string | null | undefined): string {
  return (body ?? '').slice(0, 4_000);
}
