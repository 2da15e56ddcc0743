/** The sandbox's IAM: an account state rebuilt by replaying the access-change events it generated. */
export interface SandboxUser {
  name: string;
  createdAt: number;
  groups: Set<string>;
  attached: Set<string>;
  inline: Map<string, string>;
  passwordSetAt: number | null;
  passwordLastUsed: number | null;
  mfa: boolean;
  keys: { id: string; createdAt: number; active: boolean; lastUsed: number | null }[];
  /** User tags; the company's people carry their work email (key `email` unless configured). */
  tags: Map<string, string>;
}

export interface SandboxState {
  users: Map<string, SandboxUser>;
  groups: Map<string, { attached: Set<string> }>;
  roles: Map<string, { trust: string; attached: Set<string> }>;
  /** Customer managed policies: arn -> versions, default last. */
  policies: Map<string, { name: string; versions: string[]; defaultVersion: number }>;
  rootPasswordLastUsed: number | null;
}

export interface SandboxRecord {
  eventID: string;
  eventTime: string;
  eventName: string;
  eventSource: string;
  awsRegion: string;
  recipientAccountId: string;
  userIdentity: Record<string, unknown>;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  sourceIPAddress: string;
  userAgent: string;
  readOnly: boolean;
  eventType: string;
  managementEvent: true;
  eventVersion: string;
}

export const POLICY = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export function emptyState(): SandboxState {
  return {
    users: new Map(),
    groups: new Map(),
    roles: new Map(),
    policies: new Map(),
    rootPasswordLastUsed: null,
  };
}

export function newUser(name: string, at: number): SandboxUser {
  return {
    name,
    createdAt: at,
    groups: new Set(),
    attached: new Set(),
    inline: new Map(),
    passwordSetAt: null,
    passwordLastUsed: null,
    mfa: false,
    keys: [],
    tags: new Map(),
  };
}

const str = (value: unknown) => String(value);

/** Applies one event to the state; failed calls (errorCode) change nothing. */
export function applyEvent(state: SandboxState, record: SandboxRecord): void {
  // Identity Store writes share IAM's event names (CreateUser, DeleteUser) but not its users.
  if (record.errorCode || record.eventSource === 'identitystore.amazonaws.com') return;
  const at = Date.parse(record.eventTime);
  const p = record.requestParameters ?? {};
  const user = p.userName !== undefined ? state.users.get(str(p.userName)) : undefined;
  switch (record.eventName) {
    case 'CreateUser': {
      const created = newUser(str(p.userName), at);
      // CloudTrail records the tags given at creation as requestParameters.tags [{ key, value }].
      for (const tag of (p.tags as { key: string; value: string }[] | undefined) ?? [])
        created.tags.set(tag.key, tag.value);
      state.users.set(created.name, created);
      break;
    }
    case 'DeleteUser':
      state.users.delete(str(p.userName));
      break;
    case 'CreateLoginProfile':
      if (user) user.passwordSetAt = at;
      break;
    case 'DeleteLoginProfile':
      if (user) user.passwordSetAt = null;
      break;
    case 'CreateAccessKey': {
      const id = str(
        (record.responseElements?.accessKey as { accessKeyId?: string } | undefined)?.accessKeyId,
      );
      user?.keys.push({ id, createdAt: at, active: true, lastUsed: null });
      break;
    }
    case 'DeleteAccessKey':
      if (user) user.keys = user.keys.filter((key) => key.id !== p.accessKeyId);
      break;
    case 'EnableMFADevice':
      if (user) user.mfa = true;
      break;
    case 'DeactivateMFADevice':
      if (user) user.mfa = false;
      break;
    case 'AddUserToGroup':
      user?.groups.add(str(p.groupName));
      break;
    case 'RemoveUserFromGroup':
      user?.groups.delete(str(p.groupName));
      break;
    case 'AttachUserPolicy':
      user?.attached.add(str(p.policyArn));
      break;
    case 'DetachUserPolicy':
      user?.attached.delete(str(p.policyArn));
      break;
    case 'PutUserPolicy':
      user?.inline.set(str(p.policyName), str(p.policyDocument));
      break;
    case 'DeleteUserPolicy':
      user?.inline.delete(str(p.policyName));
      break;
    case 'AttachGroupPolicy':
      state.groups.get(str(p.groupName))?.attached.add(str(p.policyArn));
      break;
    case 'DetachGroupPolicy':
      state.groups.get(str(p.groupName))?.attached.delete(str(p.policyArn));
      break;
    case 'CreateRole':
      state.roles.set(str(p.roleName), { trust: str(p.assumeRolePolicyDocument), attached: new Set() });
      break;
    case 'DeleteRole':
      state.roles.delete(str(p.roleName));
      break;
    case 'AttachRolePolicy':
      state.roles.get(str(p.roleName))?.attached.add(str(p.policyArn));
      break;
    case 'DetachRolePolicy':
      state.roles.get(str(p.roleName))?.attached.delete(str(p.policyArn));
      break;
    case 'UpdateAssumeRolePolicy': {
      const role = state.roles.get(str(p.roleName));
      if (role) role.trust = str(p.policyDocument);
      break;
    }
    case 'CreatePolicyVersion': {
      const policy = state.policies.get(str(p.policyArn));
      if (policy) {
        policy.versions.push(str(p.policyDocument));
        if (p.setAsDefault) policy.defaultVersion = policy.versions.length;
      }
      break;
    }
    case 'ConsoleLogin':
      if (record.responseElements?.ConsoleLogin !== 'Success') break;
      if (record.userIdentity.type === 'Root') state.rootPasswordLastUsed = at;
      else {
        const who = state.users.get(str(record.userIdentity.userName));
        if (who) who.passwordLastUsed = at;
      }
      break;
  }
}
