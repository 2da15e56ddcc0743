/** Flags an auditor sees on a production change; the codes are the exception codes of the item. */
export const CHANGE_FLAGS = {
  direct_push: 'reached the default branch without a pull request',
  unapproved: 'merged without any approval',
  self_approved_only: 'approved only by its own author',
  approval_not_on_final_head: 'no independent approval was given on the final head of the pull request',
  checks_failed_or_missing: 'checks failed, were still running, or none ran on this commit',
} as const;

export type ChangeFlag = keyof typeof CHANGE_FLAGS;

export interface ReviewRecord {
  readonly reviewer: string | null;
  readonly state: string;
  readonly commit: string | null;
  readonly submittedAt: string | null;
}

export interface Approval {
  readonly reviewer: string | null;
  readonly state: 'approved';
  readonly commit: string | null;
  readonly onFinalHead: boolean;
}

export interface CheckRunRecord {
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
}

const DECISIVE = new Set(['approved', 'changes_requested', 'dismissed']);
const PASSING = new Set(['success', 'neutral', 'skipped']);

/** Approvals still standing: a reviewer's latest decisive review (comments do not count) is an approval. */
export function standingApprovals(reviews: readonly ReviewRecord[], finalHead: string): Approval[] {
  const latest = new Map<string, ReviewRecord>();
  const ordered = [...reviews].sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''));
  for (const review of ordered) {
    if (DECISIVE.has(review.state.toLowerCase())) latest.set(review.reviewer ?? '(ghost)', review);
  }
  return [...latest.values()]
    .filter((review) => review.state.toLowerCase() === 'approved')
    .map((review) => ({
      reviewer: review.reviewer,
      state: 'approved' as const,
      commit: review.commit,
      onFinalHead: review.commit === finalHead,
    }));
}

export function checksFailedOrMissing(
  runs: readonly CheckRunRecord[],
  combinedStatus: string | null,
): boolean {
  if (runs.length === 0 && combinedStatus === null) return true;
  const runFailed = runs.some(
    (run) => run.status.toLowerCase() !== 'completed' || !PASSING.has((run.conclusion ?? '').toLowerCase()),
  );
  const statusFailed = combinedStatus !== null && combinedStatus.toLowerCase() !== 'success';
  return runFailed || statusFailed;
}

/** The flags of one commit on the default branch, from its pull request (or none), approvals and checks. */
export function changeFlags(change: {
  pullRequest: { author: string | null } | null;
  commitAuthor: string | null;
  approvals: readonly Approval[];
  checks: { runs: readonly CheckRunRecord[]; combinedStatus: string | null };
}): ChangeFlag[] {
  const flags: ChangeFlag[] = [];
  if (!change.pullRequest) {
    flags.push('direct_push');
  } else {
    const authors = new Set(
      [change.pullRequest.author, change.commitAuthor].filter((login) => login !== null),
    );
    const independent = change.approvals.filter((approval) => !authors.has(approval.reviewer ?? ''));
    if (change.approvals.length === 0) flags.push('unapproved');
    else if (independent.length === 0) flags.push('self_approved_only');
    else if (!independent.some((approval) => approval.onFinalHead)) flags.push('approval_not_on_final_head');
  }
  if (checksFailedOrMissing(change.checks.runs, change.checks.combinedStatus))
    flags.push('checks_failed_or_missing');
  return flags;
}
