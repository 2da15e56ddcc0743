import type { z } from 'zod';

/** An account in one system as the register sees it: what its stream said, reduced to what links it. */
export interface AccountRecord {
  /** The system's name in the auditor's words: "GitHub", "AWS IAM", "Okta". */
  readonly system: string;
  readonly accountId: string;
  readonly emails: readonly string[];
  readonly logins: readonly string[];
  /** SAML/SCIM identities and the like: usually the person's IdP login. */
  readonly externalIds: readonly string[];
  readonly status: string | null;
  readonly privileged: boolean | null;
  readonly mfa: boolean | null;
  readonly lastLogin: string | null;
}

/**
 * One small file per account stream: the payloads of its observations become account records. A payload
 * that is not an account observation (a change, a finding) gives undefined.
 */
export interface AccountAdapter<T = unknown> {
  readonly stream: string;
  readonly schema: z.ZodType<T>;
  toAccounts(payload: T): readonly AccountRecord[];
}

// Statuses under which an account still exists but grants no access (Okta, Google Workspace words).
const NO_ACCESS = new Set(['DEPROVISIONED', 'SUSPENDED', 'DELETED', 'ARCHIVED']);

/** Whether an observed account grants access: it is listed and not deactivated, suspended or archived. */
export function grantsAccess(record: Pick<AccountRecord, 'status'>): boolean {
  return !NO_ACCESS.has((record.status ?? '').toUpperCase());
}

export function defineAdapter<T>(adapter: AccountAdapter<T>): AccountAdapter<T> {
  return adapter;
}
