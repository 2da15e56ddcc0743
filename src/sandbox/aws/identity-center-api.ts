import { DAY } from '../../time.js';
import { json, jsonError, type SandboxResponse } from './protocols.js';

export const SANDBOX_INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-72230d0a5f8b4e1c';
export const SANDBOX_IDENTITY_STORE = 'd-9067a1b2c3';

/** An Identity Center user of the sandbox and the days (relative to "now") it exists between. */
interface CentreUserSeed {
  readonly userName: string;
  readonly email: string;
  readonly groups: readonly string[];
  /** Days before "now" the user was created (absent: long before the period). */
  readonly createdDaysAgo?: number;
  /** Days before "now" the user was deleted. */
  readonly deletedDaysAgo?: number;
}

/** The users line up with the seeded company's people (first.last@acme.example). */
const USERS: readonly CentreUserSeed[] = [
  { userName: 'alice.anders@acme.example', email: 'alice.anders@acme.example', groups: ['Admins'] },
  { userName: 'bob.brown@acme.example', email: 'bob.brown@acme.example', groups: ['Admins', 'Developers'] },
  { userName: 'carol.chen@acme.example', email: 'carol.chen@acme.example', groups: ['Developers'] },
  { userName: 'erin.evans@acme.example', email: 'erin.evans@acme.example', groups: ['Developers'] },
  { userName: 'grace.garcia@acme.example', email: 'grace.garcia@acme.example', groups: ['ReadOnly'] },
  // Planted: a joiner 10 days ago, a leaver removed 5 days ago.
  {
    userName: 'peggy.newcomer@acme.example',
    email: 'peggy.newcomer@acme.example',
    groups: ['Developers'],
    createdDaysAgo: 10,
  },
  {
    userName: 'frank.fischer@acme.example',
    email: 'frank.fischer@acme.example',
    groups: ['ReadOnly'],
    deletedDaysAgo: 5,
  },
];
const GROUPS = ['Admins', 'Developers', 'ReadOnly'];
const PERMISSION_SETS: Record<string, { name: string; groups: readonly string[] }> = {
  'ps-0001': { name: 'AdministratorAccess', groups: ['Admins'] },
  'ps-0002': { name: 'PowerUserAccess', groups: ['Developers'] },
  'ps-0003': { name: 'ViewOnlyAccess', groups: ['ReadOnly'] },
};

/** What the sandbox's Identity Center held at a moment: the ground truth its tests compare against. */
export function identityCenterAt(now: number, at: number) {
  const exists = (user: CentreUserSeed) =>
    (user.createdDaysAgo === undefined || at >= now - user.createdDaysAgo * DAY) &&
    (user.deletedDaysAgo === undefined || at < now - user.deletedDaysAgo * DAY);
  return { users: USERS.filter(exists) };
}

export const identityCenterPlanted = {
  joiners: USERS.filter((user) => user.createdDaysAgo !== undefined).map((user) => ({
    userName: user.userName,
    daysAgo: user.createdDaysAgo!,
  })),
  leavers: USERS.filter((user) => user.deletedDaysAgo !== undefined).map((user) => ({
    userName: user.userName,
    daysAgo: user.deletedDaysAgo!,
  })),
};

const userId = (name: string) => `u-${Buffer.from(name).toString('hex').slice(0, 12)}`;
const groupId = (name: string) => `g-${name.toLowerCase()}`;

/** One page of `items`: NextToken is the offset of the next page, as opaque to the client as AWS's. */
function page<T>(items: readonly T[], body: Record<string, unknown>, size: number) {
  const start = Number.parseInt(String(body.NextToken ?? '0'), 10) || 0;
  const limit = Math.min(Number(body.MaxResults ?? size) || size, size);
  const next = start + limit < items.length ? String(start + limit) : undefined;
  return { slice: items.slice(start, start + limit), ...(next ? { NextToken: next } : {}) };
}

