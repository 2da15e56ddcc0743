import { PEOPLE } from '../github/people.js';

/** A person as the HR system would hold them, with the account names every other system uses. */
export interface Person {
  readonly employeeId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly name: string;
  /** `first.last@<domain>`: the Okta login and the Google primary email. */
  readonly email: string;
  readonly title: string;
  /** Department and manager at the start of the period (or on joining); movers change them later. */
  readonly department: string;
  readonly managerId: string | null;
  /** Epoch ms of the first day (UTC midnight) and of the last day, or null while employed. */
  readonly startDate: number;
  readonly endDate: number | null;
  readonly oktaLogin: string;
  readonly googleEmail: string;
  /** The GitHub member login; the org's SAML SSO links it to `oktaLogin`. */
  readonly githubLogin: string;
  /** The IAM user name (and Identity Center user) where the person has AWS access: engineering and operations. */
  readonly iamUser: string | null;
  /** Okta super admin / Google super admin at the start. */
  readonly admin: boolean;
}

export const DEPARTMENTS = ['Engineering', 'Operations', 'Finance', 'Sales', 'People'] as const;

/** Last names for the GitHub sandbox's first names (so GitHub logins line up), then the newcomers. */
const LAST_NAMES: Record<string, string> = {
  alice: 'Anders',
  bob: 'Brown',
  carol: 'Chen',
  dave: 'Dietrich',
  erin: 'Evans',
  frank: 'Fischer',
  grace: 'Garcia',
  heidi: 'Hansen',
};

/** Further first/last names drawn for the rest of the staff and the planted joiners. */
export const MORE_NAMES: readonly [string, string][] = [
  ['ivan', 'Ivanov'],
  ['judy', 'Jones'],
  ['ken', 'Kowalski'],
  ['laura', 'Lopez'],
  ['mallory', 'Martin'],
  ['nina', 'Nowak'],
  ['oscar', 'Olsen'],
  ['peggy', 'Patel'],
  ['quinn', 'Quist'],
  ['rupert', 'Rossi'],
  ['sybil', 'Schmidt'],
  ['trent', 'Taylor'],
];

export const GITHUB_NAMES: readonly [string, string][] = PEOPLE.map((first) => [first, LAST_NAMES[first]!]);

const TITLES: Record<string, string> = {
  Engineering: 'Software Engineer',
  Operations: 'Site Reliability Engineer',
  Finance: 'Accountant',
  Sales: 'Account Executive',
  People: 'People Partner',
};

export function titleOf(department: string): string {
  return TITLES[department] ?? 'Staff';
}

export const capital = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
