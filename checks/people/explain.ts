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
  access_before_start:
    "A joiner's account was listed with access more than the tolerance (one day by default) before the person's HR start date: access was granted before employment began. To the day, from the daily snapshots.",
  account_for_no_person:
    'An account was created during the period (absent from one daily snapshot, present in the next) that links to no person and is no declared service account: the creation itself, even if the account is gone again; orphan-accounts separately reports any unlinked account still active at the end of the period.',
  mover_privilege_kept:
    'A person changed department and still held an admin or privileged role in this system after the mover SLA (checks.joiner-mover-access.moverSla; off unless configured): the privilege of the old role was not reviewed.',
  unlinked_account:
    'An active account links to no person in the register at the end of the period: nobody answers for it (when it was created in the period, joiner-mover-access also reports its creation as account_for_no_person).',
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
