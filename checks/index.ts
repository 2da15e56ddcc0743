import type { AnyCheck } from '../src/checks/check.js';
import { accessChangeOutcome } from './access-change-outcome.js';
import { branchProtection } from './branch-protection.js';
import { changeChecks } from './change-checks.js';
import { changeReview } from './change-review.js';
import { forcePush } from './force-push.js';
import { iamCredentials } from './iam-credentials.js';
import { loggingOperated } from './logging-operated.js';
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
];
