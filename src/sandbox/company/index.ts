export { buildCompany, CREATED_FOR_NOBODY, GAP_LEAVER, KEPT_ADMIN_MOVER } from './company.js';
export type { Company, CompanyOptions, JmlEvent, NonPersonAccount, PersonState } from './company.js';
export type { Person } from './roster.js';
export {
  accessEndsAt,
  accessStartsAt,
  EARLY_GITHUB_JOINER,
  FORGOTTEN_IAM_LEAVER,
  hasAccessAt,
  hasMfaIn,
  IAM_WITHOUT_MFA,
  LATE_GITHUB_LEAVER,
  LIFECYCLE_SYSTEMS,
  PLANTED_COLLECTION_GAP,
  type LifecycleSystem,
} from './lifecycle.js';
export { leaverAccessTruth, type LeaverAccessTruth, type PlantedLeaverFinding } from './lifecycle-truth.js';
export { mfaTruth, type MfaTruth } from './mfa-truth.js';
