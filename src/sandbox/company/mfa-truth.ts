import type { Company } from './company.js';
import { hasAccessAt, hasMfaIn, LIFECYCLE_SYSTEMS, type LifecycleSystem } from './lifecycle.js';
import type { Person } from './roster.js';

/** One active person's account in one system and whether it has a second factor. */
export interface MfaTruth {
  readonly employeeId: string;
  readonly person: string;
  readonly system: LifecycleSystem;
  /** As the register names it (IAM users as `<account id>/<user name>`). */
  readonly account: string;
  readonly mfa: boolean;
}

export function accountName(person: Person, system: LifecycleSystem, awsAccount: string): string {
  switch (system) {
    case 'Okta':
      return person.oktaLogin;
    case 'Google Workspace':
      return person.googleEmail;
    case 'GitHub':
      return person.githubLogin;
    case 'AWS IAM':
      return `${awsAccount}/${person.iamUser ?? ''}`;
    case 'AWS IAM Identity Center':
      return person.email;
  }
}

/**
 * MFA of every person employed at the end of the period, in every system where the person has access
 * then and the sandbox serves MFA state: the planted people without a second factor come out `false`.
 */
export function mfaTruth(company: Company, options: { awsAccountId?: string } = {}): MfaTruth[] {
  const at = company.period.end - 1;
  const rows: MfaTruth[] = [];
  for (const state of company.stateAt(at)) {
    if (state.status !== 'employed') continue;
    for (const system of LIFECYCLE_SYSTEMS) {
      const mfa = hasMfaIn(company, state.person, system);
      if (mfa === null || !hasAccessAt(company, state.person, system, at)) continue;
      rows.push({
        employeeId: state.person.employeeId,
        person: state.person.email,
        system,
        account: accountName(state.person, system, options.awsAccountId ?? '123456789012'),
        mfa,
      });
    }
  }
  return rows;
}
