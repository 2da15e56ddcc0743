import type { ComparedUser, OktaUserChange } from './user-payload.js';

type Change = Omit<OktaUserChange, 'type' | 'id' | 'since' | 'login'>;

const roles = (user: ComparedUser) => (user.adminRoles.length ? user.adminRoles.join(', ') : 'none');

/** Joiners, leavers (deactivated or deleted) and movers between two observations of one user. */
export function userChanges(before: ComparedUser | undefined, after: ComparedUser | undefined): Change[] {
  if (!before && after)
    return [
      {
        change: 'joined',
        from: null,
        to: after.status,
        description: `${after.login} was added (${after.status})`,
      },
    ];
  if (before && !after)
    return [{ change: 'deleted', from: before.status, to: null, description: `${before.login} was deleted` }];
  if (!before || !after) return [];
  const changes: Change[] = [];
  const { login } = after;
  if (before.status !== after.status) {
    const left = after.status === 'DEPROVISIONED';
    changes.push({
      change: left ? 'left' : 'status_changed',
      from: before.status,
      to: after.status,
      description: left
        ? `${login} was deactivated (was ${before.status})`
        : `${login}: status changed from ${before.status} to ${after.status}`,
    });
  }
  if (before.department !== after.department)
    changes.push({
      change: 'department_changed',
      from: before.department,
      to: after.department,
      description: `${login}: department changed from ${before.department ?? 'none'} to ${after.department ?? 'none'}`,
    });
  if (before.manager !== after.manager)
    changes.push({
      change: 'manager_changed',
      from: before.manager,
      to: after.manager,
      description: `${login}: manager changed from ${before.manager ?? 'none'} to ${after.manager ?? 'none'}`,
    });
  if (roles(before) !== roles(after))
    changes.push({
      change: 'admin_roles_changed',
      from: roles(before),
      to: roles(after),
      description: `${login}: admin roles changed from ${roles(before)} to ${roles(after)}`,
    });
  return changes;
}
