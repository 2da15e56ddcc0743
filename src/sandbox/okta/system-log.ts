import { createHash } from 'node:crypto';
import { DAY, HOUR, alignDown } from '../../time.js';
import type { Company, Person } from '../company/index.js';
import { oktaUserId, type OktaLogEvent } from './model.js';

const ADMIN = {
  id: '00uadminautomation',
  type: 'User',
  alternateId: 'it-automation@',
  displayName: 'IT Automation',
};

function uuid(...parts: (string | number)[]): string {
  const hex = createHash('sha1').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The System Log of the company over its period, oldest first: every lifecycle, membership, privilege and
 * MFA event (the ground truth a backfill must equal), plus daily sign-ins and profile updates that the
 * connector's filter must leave out.
 */
export function buildSystemLog(company: Company): OktaLogEvent[] {
  const actor = { ...ADMIN, alternateId: `it-automation@${company.domain}` };
  const user = (p: Person) => ({
    id: oktaUserId(p.employeeId),
    type: 'User',
    alternateId: p.oktaLogin,
    displayName: p.name,
  });
  const group = (name: string) => ({
    id: `00g${name.toLowerCase().padEnd(14, '0').slice(0, 14)}`,
    type: 'UserGroup',
    alternateId: 'unknown',
    displayName: name,
  });
  const app = {
    id: '0oagithubcloud0000',
    type: 'AppInstance',
    alternateId: 'GitHub Enterprise Cloud',
    displayName: 'GitHub Enterprise Cloud',
  };
  const events: OktaLogEvent[] = [];
  const add = (
    at: number,
    eventType: string,
    message: string,
    targets: OktaLogEvent['target'],
    result = 'SUCCESS',
    reason: string | null = null,
  ) =>
    events.push({
      uuid: uuid(company.domain, at, eventType, ...targets.map((t) => t.id)),
      published: new Date(at).toISOString(),
      eventType,
      displayMessage: message,
      severity: 'INFO',
      actor,
      target: targets,
      outcome: { result, reason },
      client: { ipAddress: '203.0.113.10' },
    });
  const { start, end } = company.period;
  const departmentAt = (p: Person, at: number) => company.stateAt(at).find((s) => s.person === p)!.department;
  for (const event of company.events) {
    const person = company.byId(event.employeeId);
    const t = event.at;
    if (event.kind === 'joiner') {
      add(t, 'user.lifecycle.create', 'Create Okta user', [user(person)]);
      add(t + 60_000, 'user.lifecycle.activate', 'Activate Okta user', [user(person)]);
      add(t + 120_000, 'group.user_membership.add', 'Add user to group membership', [
        user(person),
        group(person.department),
      ]);
      add(t + 180_000, 'application.user_membership.add', 'Add user to application membership', [
        user(person),
        app,
      ]);
    } else if (event.kind === 'leaver') {
      add(t, 'user.lifecycle.deactivate', 'Deactivate Okta user', [user(person)]);
      add(t + 60_000, 'group.user_membership.remove', 'Remove user from group membership', [
        user(person),
        group(departmentAt(person, t)),
      ]);
      add(t + 120_000, 'application.user_membership.remove', 'Remove user from application membership', [
        user(person),
        app,
      ]);
    } else if (event.field === 'department') {
      add(t, 'group.user_membership.remove', 'Remove user from group membership', [
        user(person),
        group(event.from!),
      ]);
      add(t + 60_000, 'group.user_membership.add', 'Add user to group membership', [
        user(person),
        group(event.to!),
      ]);
      add(t + 120_000, 'user.account.update_profile', 'Update user profile for Okta', [user(person)]);
    } else if (event.field === 'manager') {
      add(t, 'user.account.update_profile', 'Update user profile for Okta', [user(person)]);
    } else {
      const grant = event.to === 'true';
      add(
        t,
        grant ? 'user.account.privilege.grant' : 'user.account.privilege.revoke',
        grant ? 'Grant user privilege' : 'Revoke user privilege',
        [user(person)],
      );
    }
  }
  for (const reset of company.mfaResets)
    add(reset.at, 'user.mfa.factor.reset_all', 'Reset all factors for user', [
      user(company.byId(reset.employeeId)),
    ]);
  // A refused privilege grant: the attempt is a fact the auditor sees, with its outcome.
  const grace = company.people.find((p) => p.githubLogin === 'grace');
  if (grace)
    add(
      alignDown(start + (end - start) / 2, DAY) + 11 * HOUR,
      'user.account.privilege.grant',
      'Grant user privilege',
      [user(grace)],
      'FAILURE',
      'INSUFFICIENT_PERMISSIONS',
    );
  // Noise the filter leaves out: a sign-in per working day for a few people.
  for (let day = start; day < end; day += DAY)
    for (const [index, person] of company.people.slice(0, 3).entries())
      add(day + 8 * HOUR + index * 60_000, 'user.session.start', 'User login to Okta', [user(person)]);
  return events.sort((a, b) => a.published.localeCompare(b.published) || a.uuid.localeCompare(b.uuid));
}
