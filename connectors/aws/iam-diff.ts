import type { IamState } from './iam-snapshot.js';

export type IamChangeKind =
  | 'joiner'
  | 'leaver'
  | 'mover'
  | 'privilege-gained'
  | 'privilege-lost'
  | 'group-created'
  | 'group-deleted'
  | 'role-created'
  | 'role-deleted'
  | 'role-trust-changed'
  | 'policy-created'
  | 'policy-deleted'
  | 'policy-changed';

export interface IamChange {
  readonly change: IamChangeKind;
  /** "user/alice", "role/deploy", "policy/arn:aws:iam::...". */
  readonly principal: string;
  /** What changed, short and stable: it is part of the item key. */
  readonly detail: string;
  readonly description: string;
}

function added(before: readonly string[], after: readonly string[]): string[] {
  const old = new Set(before);
  return after.filter((value) => !old.has(value));
}

/**
 * Joiners, leavers, movers and privilege changes between two observations of one account.
 * Privilege changes are listed for users that stayed; a joiner's or leaver's access is in its own item.
 */
export function diffIamState(before: IamState, after: IamState): IamChange[] {
  const changes: IamChange[] = [];
  const push = (change: IamChangeKind, principal: string, detail: string, description: string) =>
    changes.push({ change, principal, detail, description });

  for (const [name, user] of Object.entries(after.users)) {
    const old = before.users[name];
    if (!old) {
      push(
        'joiner',
        `user/${name}`,
        'created',
        `user ${name} appeared with ${user.effectivePolicies.join(', ') || 'no policies'}`,
      );
      continue;
    }
    for (const group of added(old.groups, user.groups))
      push('mover', `user/${name}`, `joined-group-${group}`, `user ${name} was added to group ${group}`);
    for (const group of added(user.groups, old.groups))
      push('mover', `user/${name}`, `left-group-${group}`, `user ${name} was removed from group ${group}`);
    for (const policy of added(old.effectivePolicies, user.effectivePolicies))
      push('privilege-gained', `user/${name}`, policy, `user ${name} gained ${policy}`);
    for (const policy of added(user.effectivePolicies, old.effectivePolicies))
      push('privilege-lost', `user/${name}`, policy, `user ${name} lost ${policy}`);
  }
  for (const [name, user] of Object.entries(before.users)) {
    if (!after.users[name])
      push(
        'leaver',
        `user/${name}`,
        'removed',
        `user ${name} was removed (had ${user.effectivePolicies.join(', ') || 'no policies'})`,
      );
  }

  for (const [name, group] of Object.entries(after.groups)) {
    const old = before.groups[name];
    if (!old) {
      push('group-created', `group/${name}`, 'created', `group ${name} was created`);
      continue;
    }
    const policies = (g: typeof group) => [
      ...g.attachedPolicies,
      ...g.inlinePolicies.map((p) => `${p} (inline)`),
    ];
    for (const policy of added(policies(old), policies(group)))
      push('privilege-gained', `group/${name}`, policy, `group ${name} gained ${policy}`);
    for (const policy of added(policies(group), policies(old)))
      push('privilege-lost', `group/${name}`, policy, `group ${name} lost ${policy}`);
  }
  for (const name of Object.keys(before.groups)) {
    if (!after.groups[name]) push('group-deleted', `group/${name}`, 'deleted', `group ${name} was deleted`);
  }

  for (const [name, role] of Object.entries(after.roles)) {
    const old = before.roles[name];
    if (!old) {
      push(
        'role-created',
        `role/${name}`,
        'created',
        `role ${name} was created, trusting ${role.trustedPrincipals.join(', ') || 'nobody'}`,
      );
      continue;
    }
    if (old.trustPolicySha256 !== role.trustPolicySha256)
      push(
        'role-trust-changed',
        `role/${name}`,
        role.trustPolicySha256 ?? 'none',
        `role ${name} now trusts ${role.trustedPrincipals.join(', ') || 'nobody'}`,
      );
    const policies = (r: typeof role) => [
      ...r.attachedPolicies,
      ...r.inlinePolicies.map((p) => `${p} (inline)`),
    ];
    for (const policy of added(policies(old), policies(role)))
      push('privilege-gained', `role/${name}`, policy, `role ${name} gained ${policy}`);
    for (const policy of added(policies(role), policies(old)))
      push('privilege-lost', `role/${name}`, policy, `role ${name} lost ${policy}`);
  }
  for (const name of Object.keys(before.roles)) {
    if (!after.roles[name]) push('role-deleted', `role/${name}`, 'deleted', `role ${name} was deleted`);
  }

  for (const [arn, policy] of Object.entries(after.policies)) {
    const old = before.policies[arn];
    if (!old) push('policy-created', `policy/${arn}`, 'created', `policy ${policy.name} was created`);
    else if (old.documentSha256 !== policy.documentSha256 || old.defaultVersionId !== policy.defaultVersionId)
      push(
        'policy-changed',
        `policy/${arn}`,
        `${policy.defaultVersionId ?? 'none'}-${policy.documentSha256 ?? 'none'}`,
        `policy ${policy.name} now uses version ${policy.defaultVersionId ?? 'unknown'}`,
      );
  }
  for (const [arn, policy] of Object.entries(before.policies)) {
    if (!after.policies[arn])
      push('policy-deleted', `policy/${arn}`, 'deleted', `policy ${policy.name} was deleted`);
  }
  return changes;
}
