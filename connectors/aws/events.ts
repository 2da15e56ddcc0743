import type { TrailRecord } from './trail-event.js';

/**
 * Which CloudTrail events are access changes (CC6.2, CC6.3) and which are security events (CC7.2, CC7.3).
 * One place, with its sources:
 * - IAM write actions: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 *   (access level "Write" or "Permissions management" on users, groups, roles, policies and credentials);
 * - IAM Identity Center (sso-admin, logged as sso.amazonaws.com):
 *   https://docs.aws.amazon.com/singlesignon/latest/userguide/logging-using-cloudtrail.html
 * - Identity Store: https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_Operations.html
 * - Security events: CIS AWS Foundations Benchmark v3 section 4 (monitoring) and
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
 */
export const ACCESS_CHANGE_EVENTS: Readonly<Record<string, readonly string[]>> = {
  'iam.amazonaws.com': [
    // users and their sign-in credentials
    'CreateUser',
    'UpdateUser',
    'DeleteUser',
    'CreateLoginProfile',
    'UpdateLoginProfile',
    'DeleteLoginProfile',
    'CreateAccessKey',
    'UpdateAccessKey',
    'DeleteAccessKey',
    'CreateVirtualMFADevice',
    'EnableMFADevice',
    'DeactivateMFADevice',
    'ResyncMFADevice',
    'DeleteVirtualMFADevice',
    'UploadSSHPublicKey',
    'UpdateSSHPublicKey',
    'DeleteSSHPublicKey',
    'UploadSigningCertificate',
    'UpdateSigningCertificate',
    'DeleteSigningCertificate',
    'CreateServiceSpecificCredential',
    'UpdateServiceSpecificCredential',
    'DeleteServiceSpecificCredential',
    'ResetServiceSpecificCredential',
    // groups and memberships
    'CreateGroup',
    'UpdateGroup',
    'DeleteGroup',
    'AddUserToGroup',
    'RemoveUserFromGroup',
    // policy attachments: user, group, role; managed and inline; boundaries
    'AttachUserPolicy',
    'DetachUserPolicy',
    'PutUserPolicy',
    'DeleteUserPolicy',
    'AttachGroupPolicy',
    'DetachGroupPolicy',
    'PutGroupPolicy',
    'DeleteGroupPolicy',
    'AttachRolePolicy',
    'DetachRolePolicy',
    'PutRolePolicy',
    'DeleteRolePolicy',
    'PutUserPermissionsBoundary',
    'DeleteUserPermissionsBoundary',
    'PutRolePermissionsBoundary',
    'DeleteRolePermissionsBoundary',
    // roles and trust policies
    'CreateRole',
    'UpdateRole',
    'UpdateRoleDescription',
    'DeleteRole',
    'UpdateAssumeRolePolicy',
    'CreateServiceLinkedRole',
    'DeleteServiceLinkedRole',
    'CreateInstanceProfile',
    'AddRoleToInstanceProfile',
    'RemoveRoleFromInstanceProfile',
    'DeleteInstanceProfile',
    // managed policies and versions
    'CreatePolicy',
    'DeletePolicy',
    'CreatePolicyVersion',
    'DeletePolicyVersion',
    'SetDefaultPolicyVersion',
    // federation
    'CreateSAMLProvider',
    'UpdateSAMLProvider',
    'DeleteSAMLProvider',
    'CreateOpenIDConnectProvider',
    'UpdateOpenIDConnectProviderThumbprint',
    'DeleteOpenIDConnectProvider',
    'UpdateAccountPasswordPolicy',
    'DeleteAccountPasswordPolicy',
  ],
  'sso.amazonaws.com': [
    'CreatePermissionSet',
    'UpdatePermissionSet',
    'DeletePermissionSet',
    'ProvisionPermissionSet',
    'AttachManagedPolicyToPermissionSet',
    'DetachManagedPolicyFromPermissionSet',
    'AttachCustomerManagedPolicyReferenceToPermissionSet',
    'DetachCustomerManagedPolicyReferenceFromPermissionSet',
    'PutInlinePolicyToPermissionSet',
    'DeleteInlinePolicyFromPermissionSet',
    'PutPermissionsBoundaryToPermissionSet',
    'DeletePermissionsBoundaryFromPermissionSet',
    'CreateAccountAssignment',
    'DeleteAccountAssignment',
  ],
  'identitystore.amazonaws.com': [
    'CreateUser',
    'UpdateUser',
    'DeleteUser',
    'CreateGroup',
    'UpdateGroup',
    'DeleteGroup',
    'CreateGroupMembership',
    'DeleteGroupMembership',
  ],
};

const accessChangeIndex = new Set(
  Object.entries(ACCESS_CHANGE_EVENTS).flatMap(([source, names]) => names.map((name) => `${source}/${name}`)),
);

export function isAccessChange(record: TrailRecord): boolean {
  return accessChangeIndex.has(`${record.eventSource}/${record.eventName}`);
}

/**
 * Whether a raw record, not yet validated, can be an access change: false only when its source and name
 * are readable and name another event, so a record too broken to tell is validated and reported.
 */
export function mayBeAccessChange(raw: unknown): boolean {
  const { eventSource, eventName } = (raw ?? {}) as { eventSource?: unknown; eventName?: unknown };
  if (typeof eventSource !== 'string' || typeof eventName !== 'string') return true;
  return accessChangeIndex.has(`${eventSource}/${eventName}`);
}

