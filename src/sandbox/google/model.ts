import { createHash } from 'node:crypto';
import { HOUR } from '../../time.js';
import { accessEndsAt, type Company, type NonPersonAccount, type Person } from '../company/index.js';

const iso = (at: number) => new Date(at).toISOString();
/** A numeric id, like Google's 21-digit user ids, stable per person. */
export const googleUserId = (key: string) =>
  `1${BigInt(`0x${createHash('sha1').update(key).digest('hex').slice(0, 15)}`)
    .toString()
    .padStart(20, '0')}`;
const createdAt = (person: Person) => person.startDate + 9 * HOUR + 40 * 60_000;

/** The Directory users at `at`: people whose account exists by then (leavers suspended), and the planted accounts. */
export function googleUsersAt(company: Company, at: number): Record<string, unknown>[] {
  const users: Record<string, unknown>[] = [];
  for (const state of company.stateAt(at)) {
    const { person } = state;
    if (createdAt(person) > at) continue;
    const manager = state.managerId ? company.byId(state.managerId) : undefined;
    // Suspended when the company's lifecycle says (the admin log's SUSPEND_USER), not at the HR moment.
    const suspendedAt = accessEndsAt(company, person, 'Google Workspace');
    const suspended = suspendedAt !== null && at >= suspendedAt;
    users.push({
      kind: 'admin#directory#user',
      id: googleUserId(person.employeeId),
      primaryEmail: person.googleEmail,
      name: { givenName: person.firstName, familyName: person.lastName, fullName: person.name },
      isAdmin: state.admin,
      isDelegatedAdmin: false,
      // A suspended user cannot sign in: the last login stays where it was, hours before the suspension.
      lastLoginTime: suspended
        ? iso(Math.max(createdAt(person) + HOUR, suspendedAt - 3 * HOUR))
        : iso(Math.max(createdAt(person) + HOUR, at - 4 * HOUR)),
      creationTime: iso(createdAt(person)),
      agreedToTerms: true,
      suspended,
      ...(suspended ? { suspensionReason: 'ADMIN' } : {}),
      archived: false,
      changePasswordAtNextLogin: false,
      ipWhitelisted: false,
      emails: [{ address: person.googleEmail, primary: true }],
      aliases: [`${person.firstName.toLowerCase()}@${company.domain}`],
      externalIds: [{ value: person.employeeId, type: 'organization' }],
      organizations: [{ title: person.title, department: state.department, primary: true, customType: '' }],
      ...(manager ? { relations: [{ value: manager.googleEmail, type: 'manager' }] } : {}),
      customerId: 'C0sandbox',
      orgUnitPath: '/Staff',
      isMailboxSetup: true,
      isEnrolledIn2Sv: !company.withoutMfa.has(person.employeeId),
      isEnforcedIn2Sv: true,
      includeInGlobalAddressList: true,
    });
  }
  // A planted account exists from its creation on (one is created for nobody inside the period).
  for (const account of company.accounts) if (account.createdAt <= at) users.push(accountUser(account));
  return users.sort((a, b) => String(a.primaryEmail).localeCompare(String(b.primaryEmail)));
}

function accountUser(account: NonPersonAccount): Record<string, unknown> {
  return {
    kind: 'admin#directory#user',
    id: googleUserId(account.login),
    primaryEmail: account.login,
    name: { fullName: account.name },
    isAdmin: false,
    isDelegatedAdmin: account.kind === 'service',
    lastLoginTime: '1970-01-01T00:00:00.000Z',
    creationTime: iso(account.createdAt),
    suspended: false,
    archived: false,
    orgUnitPath: account.kind === 'service' ? '/Service Accounts' : '/',
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    customerId: 'C0sandbox',
  };
}
