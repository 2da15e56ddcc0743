import type { FactsReader } from '../../src/checks/check.js';
import type { PeriodFindings, RecordedFinding } from '../../src/checks/judge-period.js';
import type { Window } from '../../src/time.js';
import type { AccountRecord } from './account.js';
import { readPeopleSnapshots } from './people-snapshots.js';
import type { RegisteredAccount } from './register.js';
import { describeRoles } from './review-account-state.js';
import { grantsAccess } from './account.js';
import type { PeopleSettings } from './settings.js';

/** An account to review: active at some point of the period, with its person and open findings. */
export interface ReviewAccount {
  readonly account: RegisteredAccount;
  readonly roles: string;
  /** Distinct `code (check@version)` of the findings that mark this account's observations. */
  readonly findings: readonly string[];
}

const accountRef = (record: Pick<AccountRecord, 'system' | 'accountId'>) =>
  `${record.system}\u0000${record.accountId}`;

interface Seen {
  active: boolean;
  roles: string;
  readonly items: { stream: string; key: string }[];
}

/**
 * Every account of every collected system that held access at some point of the period (an account
 * already deactivated on every day observed is left out), linked to its person by the people register.
 * A finding belongs to an account when it marks one of the account's own observations, or names the
 * account as its subject on that stream: whatever checks exist, no check is named here.
 */
export async function reviewAccounts(
  facts: FactsReader,
  period: Window,
  settings: PeopleSettings,
  findings: PeriodFindings,
): Promise<ReviewAccount[]> {
  const seen = new Map<string, Seen>();
  // The roles and items of each account, gathered in the same pass that builds the register.
  const { register } = await readPeopleSnapshots(facts, period, settings, (_adapter, fact, records) => {
    for (const record of records) {
      const ref = accountRef(record);
      const entry = seen.get(ref) ?? { active: false, roles: '', items: [] };
      if (grantsAccess(record)) {
        entry.active = true;
        entry.roles = describeRoles(fact.payload, record);
      }
      entry.items.push({ stream: fact.stream, key: fact.key });
      seen.set(ref, entry);
    }
  });
  const bySubject = new Map<string, RecordedFinding[]>();
  for (const finding of findings.findings)
    if (finding.subject !== undefined) {
      const ref = `${finding.stream}\u0000${finding.subject.toLowerCase()}`;
      bySubject.set(ref, [...(bySubject.get(ref) ?? []), finding]);
    }
  const result: ReviewAccount[] = [];
  for (const account of register.accounts) {
    const entry = seen.get(accountRef(account));
    if (!entry?.active) continue;
    const marks = new Set<string>();
    const streams = new Set<string>();
    for (const item of entry.items) {
      streams.add(item.stream);
      for (const finding of findings.forItem(item.stream, item.key))
        marks.add(`${finding.code} (${finding.checkRef})`);
    }
    for (const stream of streams)
      for (const finding of bySubject.get(`${stream}\u0000${account.accountId.toLowerCase()}`) ?? [])
        marks.add(`${finding.code} (${finding.checkRef})`);
    result.push({ account, roles: entry.roles, findings: [...marks].sort() });
  }
  return result;
}
