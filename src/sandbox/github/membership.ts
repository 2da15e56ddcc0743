import { accessEndsAt, accessStartsAt, hasAccessAt, type Company } from '../company/index.js';

/**
 * Grace joined the org before SAML SSO was enforced and never linked her identity: her GitHub account
 * links to her only through the mapping file.
 */
export const WITHOUT_SAML_IDENTITY = 'grace';

export interface SandboxMember {
  login: string;
  role: 'admin' | 'member';
  twoFactor: boolean;
}

/** A member's SAML SSO identity: the IdP's NameID (the work email) and the SCIM user name provisioned. */
export interface SandboxSamlIdentity {
  guid: string;
  login: string;
  nameId: string;
  scimUsername: string;
}

export interface ExpectedAccessChange {
  login: string;
  change: 'joined' | 'left' | 'role_changed';
  at: number;
  from?: string;
  to?: string;
}

/**
 * The organisation's members as the company makes them: every person with a GitHub account at `at`
 * (joined on the start day, removed after leaving, one leaver late), owners where the company makes
 * the person an admin; the people without a second factor have no 2FA here either.
 */
export function membersAt(company: Company, at: number): SandboxMember[] {
  return company
    .stateAt(at)
    .filter((state) => hasAccessAt(company, state.person, 'GitHub', at))
    .map((state) => ({
      login: state.person.githubLogin,
      role: state.admin ? ('admin' as const) : ('member' as const),
      twoFactor: !company.withoutMfa.has(state.person.employeeId),
    }))
    .sort((a, b) => a.login.localeCompare(b.login));
}

/** The SAML identities linked to the members at `at` (GitHub drops the identity with the membership). */
export function samlIdentitiesAt(company: Company, at: number): SandboxSamlIdentity[] {
  const members = new Set(membersAt(company, at).map((member) => member.login));
  return company.people
    .filter(
      (person) => members.has(person.githubLogin) && person.firstName.toLowerCase() !== WITHOUT_SAML_IDENTITY,
    )
    .map((person) => ({
      guid: `saml-${person.employeeId.toLowerCase()}`,
      login: person.githubLogin,
      nameId: person.oktaLogin,
      scimUsername: person.oktaLogin,
    }))
    .sort((a, b) => a.login.localeCompare(b.login));
}

/** Every join, removal and role change of the members over the period, oldest first. */
export function membershipChanges(company: Company): ExpectedAccessChange[] {
  const changes: ExpectedAccessChange[] = [];
  const { start, end } = company.period;
  for (const person of company.people) {
    const login = person.githubLogin;
    const joined = accessStartsAt(person, 'GitHub');
    if (joined >= start && joined < end) changes.push({ login, change: 'joined', at: joined });
    const left = accessEndsAt(company, person, 'GitHub');
    if (left !== null && left >= start && left < end) changes.push({ login, change: 'left', at: left });
  }
  for (const event of company.events) {
    if (event.kind !== 'mover' || event.field !== 'admin') continue;
    const person = company.byId(event.employeeId);
    if (!hasAccessAt(company, person, 'GitHub', event.at)) continue;
    const role = (admin: string | null) => (admin === 'true' ? 'admin' : 'member');
    changes.push({
      login: person.githubLogin,
      change: 'role_changed',
      at: event.at,
      from: role(event.from),
      to: role(event.to),
    });
  }
  return changes.sort((a, b) => a.at - b.at || a.login.localeCompare(b.login));
}