// Trail tampering: each one can blind the audit trail.
const TRAIL_EVENTS: Readonly<Record<string, { code: string; what: string }>> = {
  StopLogging: { code: 'LOGGING_STOPPED', what: 'CloudTrail logging was stopped' },
  DeleteTrail: { code: 'TRAIL_DELETED', what: 'a CloudTrail trail was deleted' },
  UpdateTrail: { code: 'TRAIL_UPDATED', what: 'a CloudTrail trail was changed' },
  PutEventSelectors: { code: 'EVENT_SELECTORS_CHANGED', what: 'the events a trail records were changed' },
};

const MFA_REMOVAL = new Set(['DeactivateMFADevice', 'DeleteVirtualMFADevice']);

// Every event securityReasons can give by name; any other is a security event only when root made it.
const securityEventNames = new Set([
  'signin.amazonaws.com/ConsoleLogin',
  ...Object.keys(TRAIL_EVENTS).map((name) => `cloudtrail.amazonaws.com/${name}`),
  ...[...MFA_REMOVAL].map((name) => `iam.amazonaws.com/${name}`),
]);

/**
 * Whether a raw record, not yet validated, can be a security event (see mayBeAccessChange): a name
 * securityReasons names, or a call made by the root user, or a record too broken to tell.
 */
export function mayBeSecurityEvent(raw: unknown): boolean {
  const { eventSource, eventName, userIdentity } = (raw ?? {}) as {
    eventSource?: unknown;
    eventName?: unknown;
    userIdentity?: { type?: unknown } | null;
  };
  if (typeof eventSource !== 'string' || typeof eventName !== 'string') return true;
  if (typeof userIdentity !== 'object' || userIdentity === null) return true;
  if (userIdentity.type === 'Root' || typeof userIdentity.type !== 'string') return true;
  return securityEventNames.has(`${eventSource}/${eventName}`);
}

/** The facts of a CloudTrail record that decide whether, and why, it is a security event. */
export interface SecurityFacts {
  readonly eventSource: string;
  readonly eventName: string;
  readonly identityType: string | null;
  /** Set when an AWS service acted on the root user's behalf (not a root sign-in). */
  readonly invokedBy: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** `responseElements.ConsoleLogin`: Success or Failure. */
  readonly consoleLogin: string | null;
  /** `additionalEventData.MFAUsed`: Yes or No. */
  readonly mfaUsed: string | null;
}

const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

export function securityFactsOf(record: TrailRecord): SecurityFacts {
  return {
    eventSource: record.eventSource,
    eventName: record.eventName,
    identityType: record.userIdentity.type ?? null,
    invokedBy: record.userIdentity.invokedBy ?? null,
    errorCode: record.errorCode ?? null,
    errorMessage: record.errorMessage ?? null,
    consoleLogin: textOrNull(record.responseElements?.ConsoleLogin),
    mfaUsed: textOrNull(record.additionalEventData?.MFAUsed),
  };
}

/** A reason an event is a security event: the code and the sentence an auditor reads. */
export interface SecurityReason {
  readonly code: string;
  readonly description: string;
}

/**
 * Why an event is a security event; empty when it is not one. The stream keeps exactly the events with a
 * reason (its population); the security-events check gives the same reasons as findings.
 * A failed attempt (errorCode set) of a tampering call counts as an attempt.
 */
export function securityReasons(facts: SecurityFacts): SecurityReason[] {
  const reasons: SecurityReason[] = [];
  const failed = Boolean(facts.errorCode);
  const attempt = failed ? ` (attempt failed: ${facts.errorCode})` : '';
  if (facts.identityType === 'Root' && !facts.invokedBy) {
    reasons.push({
      code: 'ROOT_ACCOUNT_USED',
      description: `the root user called ${facts.eventName}${attempt}`,
    });
  }
  if (facts.eventName === 'ConsoleLogin' && facts.eventSource === 'signin.amazonaws.com') {
    if (facts.consoleLogin === 'Failure' || failed) {
      reasons.push({
        code: 'CONSOLE_LOGIN_FAILED',
        description: `failed console sign-in: ${facts.errorMessage ?? facts.errorCode ?? 'Failure'}`,
      });
    } else if (facts.mfaUsed === 'No' && facts.identityType !== 'AssumedRole') {
      // Federated (assumed-role) sign-ins use the identity provider's MFA, which CloudTrail cannot see.
      reasons.push({ code: 'CONSOLE_LOGIN_WITHOUT_MFA', description: 'console sign-in without MFA' });
    }
  }
  const trail = facts.eventSource === 'cloudtrail.amazonaws.com' ? TRAIL_EVENTS[facts.eventName] : undefined;
  if (trail) {
    reasons.push({
      code: failed ? `${trail.code}_ATTEMPT` : trail.code,
      description: `${trail.what}${attempt}`,
    });
  }
  if (facts.eventSource === 'iam.amazonaws.com' && MFA_REMOVAL.has(facts.eventName)) {
    reasons.push({
      code: failed ? 'MFA_DEACTIVATION_ATTEMPT' : 'MFA_DEACTIVATED',
      description: `an MFA device was removed (${facts.eventName})${attempt}`,
    });
  }
  return reasons;
}
