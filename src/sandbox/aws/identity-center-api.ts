import { accessEndsAt, accessStartsAt, hasAccessAt, type Company, type Person } from '../company/index.js';
import { json, jsonError, type SandboxResponse } from './protocols.js';

export const SANDBOX_INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-72230d0a5f8b4e1c';
export const SANDBOX_IDENTITY_STORE = 'd-9067a1b2c3';

const GROUPS = ['Admins', 'Developers', 'ReadOnly'];
const PERMISSION_SETS: Record<string, { name: string; groups: readonly string[] }> = {
  'ps-0001': { name: 'AdministratorAccess', groups: ['Admins'] },
  'ps-0002': { name: 'PowerUserAccess', groups: ['Developers'] },
  'ps-0003': { name: 'ViewOnlyAccess', groups: ['ReadOnly'] },
};

/** An Identity Center user: the company's people with AWS access, user name and email their work email. */
interface CentreUser {
  readonly userName: string;
  readonly email: string;
  readonly groups: readonly string[];
}

const GROUPS_OF: Record<string, readonly string[]> = {
  alice: ['Admins'],
  bob: ['Admins', 'Developers'],
  dave: ['ReadOnly'],
  grace: ['ReadOnly'],
};

const centreUser = (person: Person): CentreUser => ({
  userName: person.email,
  email: person.email,
  groups: GROUPS_OF[person.firstName.toLowerCase()] ?? ['Developers'],
});

/** What the sandbox's Identity Center held at a moment: the ground truth its tests compare against. */
export function identityCenterAt(company: Company, at: number) {
  return {
    users: company.people
      .filter((person) => hasAccessAt(company, person, 'AWS IAM Identity Center', at))
      .map(centreUser),
  };
}

/** Every user added and removed over the period, as the daily snapshots must find them. */
export function identityCenterPlanted(company: Company) {
  const { start, end } = company.period;
  const within = (at: number | null): at is number => at !== null && at >= start && at < end;
  const people = company.people.filter((person) => person.iamUser !== null);
  return {
    joiners: people
      .filter((person) => within(accessStartsAt(person, 'AWS IAM Identity Center')))
      .map((person) => ({ userName: person.email, at: accessStartsAt(person, 'AWS IAM Identity Center') })),
    leavers: people
      .map((person) => ({
        userName: person.email,
        at: accessEndsAt(company, person, 'AWS IAM Identity Center'),
      }))
      .filter((leaver): leaver is { userName: string; at: number } => within(leaver.at)),
  };
}

/** The Identity Store's id of a user (what its CloudTrail events name, never the user name). */
export const centreUserId = (name: string) => `u-${Buffer.from(name).toString('hex').slice(0, 12)}`;
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
  company: Company,
  options: { pageSize?: number; throttleEvery?: number } = {},
) {
  const size = options.pageSize ?? 2;
  let calls = 0;
  return (operation: string, body: Record<string, unknown>): SandboxResponse => {
    calls += 1;
    if (options.throttleEvery && calls % options.throttleEvery === 0)
      return jsonError(400, 'ThrottlingException', 'Rate exceeded');
    const { users } = identityCenterAt(company, clock());
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
            UserId: centreUserId(user.userName),
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
            MembershipId: `m-${groupId(group)}-${centreUserId(user.userName)}`,
            GroupId: groupId(group),
            MemberId: { UserId: centreUserId(user.userName) },
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
