import { DAY, HOUR, alignDown } from '../../time.js';
import type { Company, NonPersonAccount, PersonState } from '../company/index.js';
import type { Person } from '../company/index.js';

/** An Okta user as GET /api/v1/users returns it. */
export interface OktaApiUser {
  id: string;
  status: string;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  profile: Record<string, string | null>;
}

export interface OktaLogEvent {
  uuid: string;
  published: string;
  eventType: string;
  displayMessage: string;
  severity: string;
  actor: { id: string; type: string; alternateId: string; displayName: string };
  target: { id: string; type: string; alternateId: string; displayName: string }[];
  outcome: { result: string; reason: string | null };
  client: { ipAddress: string };
}

const iso = (at: number) => new Date(at).toISOString();
export const oktaUserId = (key: string) =>
  `00u${key
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .padEnd(14, '0')
    .slice(0, 14)}`;
const createdAt = (person: Person) => person.startDate + 9 * HOUR + 30 * 60_000;

function profileOf(person: Person, state: PersonState, company: Company): Record<string, string | null> {
  const manager = state.managerId ? company.byId(state.managerId) : undefined;
  return {
    login: person.oktaLogin,
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    employeeNumber: person.employeeId,
    department: state.department,
    title: person.title,
    managerId: manager?.employeeId ?? null,
    manager: manager?.oktaLogin ?? null,
  };
}

/** The users as Okta would list them at `at`: people whose account exists by then, and the planted accounts. */
export function oktaUsersAt(company: Company, at: number): OktaApiUser[] {
  const users: OktaApiUser[] = [];
  for (const state of company.stateAt(at)) {
    const { person } = state;
    if (createdAt(person) > at) continue;
    const left = company.events.find(
      (e) => e.kind === 'leaver' && e.employeeId === person.employeeId && e.at <= at,
    );
    const created = createdAt(person);
    users.push({
      id: oktaUserId(person.employeeId),
      status: left ? 'DEPROVISIONED' : 'ACTIVE',
      created: iso(created),
      activated: iso(created + 60_000),
      statusChanged: iso(left ? left.at : created + 60_000),
      // Everyone still here signed in early that morning (or the day before).
      lastLogin: iso(
        left ? left.at - 2 * HOUR : Math.max(created + HOUR, alignDown(at - 8 * HOUR, DAY) + 8 * HOUR),
      ),
      lastUpdated: iso(left ? left.at : created + 60_000),
      profile: profileOf(person, state, company),
    });
  }
  // A planted account exists from its creation on (one is created for nobody inside the period).
  for (const account of company.accounts) if (account.createdAt <= at) users.push(accountUser(account, at));
  return users;
}

function accountUser(account: NonPersonAccount, at: number): OktaApiUser {
  const signedIn = account.createdAt + 30 * DAY;
  const [first = '', last = ''] = account.name.split(' ');
  return {
    id: oktaUserId(account.login.split('@')[0]!),
    status: 'ACTIVE',
    created: iso(account.createdAt),
    activated: iso(account.createdAt + 60_000),
    statusChanged: iso(account.createdAt + 60_000),
    // Never a sign-in later than the moment asked about.
    lastLogin: account.kind === 'service' || signedIn > at ? null : iso(signedIn),
    lastUpdated: iso(account.createdAt + 60_000),
    profile: {
      login: account.login,
      email: account.login,
      firstName: first,
      lastName: last,
      employeeNumber: null,
      department: null,
      managerId: null,
      manager: null,
    },
  };
}

export function oktaFactorsAt(company: Company, userId: string, at: number) {
  const person = company.people.find((p) => oktaUserId(p.employeeId) === userId);
  if (!person || company.withoutMfa.has(person.employeeId)) return [];
  const reset = company.mfaResets.find((r) => r.employeeId === person.employeeId && r.at <= at);
  const factors = [
    { id: `opf${userId.slice(3, 12)}`, factorType: 'push', provider: 'OKTA', status: 'ACTIVE' },
    {
      id: `uft${userId.slice(3, 12)}`,
      factorType: 'token:software:totp',
      provider: 'GOOGLE',
      status: 'ACTIVE',
    },
  ];
  // After the planted reset the person enrolled Okta Verify again, but not the authenticator app.
  return reset ? factors.slice(0, 1) : factors;
}

export function oktaRolesAt(company: Company, userId: string, at: number) {
  const state = company.stateAt(at).find((s) => oktaUserId(s.person.employeeId) === userId);
  return state?.admin
    ? [
        {
          id: `ra1${userId.slice(3, 12)}`,
          type: 'SUPER_ADMIN',
          label: 'Super Administrator',
          status: 'ACTIVE',
          assignmentType: 'USER',
        },
      ]
    : [];
}