/**
 * The Identity Store (AWSIdentityStore.*) and SSO Admin (SWBExternalService.*) JSON APIs over the sandbox's
 * Identity Center, as of the sandbox clock: small pages with NextToken, and ThrottlingException on every
 * `throttleEvery`-th call when set.
 */
export function identityCenterApi(
  clock: () => number,
  origin: number,
  options: { pageSize?: number; throttleEvery?: number } = {},
) {
  const size = options.pageSize ?? 2;
  let calls = 0;
  return (operation: string, body: Record<string, unknown>): SandboxResponse => {
    calls += 1;
    if (options.throttleEvery && calls % options.throttleEvery === 0)
      return jsonError(400, 'ThrottlingException', 'Rate exceeded');
    const { users } = identityCenterAt(origin, clock());
    switch (operation) {
      case 'ListInstances':
        return json(200, {
          Instances: [
            { InstanceArn: SANDBOX_INSTANCE_ARN, IdentityStoreId: SANDBOX_IDENTITY_STORE, Status: 'ACTIVE' },
          ],
        });
      case 'ListUsers': {
        const { slice, ...rest } = page(users, body, size);
        return json(200, {
          Users: slice.map((user) => ({
            UserId: userId(user.userName),
            UserName: user.userName,
            DisplayName: user.userName.split('@')[0],
            Emails: [{ Value: user.email, Type: 'work', Primary: true }],
            IdentityStoreId: SANDBOX_IDENTITY_STORE,
          })),
          ...rest,
        });
      }
      case 'ListGroups': {
        const { slice, ...rest } = page(GROUPS, body, size);
        return json(200, {
          Groups: slice.map((name) => ({
            GroupId: groupId(name),
            DisplayName: name,
            IdentityStoreId: SANDBOX_IDENTITY_STORE,
          })),
          ...rest,
        });
      }
      case 'ListGroupMemberships': {
        const group = GROUPS.find((name) => groupId(name) === body.GroupId);
        if (!group)
          return jsonError(400, 'ResourceNotFoundException', `group ${String(body.GroupId)} not found`);
        const members = users.filter((user) => user.groups.includes(group));
        const { slice, ...rest } = page(members, body, size);
        return json(200, {
          GroupMemberships: slice.map((user) => ({
            MembershipId: `m-${groupId(group)}-${userId(user.userName)}`,
            GroupId: groupId(group),
            MemberId: { UserId: userId(user.userName) },
            IdentityStoreId: SANDBOX_IDENTITY_STORE,
          })),
          ...rest,
        });
      }
      case 'ListPermissionSets': {
        const { slice, ...rest } = page(
          Object.keys(PERMISSION_SETS).map((id) => `${SANDBOX_INSTANCE_ARN}/${id}`),
          body,
          size,
        );
        return json(200, { PermissionSets: slice, ...rest });
      }
      case 'DescribePermissionSet': {
        const id =
          String(body.PermissionSetArn ?? '')
            .split('/')
            .at(-1) ?? '';
        const set = PERMISSION_SETS[id];
        if (!set) return jsonError(400, 'ResourceNotFoundException', 'permission set not found');
        return json(200, {
          PermissionSet: { Name: set.name, PermissionSetArn: body.PermissionSetArn, SessionDuration: 'PT8H' },
        });
      }
      case 'ListAccountsForProvisionedPermissionSet':
        return json(200, { AccountIds: ['123456789012'] });
      case 'ListAccountAssignments': {
        const id =
          String(body.PermissionSetArn ?? '')
            .split('/')
            .at(-1) ?? '';
        const set = PERMISSION_SETS[id];
        const { slice, ...rest } = page(set?.groups ?? [], body, size);
        return json(200, {
          AccountAssignments: slice.map((group) => ({
            AccountId: body.AccountId,
            PermissionSetArn: body.PermissionSetArn,
            PrincipalType: 'GROUP',
            PrincipalId: groupId(group),
          })),
          ...rest,
        });
      }
      default:
        return jsonError(400, 'UnknownOperationException', `unknown operation ${operation}`);
    }
  };
}
