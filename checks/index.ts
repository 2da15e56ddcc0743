import type { AnyCheck } from '../src/checks/check.js';
import type { HourlyProof } from '../src/continuity/hour-proofs.js';
import { accessChangeOutcome } from './access-change-outcome.js';
import { accessReviewRevocation } from './access-review-revocation.js';
import { branchProtection } from './branch-protection.js';
import { changeTicketApproved } from './change-ticket-approved.js';
import { changeTicketLinked } from './change-ticket-linked.js';
import { changeChecks } from './change-checks.js';
import { changeReview } from './change-review.js';
import { cloudtrailDigestsCheck, cloudtrailDigestsProof } from './cloudtrail-digests.js';
import { forcePush } from './force-push.js';
import { iamCredentials } from './iam-credentials.js';
import { joinerMoverAccess, joinerMoverAccessCheck } from './joiner-mover-access.js';
import { leaverAccessRemoval, leaverAccessRemovalCheck } from './leaver-access-removal.js';
import { loggingOperated } from './logging-operated.js';
import { orphanAccounts, orphanAccountsCheck } from './orphan-accounts.js';
import type { PeopleSettingsSource } from './people/defaults.js';
import { personMfa, personMfaCheck } from './person-mfa.js';
import { orgTwoFactor } from './org-two-factor.js';
import { securityEvents } from './security-events.js';
import { trailConfiguration } from './trail-configuration.js';

/** The checks shipped with evidence-worker; one file per check in this folder. */
export const builtInChecks: readonly AnyCheck[] = [
  changeReview,
  changeChecks,
  forcePush,
  branchProtection,
  orgTwoFactor,
  iamCredentials,
  trailConfiguration,
  accessChangeOutcome,
  securityEvents,
  loggingOperated,
  cloudtrailDigestsCheck,
  changeTicketLinked,
  changeTicketApproved,
  accessReviewRevocation,
  leaverAccessRemoval,
  joinerMoverAccess,
  orphanAccounts,
  personMfa,
];

/** The shipped checks with the people checks reading this deployment's `people` settings. */
export function builtInChecksFor(people: PeopleSettingsSource): readonly AnyCheck[] {
  const configured = new Map<string, AnyCheck>(
    [
      leaverAccessRemovalCheck(people),
      joinerMoverAccessCheck(people),
      orphanAccountsCheck(people),
      personMfaCheck(people),
    ].map((check) => [check.id, check]),
  );
  return builtInChecks.map((check) => configured.get(check.id) ?? check);
}

/** Per-hour proofs some checks give, shown in the continuity report beside their stream's coverage. */
export const builtInProofs: readonly HourlyProof[] = [cloudtrailDigestsProof];
