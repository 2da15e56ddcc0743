import { createHash } from 'node:crypto';
import type { IAMClient } from '@aws-sdk/client-iam';
import { z } from 'zod';
import { awsCall } from './aws-errors.js';

const attached = z.array(z.object({ PolicyName: z.string(), PolicyArn: z.string().optional() })).default([]);
const inline = z
  .array(z.object({ PolicyName: z.string(), PolicyDocument: z.string().optional() }))
  .default([]);

/** The parts of GetAccountAuthorizationDetails we rely on. */
const detailsPageSchema = z.object({
  UserDetailList: z
    .array(
      z.object({
        UserName: z.string(),
        Arn: z.string(),
        CreateDate: z.date().optional(),
        GroupList: z.array(z.string()).default([]),
        AttachedManagedPolicies: attached,
        UserPolicyList: inline,
        Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
      }),
    )
    .default([]),
  GroupDetailList: z
    .array(
      z.object({
        GroupName: z.string(),
        Arn: z.string(),
        AttachedManagedPolicies: attached,
        GroupPolicyList: inline,
      }),
    )
    .default([]),
  RoleDetailList: z
    .array(
      z.object({
        RoleName: z.string(),
        Arn: z.string(),
        AssumeRolePolicyDocument: z.string().optional(),
        AttachedManagedPolicies: attached,
        RolePolicyList: inline,
      }),
    )
    .default([]),
  Policies: z
    .array(
      z.object({
        PolicyName: z.string(),
        Arn: z.string(),
        DefaultVersionId: z.string().optional(),
        AttachmentCount: z.number().optional(),
        PolicyVersionList: z
          .array(
            z.object({
              VersionId: z.string().optional(),
              Document: z.string().optional(),
              IsDefaultVersion: z.boolean().optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  IsTruncated: z.boolean().optional(),
  Marker: z.string().optional(),
});

export interface UserState {
  arn: string;
  createdAt: string | null;
  groups: string[];
  attachedPolicies: string[];
  inlinePolicies: string[];
  /** Every policy that applies to the user and why: "AdministratorAccess via group admins". */
  effectivePolicies: string[];
  /** User tags (an `email` tag links the user to a person); absent when the user has none. */
  tags?: Record<string, string>;
}
export interface GroupState {
  arn: string;
  attachedPolicies: string[];
  inlinePolicies: string[];
  members: string[];
}
export interface RoleState {
  arn: string;
  trustPolicySha256: string | null;
  trustedPrincipals: string[];
  attachedPolicies: string[];
  inlinePolicies: string[];
}
export interface PolicyState {
  name: string;
  defaultVersionId: string | null;
  attachmentCount: number;
  documentSha256: string | null;
}

/** One account's IAM state, as kept in the cursor for the next day's diff. Sorted, JSON only. */
export interface IamState {
  users: Record<string, UserState>;
  groups: Record<string, GroupState>;
  roles: Record<string, RoleState>;
  policies: Record<string, PolicyState>;
}

const sha = (text: string | undefined) =>
  text === undefined ? null : createHash('sha256').update(decodeDocument(text)).digest('hex');
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Policy documents come URL-encoded in this API. */
function decodeDocument(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function trustedPrincipals(document: string | undefined): string[] {
  if (!document) return [];
  try {
    const parsed = JSON.parse(decodeDocument(document)) as { Statement?: unknown };
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    const found: string[] = [];
    for (const statement of statements as { Principal?: unknown }[]) {
      const principal = statement?.Principal;
      if (typeof principal === 'string') found.push(principal);
      else if (principal && typeof principal === 'object') {
        for (const [kind, value] of Object.entries(principal)) {
          for (const one of Array.isArray(value) ? value : [value]) found.push(`${kind}:${String(one)}`);
        }
      }
    }
    return sorted(found);
  } catch {
    return ['(unparseable trust policy)'];
  }
}

/** Reads every page of GetAccountAuthorizationDetails and reduces it to the state we diff. */
export async function readIamState(iam: IAMClient, account: string, signal: AbortSignal): Promise<IamState> {
  const { GetAccountAuthorizationDetailsCommand } = await import('@aws-sdk/client-iam');
  const state: IamState = { users: {}, groups: {}, roles: {}, policies: {} };
  const rawUsers: z.infer<typeof detailsPageSchema>['UserDetailList'] = [];
  let marker: string | undefined;
  do {
    const response = await awsCall(`iam GetAccountAuthorizationDetails ${account}`, () =>
      iam.send(
        new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }),
        {
          abortSignal: signal,
        },
      ),
    );
    const page = detailsPageSchema.parse(response);
    rawUsers.push(...page.UserDetailList);
    for (const group of page.GroupDetailList) {
      state.groups[group.GroupName] = {
        arn: group.Arn,
        attachedPolicies: sorted(group.AttachedManagedPolicies.map((p) => p.PolicyName)),
        inlinePolicies: sorted(group.GroupPolicyList.map((p) => p.PolicyName)),
        members: [],
      };
    }
    for (const role of page.RoleDetailList) {
      state.roles[role.RoleName] = {
        arn: role.Arn,
        trustPolicySha256: sha(role.AssumeRolePolicyDocument),
        trustedPrincipals: trustedPrincipals(role.AssumeRolePolicyDocument),
        attachedPolicies: sorted(role.AttachedManagedPolicies.map((p) => p.PolicyName)),
        inlinePolicies: sorted(role.RolePolicyList.map((p) => p.PolicyName)),
      };
    }
    for (const policy of page.Policies) {
      const current = policy.PolicyVersionList.find((version) => version.IsDefaultVersion);
      state.policies[policy.Arn] = {
        name: policy.PolicyName,
        defaultVersionId: policy.DefaultVersionId ?? null,
        attachmentCount: policy.AttachmentCount ?? 0,
        documentSha256: sha(current?.Document),
      };
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  // Users last: their effective policies need every group, whatever page it came on.
  for (const user of rawUsers) {
    const attachedPolicies = sorted(user.AttachedManagedPolicies.map((p) => p.PolicyName));
    const inlinePolicies = sorted(user.UserPolicyList.map((p) => p.PolicyName));
    const groups = sorted(user.GroupList);
    const effective = [
      ...attachedPolicies.map((p) => `${p} (attached)`),
      ...inlinePolicies.map((p) => `${p} (inline)`),
    ];
    for (const name of groups) {
      const group = state.groups[name];
      if (!group) continue;
      group.members.push(user.UserName);
      effective.push(...group.attachedPolicies.map((p) => `${p} via group ${name}`));
      effective.push(...group.inlinePolicies.map((p) => `${p} (inline) via group ${name}`));
    }
    state.users[user.UserName] = {
      arn: user.Arn,
      createdAt: user.CreateDate ? user.CreateDate.toISOString() : null,
      groups,
      attachedPolicies,
      inlinePolicies,
      effectivePolicies: sorted(effective),
      // Only where set, so untagged users keep the payload (and hash) they always had.
      ...(user.Tags?.length
        ? { tags: Object.fromEntries(user.Tags.map((tag) => [tag.Key, tag.Value])) }
        : {}),
    };
  }
  for (const group of Object.values(state.groups)) group.members.sort();
  return state;
}
