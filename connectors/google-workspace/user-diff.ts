import type { ComparedGoogleUser, GoogleUserChange } from './user-payload.js';

type Change = Omit<GoogleUserChange, 'type' | 'id' | 'since' | 'primaryEmail'>;

const adminOf = (user: ComparedGoogleUser) =>
  user.isAdmin ? 'super admin' : user.isDelegatedAdmin ? 'delegated admin' : 'none';

/** Joiners, leavers (suspended or deleted), returns and movers between two observations of one user. */
export function googleUserChanges(
  before: ComparedGoogleUser | undefined,
  after: ComparedGoogleUser | undefined,
): Change[] {
  if (!before && after)
    return [
      {
        change: 'joined',
        from: null,
        to: after.primaryEmail,
        description: `${after.primaryEmail} was created`,
      },
    ];
  if (before && !after)
    return [
      {
        change: 'deleted',
        from: before.primaryEmail,
        to: null,
        description: `${before.primaryEmail} was deleted`,
      },
    ];
  if (!before || !after) return [];
  const who = after.primaryEmail;
  const changes: Change[] = [];
  const field = (change: Change['change'], from: string | null, to: string | null, what: string) => {
    if (from !== to)
      changes.push({
        change,
        from,
        to,
        description: `${who}: ${what} changed from ${from ?? 'none'} to ${to ?? 'none'}`,
      });
  };
  field('email_changed', before.primaryEmail, after.primaryEmail, 'primary email');
  if (before.suspended !== after.suspended)
    changes.push(
      after.suspended
        ? { change: 'left', from: 'active', to: 'suspended', description: `${who} was suspended` }
        : { change: 'returned', from: 'suspended', to: 'active', description: `${who} was unsuspended` },
    );
  field('archived_changed', String(before.archived), String(after.archived), 'archived');
  field('org_unit_changed', before.orgUnitPath, after.orgUnitPath, 'organisational unit');
  field('department_changed', before.department, after.department, 'department');
  field('manager_changed', before.manager, after.manager, 'manager');
  field('admin_changed', adminOf(before), adminOf(after), 'admin privilege');
  return changes;
}
