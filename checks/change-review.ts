import { z } from 'zod';
import { defineCheck, judgeEachItem, type ItemFinding } from '../src/checks/check.js';
import {
  PRODUCTION_CHANGES,
  productionChangeFactsSchema,
  shortCommit,
  type CommitFacts,
  type MergedPullRequest,
} from './support/production-change-facts.js';

const CODES = {
  direct_push: 'reached the default branch without any merged pull request',
  promoted_without_pr:
    'reached the default branch without a pull request into it, after review in a pull request into another branch',
  unapproved: 'merged without any approval',
  self_approved_only: 'approved only by its own author',
  approval_not_on_final_head: 'no independent approval was given on the final head of the pull request',
  too_few_approvals: 'fewer independent approvals than the policy requires',
} as const;

const policy = z
  .object({
    /** A pull request into another branch (a `release` or `dev` flow) satisfies review. */
    reviewedAnywhere: z.boolean().default(false),
    /** Whose approval does not count: the PR author's only, or also the commit's own author's. */
    independentOf: z.enum(['pr-author', 'pr-and-commit-author']).default('pr-and-commit-author'),
    requiredApprovals: z.number().int().min(1).default(1),
    /** An approval counts only when given on the head that was merged. */
    approvalOnFinalHead: z.boolean().default(true),
  })
  .strict();

type Policy = z.infer<typeof policy>;

/** What is wrong with the review of one pull request, under the policy; empty when nothing. */
function reviewFindings(change: CommitFacts, pr: MergedPullRequest, rules: Policy): ItemFinding[] {
  const at = `${shortCommit(change)} (#${pr.number} into ${pr.baseRefName})`;
  const excluded = new Set(
    [pr.author, rules.independentOf === 'pr-and-commit-author' ? change.commitAuthor : null].filter(
      (login): login is string => login !== null,
    ),
  );
  const independent = pr.approvals.filter((approval) => !excluded.has(approval.reviewer ?? ''));
  const counted = rules.approvalOnFinalHead
    ? independent.filter((approval) => approval.onFinalHead)
    : independent;
  const finding = (code: keyof typeof CODES): ItemFinding[] => [
    { code, description: `${at}: ${CODES[code]}` },
  ];
  if (pr.approvals.length === 0) return finding('unapproved');
  if (independent.length === 0) return finding('self_approved_only');
  if (counted.length === 0) return finding('approval_not_on_final_head');
  if (counted.length < rules.requiredApprovals)
    return [
      {
        code: 'too_few_approvals',
        description: `${at}: ${counted.length} independent approval(s), the policy requires ${rules.requiredApprovals}`,
      },
    ];
  return [];
}

function judgeChange(change: CommitFacts, rules: Policy): ItemFinding[] {
  const merged = [...change.pullRequests].sort((a, b) => (a.mergedAt ?? '').localeCompare(b.mergedAt ?? ''));
  const into = merged.find((pr) => pr.baseRefName === change.branch);
  if (into) return reviewFindings(change, into, rules);
  const elsewhere = merged[0];
  if (!elsewhere)
    return [{ code: 'direct_push', description: `${shortCommit(change)}: ${CODES.direct_push}` }];
  if (rules.reviewedAnywhere) return reviewFindings(change, elsewhere, rules);
  return [
    {
      code: 'promoted_without_pr',
      description: `${shortCommit(change)}: no pull request into ${change.branch}; reviewed in ${elsewhere.url} (#${elsewhere.number} into ${elsewhere.baseRefName})`,
    },
  ];
}

export const changeReview = defineCheck<Policy>({
  id: 'change-review',
  version: 1,
  title: 'Production change review',
  description:
    'Every commit that reached a default branch came through a merged pull request into that branch, approved by someone other than its authors on the head that was merged.',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [PRODUCTION_CHANGES],
  codes: CODES,
  policy,
  judge: judgeEachItem(PRODUCTION_CHANGES, productionChangeFactsSchema, (fact, rules: Policy) =>
    fact.payload.type === 'commit' ? judgeChange(fact.payload, rules) : [],
  ),
});
