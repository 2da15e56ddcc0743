import { z } from 'zod';
import type { FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import { activeAtEnd } from './account-timeline.js';
import type { PeopleSnapshots } from './people-snapshots.js';

const CREDENTIAL_REPORT = 'aws-credential-report';

const credentialRow = z.looseObject({ user: z.string(), consoleAccess: z.boolean(), mfaActive: z.boolean() });

/** One active person's account in one system and whether it has MFA; null where the facts do not say. */
export interface MfaRow {
  readonly person: string;
  readonly system: string;
  readonly account: string;
  readonly mfa: boolean | null;
  readonly evidence: string;
}

const SOURCE: Record<string, string> = {
  Okta: 'Okta enrolled factors',
  'Google Workspace': 'Google 2-Step Verification',
  GitHub: 'GitHub two-factor authentication',
};

/** The latest credential report row per IAM user name: MFA counts only where the user has a console password. */
async function iamMfa(facts: FactsReader, period: Window) {
  const byUser = new Map<string, z.infer<typeof credentialRow>>();
  if (!facts.collected(CREDENTIAL_REPORT)) return byUser;
  for await (const fact of facts.items(CREDENTIAL_REPORT, period, credentialRow))
    byUser.set(fact.payload.user, fact.payload);
  return byUser;
}

/** MFA of every person employed at the end of the period, in every system where they hold an active account. */
export async function mfaRows(
  facts: FactsReader,
  period: Window,
  { register, timelines }: PeopleSnapshots,
): Promise<MfaRow[]> {
  const lastDay = new Date(period.end - 1).toISOString().slice(0, 10);
  const active = new Set(
    register.people.filter((p) => p.endDate === null || p.endDate >= lastDay).map((p) => p.email),
  );
  const iam = await iamMfa(facts, period);
  const rows: MfaRow[] = [];
  for (const account of register.accounts) {
    if (account.person === null || !active.has(account.person) || account.linkedBy === 'service account')
      continue;
    const timeline = timelines.get(account.system);
    const record = timeline && activeAtEnd(timeline, account.accountId);
    if (!record) continue;
    let mfa = record.mfa;
    let evidence = SOURCE[account.system] ?? `${account.system} account state`;
    if (account.system === 'AWS IAM') {
      const report = iam.get(account.accountId.split('/').slice(1).join('/'));
      if (report && !report.consoleAccess) continue; // no console password: MFA does not apply
      mfa = report ? report.mfaActive : null;
      evidence = report ? 'IAM credential report, console user' : 'no credential report row';
    }
    rows.push({ person: account.person, system: account.system, account: account.accountId, mfa, evidence });
  }
  return rows;
}
