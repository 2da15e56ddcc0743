import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { EvidenceError } from '../../src/errors.js';
import { awsCall } from './aws-errors.js';
import type { AwsAccount } from './config.js';

export interface CentreUser {
  userName: string;
  /** The Identity Store's id: what its CloudTrail events (DeleteUser) name instead of the user name. */
  userId: string | null;
  displayName: string | null;
  emails: string[];
  active: boolean | null;
}
export interface CentreGroup {
  displayName: string;
  members: string[];
}
export interface CentrePermissionSet {
  name: string;
  sessionDuration: string | null;
}
/** An assignment as "<principal type>/<principal name>" on an account with a permission set. */
export interface CentreAssignment {
  accountId: string;
  permissionSet: string;
  principalType: string;
  principal: string;
}
export interface IdentityCenterState {
  instanceArn: string;
  identityStoreId: string;
  users: Record<string, CentreUser>;
  groups: Record<string, CentreGroup>;
  permissionSets: Record<string, CentrePermissionSet>;
  assignments: CentreAssignment[];
}

/** Every page of a NextToken-paged call. */
async function pages<T extends { NextToken?: string | undefined }>(
  what: string,
  call: (token: string | undefined) => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall(what, () => call(token));
    out.push(page);
    token = page.NextToken;
  } while (token);
  return out;
}

async function instanceOf(account: AwsAccount, ssoAdmin: SSOAdminClient, signal: AbortSignal) {
  const configured = account.identityCenter;
  if (configured?.instanceArn && configured.identityStoreId)
    return { instanceArn: configured.instanceArn, identityStoreId: configured.identityStoreId };
  const { ListInstancesCommand } = await import('@aws-sdk/client-sso-admin');
  const instances = (
    await pages('list Identity Center instances', (NextToken) =>
      ssoAdmin.send(new ListInstancesCommand({ NextToken }), { abortSignal: signal }),
    )
  ).flatMap((page) => page.Instances ?? []);
  const found = instances.find(
    (entry) => !configured?.instanceArn || entry.InstanceArn === configured.instanceArn,
  );
  if (!found?.InstanceArn || !found.IdentityStoreId) {
    throw new EvidenceError(
      'AWS_IDENTITY_CENTER_NOT_FOUND',
      `account ${account.id}: no IAM Identity Center instance${configured?.instanceArn ? ` ${configured.instanceArn}` : ''}`,
      'fatal',
    );
  }
  return {
    instanceArn: found.InstanceArn,
    identityStoreId: configured?.identityStoreId ?? found.IdentityStoreId,
  };
}

/** Reads users, groups, memberships, permission sets and account assignments of one Identity Center instance. */
export async function readIdentityCenter(
  account: AwsAccount,
  clients: { identityStore: IdentitystoreClient; ssoAdmin: SSOAdminClient },
  signal: AbortSignal,
): Promise<IdentityCenterState> {
  const { identityStore, ssoAdmin } = clients;
  // The SDKs load on first use, so the CLI's other commands start without them.
  const [
    { ListGroupMembershipsCommand, ListGroupsCommand, ListUsersCommand },
    {
      DescribePermissionSetCommand,
      ListAccountAssignmentsCommand,
      ListAccountsForProvisionedPermissionSetCommand,
      ListPermissionSetsCommand,
    },
  ] = await Promise.all([import('@aws-sdk/client-identitystore'), import('@aws-sdk/client-sso-admin')]);
  const { instanceArn, identityStoreId } = await instanceOf(account, ssoAdmin, signal);
  const opts = { abortSignal: signal };
  const userById = new Map<string, string>();
  const users: Record<string, CentreUser> = {};
  for (const page of await pages('list Identity Center users', (NextToken) =>
    identityStore.send(new ListUsersCommand({ IdentityStoreId: identityStoreId, NextToken }), opts),
  )) {
    for (const user of page.Users ?? []) {
      const name = user.UserName ?? user.UserId ?? '';
      userById.set(user.UserId ?? '', name);
      users[name] = {
        userName: name,
        userId: user.UserId ?? null,
        displayName: user.DisplayName ?? null,
        emails: (user.Emails ?? []).map((email) => email.Value ?? '').filter(Boolean),
        // Not every API version reports it; absent means unknown, not active.
        active: null,
      };
    }
  }
  const groupById = new Map<string, string>();
  const groups: Record<string, CentreGroup> = {};
  for (const page of await pages('list Identity Center groups', (NextToken) =>
    identityStore.send(new ListGroupsCommand({ IdentityStoreId: identityStoreId, NextToken }), opts),
  )) {
    for (const group of page.Groups ?? []) {
      const name = group.DisplayName ?? group.GroupId ?? '';
      groupById.set(group.GroupId ?? '', name);
      const members: string[] = [];
      for (const memberships of await pages(`list members of group ${name}`, (NextToken) =>
        identityStore.send(
          new ListGroupMembershipsCommand({
            IdentityStoreId: identityStoreId,
            GroupId: group.GroupId,
            NextToken,
          }),
          opts,
        ),
      ))
        for (const membership of memberships.GroupMemberships ?? []) {
          const id =
            membership.MemberId && 'UserId' in membership.MemberId ? membership.MemberId.UserId : undefined;
          if (id) members.push(userById.get(id) ?? id);
        }
      groups[name] = { displayName: name, members: members.sort() };
    }
  }
  const permissionSets: Record<string, CentrePermissionSet> = {};
  const assignments: CentreAssignment[] = [];
  const setArns = (
    await pages('list permission sets', (NextToken) =>
      ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken }), opts),
    )
  ).flatMap((page) => page.PermissionSets ?? []);
  for (const arn of setArns) {
    const described = await awsCall(`describe permission set ${arn}`, () =>
      ssoAdmin.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
        opts,
      ),
    );
    const name = described.PermissionSet?.Name ?? arn;
    permissionSets[name] = { name, sessionDuration: described.PermissionSet?.SessionDuration ?? null };
    const accounts = (
      await pages(`list accounts of permission set ${name}`, (NextToken) =>
        ssoAdmin.send(
          new ListAccountsForProvisionedPermissionSetCommand({
            InstanceArn: instanceArn,
            PermissionSetArn: arn,
            NextToken,
          }),
          opts,
        ),
      )
    ).flatMap((page) => page.AccountIds ?? []);
    for (const accountId of accounts) {
      for (const page of await pages(`list assignments of ${name} on ${accountId}`, (NextToken) =>
        ssoAdmin.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instanceArn,
            AccountId: accountId,
            PermissionSetArn: arn,
            NextToken,
          }),
          opts,
        ),
      )) {
        for (const assignment of page.AccountAssignments ?? []) {
          const id = assignment.PrincipalId ?? '';
          const principal =
            assignment.PrincipalType === 'GROUP' ? (groupById.get(id) ?? id) : (userById.get(id) ?? id);
          assignments.push({
            accountId,
            permissionSet: name,
            principalType: assignment.PrincipalType ?? 'USER',
            principal,
          });
        }
      }
    }
  }
  assignments.sort((a, b) =>
    `${a.accountId}/${a.permissionSet}/${a.principalType}/${a.principal}`.localeCompare(
      `${b.accountId}/${b.permissionSet}/${b.principalType}/${b.principal}`,
    ),
  );
  return { instanceArn, identityStoreId, users, groups, permissionSets, assignments };
}
