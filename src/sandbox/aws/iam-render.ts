import type { SandboxState } from './iam-model.js';
import { el, members } from './xml.js';

const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
const policyName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const attachedXml = (name: string, arns: Iterable<string>) =>
  members(
    name,
    [...arns].sort().map((arn) => `${el('PolicyName', policyName(arn))}${el('PolicyArn', arn)}`),
  );

/** Every entry of GetAccountAuthorizationDetails as XML fragments, so pages can cut across kinds. */
export function authorizationEntries(state: SandboxState, account: string, epoch: number) {
  const entries: {
    list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies';
    xml: string;
  }[] = [];
  for (const user of [...state.users.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    entries.push({
      list: 'UserDetailList',
      xml:
        el('Path', '/') +
        el('UserName', user.name) +
        el('UserId', `AIDA${user.name.toUpperCase()}`) +
        el('Arn', `arn:aws:iam::${account}:user/${user.name}`) +
        el('CreateDate', iso(user.createdAt)) +
        members(
          'UserPolicyList',
          [...user.inline].map(
            ([name, doc]) => `${el('PolicyName', name)}${el('PolicyDocument', encodeURIComponent(doc))}`,
          ),
        ) +
        members('GroupList', [...user.groups].sort()) +
        attachedXml('AttachedManagedPolicies', user.attached) +
        // AWS returns Tags only for a user that has some.
        (user.tags.size
          ? members(
              'Tags',
              [...user.tags].sort().map(([key, value]) => `${el('Key', key)}${el('Value', value)}`),
            )
          : ''),
    });
  }
  for (const [name, group] of [...state.groups].sort()) {
    entries.push({
      list: 'GroupDetailList',
      xml:
        el('Path', '/') +
        el('GroupName', name) +
        el('GroupId', `AGPA${name.toUpperCase()}`) +
        el('Arn', `arn:aws:iam::${account}:group/${name}`) +
        el('CreateDate', iso(epoch)) +
        members('GroupPolicyList', []) +
        attachedXml('AttachedManagedPolicies', group.attached),
    });
  }
  for (const [name, role] of [...state.roles].sort()) {
    entries.push({
      list: 'RoleDetailList',
      xml:
        el('Path', '/') +
        el('RoleName', name) +
        el('RoleId', `AROA${name.toUpperCase()}`) +
        el('Arn', `arn:aws:iam::${account}:role/${name}`) +
        el('CreateDate', iso(epoch)) +
        el('AssumeRolePolicyDocument', encodeURIComponent(role.trust)) +
        members('InstanceProfileList', []) +
        members('RolePolicyList', []) +
        attachedXml('AttachedManagedPolicies', role.attached),
    });
  }
  for (const [arn, policy] of [...state.policies].sort()) {
    const versions = policy.versions.map(
      (doc, index) =>
        `${el('Document', encodeURIComponent(doc))}${el('VersionId', `v${index + 1}`)}${el('IsDefaultVersion', index + 1 === policy.defaultVersion)}${el('CreateDate', iso(epoch))}`,
    );
    entries.push({
      list: 'Policies',
      xml:
        el('PolicyName', policy.name) +
        el('PolicyId', `ANPA${policy.name.toUpperCase()}`) +
        el('Arn', arn) +
        el('Path', '/') +
        el('DefaultVersionId', `v${policy.defaultVersion}`) +
        el('AttachmentCount', 1) +
        el('IsAttachable', true) +
        el('CreateDate', iso(epoch)) +
        el('UpdateDate', iso(epoch)) +
        members('PolicyVersionList', versions),
    });
  }
  return entries;
}

export function authorizationPage(
  entries: ReturnType<typeof authorizationEntries>,
  offset: number,
  size: number,
): string {
  const page = entries.slice(offset, offset + size);
  const lists = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;
  const truncated = offset + size < entries.length;
  return (
    lists
      .map((list) =>
        members(
          list,
          page.filter((entry) => entry.list === list).map((entry) => entry.xml),
        ),
      )
      .join('') +
    el('IsTruncated', truncated) +
    (truncated ? el('Marker', String(offset + size)) : '')
  );
}

const CSV_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** The IAM credential report as CSV, with AWS's "N/A" and "no_information" placeholders. */
export function credentialReportCsv(state: SandboxState, account: string, epoch: number): string {
  const lines = [CSV_HEADER];
  lines.push(
    [
      `<root_account>`,
      `arn:aws:iam::${account}:root`,
      iso(epoch),
      'not_supported',
      state.rootPasswordLastUsed ? iso(state.rootPasswordLastUsed) : 'no_information',
      'not_supported',
      'not_supported',
      'true',
      'false',
      'N/A',
      'N/A',
      'N/A',
      'N/A',
      'false',
      'N/A',
      'N/A',
      'N/A',
      'N/A',
      'false',
      'N/A',
      'false',
      'N/A',
    ].join(','),
  );
  for (const user of [...state.users.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const key = (slot: 0 | 1) => {
      const found = user.keys[slot];
      if (!found) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
      const used = found.lastUsed ? [iso(found.lastUsed), 'us-east-1', 's3'] : ['N/A', 'N/A', 'N/A'];
      return [String(found.active), iso(found.createdAt), ...used];
    };
    const password = user.passwordSetAt !== null;
    lines.push(
      [
        user.name,
        `arn:aws:iam::${account}:user/${user.name}`,
        iso(user.createdAt),
        String(password),
        password ? (user.passwordLastUsed ? iso(user.passwordLastUsed) : 'no_information') : 'N/A',
        password ? iso(user.passwordSetAt as number) : 'N/A',
        'N/A',
        String(user.mfa),
        ...key(0),
        ...key(1),
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
