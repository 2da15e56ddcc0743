/** What each lifecycle and access review finding means, in the words the demo prints beside it. */
export const LIFECYCLE_FINDING_MEANINGS: Readonly<Record<string, string>> = {
  removed_late:
    "The leaver's access to this system ended later than the SLA after the end of employment. The delay is to the minute where a lifecycle or CloudTrail event recorded the removal, to the day where only the daily snapshots bound it.",
  not_removed:
    'The leaver still had access to this system at the last observation of the period: the account was never removed (access keys of an IAM user count).',
  removal_not_evidenced:
    'The system was not collected when the leaver lost access (the collection gap is named), so evidence-worker cannot say when access ended; the gap, not the removal, is what the auditor sees.',
  active_after_termination:
    "The leaver's account was used after the end of employment: a login, or a CloudTrail call made by the IAM user.",
  unlinked_account: 'An active account links to no person in the register: nobody answers for it.',
  account_of_inactive_person: 'An active account belongs to a person whose employment has ended.',
  service_account_owner_left:
    'A declared service account is owned by a person who has left: it needs a new owner.',
  mfa_missing: 'An active person has an account in this system without MFA.',
  review_revocation_not_done:
    'The quarterly access review decided to revoke this account, and it still held access after the review SLA: the decision was not carried out.',
  review_revocation_not_evidenced:
    'The quarterly access review decided to revoke this account, and no observation of its system before the SLA deadline shows it gone (a collection gap): the removal cannot be shown.',
};

/** One line for the demo: the finding's code, what it means, and what the check said about this case. */
export function explainFinding(finding: { code: string; description: string }): string {
  const meaning = LIFECYCLE_FINDING_MEANINGS[finding.code] ?? '';
  return `${finding.code}: ${finding.description}${meaning ? `\n  ${meaning}` : ''}`;
}
