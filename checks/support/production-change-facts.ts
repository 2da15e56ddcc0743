import { z } from 'zod';
import {
  checkRunFactSchema,
  forcePushSchema,
  pullRequestFactSchema,
} from '../../connectors/github/production-change-payload.js';

/** The stream these checks read. */
export const PRODUCTION_CHANGES = 'github-production-changes';

/**
 * A stored production change in either shape the store holds: the facts-only shape (every merged pull
 * request with its reviews), or the shape written before checks existed (one pull request into the
 * default branch and its standing approvals). Old versions are never rewritten, so checks read both.
 */
const legacyCommitSchema = z.object({
  type: z.literal('commit'),
  repo: z.string(),
  branch: z.string(),
  sha: z.string(),
  message: z.string(),
  author: z.object({ login: z.string().nullable() }),
  pullRequest: z
    .object({
      number: z.number().int(),
      title: z.string(),
      url: z.string(),
      author: z.string().nullable(),
      mergedBy: z.string().nullable(),
      mergedAt: z.string().nullable(),
      headSha: z.string(),
    })
    .nullable(),
  approvals: z.array(
    z.object({ reviewer: z.string().nullable(), commit: z.string().nullable(), onFinalHead: z.boolean() }),
  ),
  checks: z.object({ runs: z.array(checkRunFactSchema), combinedStatus: z.string().nullable() }),
});

const currentCommitSchema = z.object({
  type: z.literal('commit'),
  repo: z.string(),
  branch: z.string(),
  sha: z.string(),
  message: z.string(),
  author: z.object({ login: z.string().nullable() }),
  pullRequests: z.array(pullRequestFactSchema),
  checks: z.object({ runs: z.array(checkRunFactSchema), combinedStatus: z.string().nullable() }),
});

/** An approval still standing when the pull request merged. */
export interface StandingApproval {
  readonly reviewer: string | null;
  readonly onFinalHead: boolean;
}

/** A merged pull request containing the commit, with its standing approvals. */
export interface MergedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  readonly baseRefName: string;
  readonly headRefName: string;
  readonly author: string | null;
  /** Who merged it: the act of that account at `mergedAt`. */
  readonly mergedBy: string | null;
  readonly mergedAt: string | null;
  readonly approvals: readonly StandingApproval[];
}

/** A commit on the default branch, normalised for judging. */
export interface CommitFacts {
  readonly type: 'commit';
  readonly repo: string;
  readonly branch: string;
  readonly sha: string;
  readonly message: string;
  readonly commitAuthor: string | null;
  readonly pullRequests: readonly MergedPullRequest[];
  readonly checks: z.infer<typeof currentCommitSchema>['checks'];
}

export type ForcePushFacts = z.infer<typeof forcePushSchema>;

const DECISIVE = new Set(['approved', 'changes_requested', 'dismissed']);

/** A reviewer's latest decisive review (comments do not count) stands; approvals among them are approvals. */
export function standingApprovals(
  reviews: z.infer<typeof pullRequestFactSchema>['reviews'],
  finalHead: string,
): StandingApproval[] {
  const latest = new Map<string, { state: string; commit: string | null; reviewer: string | null }>();
  const ordered = [...reviews].sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''));
  for (const review of ordered) {
    if (DECISIVE.has(review.state.toLowerCase())) latest.set(review.reviewer ?? '(ghost)', review);
  }
  return [...latest.values()]
    .filter((review) => review.state.toLowerCase() === 'approved')
    .map((review) => ({ reviewer: review.reviewer, onFinalHead: review.commit === finalHead }));
}

export const productionChangeFactsSchema = z
  .union([currentCommitSchema, legacyCommitSchema, forcePushSchema.extend({ flags: z.unknown().optional() })])
  .transform((change): CommitFacts | ForcePushFacts => {
    if (change.type === 'force_push') {
      const { flags: _flags, ...facts } = change;
      return facts;
    }
    const base = {
      type: 'commit' as const,
      repo: change.repo,
      branch: change.branch,
      sha: change.sha,
      message: change.message,
      commitAuthor: change.author.login,
      checks: change.checks,
    };
    if ('pullRequests' in change)
      return {
        ...base,
        pullRequests: change.pullRequests.map((pr) => ({
          number: pr.number,
          title: pr.title,
          body: pr.body,
          url: pr.url,
          baseRefName: pr.baseRefName,
          headRefName: pr.headRefName,
          author: pr.author,
          mergedBy: pr.mergedBy,
          mergedAt: pr.mergedAt,
          approvals: standingApprovals(pr.reviews, pr.headSha),
        })),
      };
    const pr = change.pullRequest;
    return {
      ...base,
      pullRequests: pr
        ? [
            {
              number: pr.number,
              title: pr.title,
              body: '',
              url: pr.url,
              baseRefName: change.branch,
              headRefName: '',
              author: pr.author,
              mergedBy: pr.mergedBy,
              mergedAt: pr.mergedAt,
              approvals: change.approvals.map((a) => ({ reviewer: a.reviewer, onFinalHead: a.onFinalHead })),
            },
          ]
        : [],
    };
  });

export type ProductionChangeFacts = z.output<typeof productionChangeFactsSchema>;

/** `owner/repo@abc1234`, how findings name a commit. */
export function shortCommit(change: CommitFacts): string {
  return `${change.repo}@${change.sha.slice(0, 7)}`;
}
