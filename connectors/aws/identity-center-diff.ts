import type { IdentityCenterState } from './identity-center-snapshot.js';

export interface IdentityCenterChange {
  readonly change:
    | 'user_added'
    | 'user_removed'
    | 'membership_added'
    | 'membership_removed'
    | 'permission_set_added'
    | 'permission_set_removed'
    | 'assignment_added'
    | 'assignment_removed';
  /** What changed: a user name, "group/user", a permission set, "account/permission set/type/principal". */
  readonly subject: string;
  readonly description: string;
}

function added(before: Iterable<string>, after: Iterable<string>): string[] {
  const was = new Set(before);
  return [...new Set(after)].filter((key) => !was.has(key)).sort();
}

const memberships = (state: IdentityCenterState) =>
  Object.values(state.groups).flatMap((group) =>
    group.members.map((member) => `${group.displayName}/${member}`),
  );
const assignments = (state: IdentityCenterState) =>
  state.assignments.map((a) => `${a.accountId}/${a.permissionSet}/${a.principalType}/${a.principal}`);

/** Joiners, leavers and access changes between two observations of Identity Center. */
export function diffIdentityCenter(
  before: IdentityCenterState,
  after: IdentityCenterState,
): IdentityCenterChange[] {
  const changes: IdentityCenterChange[] = [];
  const pair = (
    what: (state: IdentityCenterState) => Iterable<string>,
    plus: IdentityCenterChange['change'],
    minus: IdentityCenterChange['change'],
    words: string,
  ) => {
    for (const subject of added(what(before), what(after)))
      changes.push({ change: plus, subject, description: `${words} ${subject} added` });
    for (const subject of added(what(after), what(before)))
      changes.push({ change: minus, subject, description: `${words} ${subject} removed` });
  };
  pair((state) => Object.keys(state.users), 'user_added', 'user_removed', 'user');
  pair(memberships, 'membership_added', 'membership_removed', 'group membership');
  pair(
    (state) => Object.keys(state.permissionSets),
    'permission_set_added',
    'permission_set_removed',
    'permission set',
  );
  pair(assignments, 'assignment_added', 'assignment_removed', 'account assignment');
  return changes;
}
