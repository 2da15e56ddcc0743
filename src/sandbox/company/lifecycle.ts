import { DAY, HOUR } from '../../time.js';
import type { Company } from './company.js';
import type { Person } from './roster.js';

/** The systems a person's access lives in, named as the people register names them. */
export const LIFECYCLE_SYSTEMS = [
  'Okta',
  'Google Workspace',
  'GitHub',
  'AWS IAM',
  'AWS IAM Identity Center',
] as const;
export type LifecycleSystem = (typeof LIFECYCLE_SYSTEMS)[number];

/** Mallory's GitHub membership is removed three days after she leaves (a planted late removal). */
export const LATE_GITHUB_LEAVER = { first: 'mallory', delay: 3 * DAY } as const;
/** Frank's IAM user and its access key are never removed (he was taken off Identity Center only). */
export const FORGOTTEN_IAM_LEAVER = 'frank';
/** The demo leaves out collection of this stream 40 to 38 days before the end (task A's planted outage). */
export const PLANTED_COLLECTION_GAP = {
  stream: 'aws-cloudtrail-access-changes',
  fromDaysBeforeEnd: 40,
  toDaysBeforeEnd: 38,
} as const;

/** Oscar's GitHub membership is added two days before his HR start date (a planted early grant). */
export const EARLY_GITHUB_JOINER = { first: 'oscar', early: 2 * DAY } as const;

/** Carol's IAM console user has no MFA device, though she has a second factor everywhere else. */
export const IAM_WITHOUT_MFA = 'carol';

// Routine removals a little after the HR system records the leaver: minutes (IdP-driven), hours (by hand).
const ROUTINE_DELAY: Record<LifecycleSystem, number> = {
  Okta: 0,
  'Google Workspace': 10 * 60_000,
  GitHub: HOUR,
  'AWS IAM': 2 * HOUR,
  'AWS IAM Identity Center': HOUR,
};

const firstName = (person: Person) => person.firstName.toLowerCase();

/** The moment a person's employment ended (the HR leaver event), or null for a person who did not leave. */
export function leftAt(company: Company, employeeId: string): number | null {
  return company.events.find((e) => e.kind === 'leaver' && e.employeeId === employeeId)?.at ?? null;
}

/** Whether the person has an account in the system at all. */
export function hasAccount(person: Person, system: LifecycleSystem): boolean {
  if (system === 'AWS IAM' || system === 'AWS IAM Identity Center') return person.iamUser !== null;
  return true;
}

/**
 * When the sandbox removes (or suspends) a leaver's access to the system: null while the person has not
 * left or when the removal never happens. Every sandbox reads its removals from here, so they line up.
 */
export function accessEndsAt(company: Company, person: Person, system: LifecycleSystem): number | null {
  const left = leftAt(company, person.employeeId);
  if (left === null || !hasAccount(person, system)) return null;
  if (system === 'AWS IAM' && firstName(person) === FORGOTTEN_IAM_LEAVER) return null;
  if (system === 'GitHub' && firstName(person) === LATE_GITHUB_LEAVER.first)
    return left + LATE_GITHUB_LEAVER.delay;
  return left + ROUTINE_DELAY[system];
}

/** When the person's account in the system is created: on the start day, after the HR record. */
export function accessStartsAt(person: Person, system: LifecycleSystem): number {
  const minutes: Record<LifecycleSystem, number> = {
    Okta: 30,
    'Google Workspace': 40,
    GitHub: 60,
    'AWS IAM': 90,
    'AWS IAM Identity Center': 75,
  };
  const early = system === 'GitHub' && firstName(person) === EARLY_GITHUB_JOINER.first;
  return person.startDate + 9 * HOUR + minutes[system] * 60_000 - (early ? EARLY_GITHUB_JOINER.early : 0);
}

/** Whether the person holds an account in the system at `at`. */
export function hasAccessAt(company: Company, person: Person, system: LifecycleSystem, at: number): boolean {
  if (!hasAccount(person, system) || accessStartsAt(person, system) > at) return false;
  const ends = accessEndsAt(company, person, system);
  return ends === null || at < ends;
}

/**
 * Whether the person's account in the system has a second factor; null where the sandbox does not say
 * (Identity Center MFA is not served). The company's people without MFA have none anywhere.
 */
export function hasMfaIn(company: Company, person: Person, system: LifecycleSystem): boolean | null {
  if (system === 'AWS IAM Identity Center') return null;
  if (company.withoutMfa.has(person.employeeId)) return false;
  return !(system === 'AWS IAM' && firstName(person) === IAM_WITHOUT_MFA);
}
