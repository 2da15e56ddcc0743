import { afterEach, describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { orphanAccountsCheck } from '../../checks/orphan-accounts.js';
import { DEFAULT_PEOPLE_SETTINGS } from '../../checks/people/defaults.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { judgePeriod } from '../../src/checks/judge-period.js';
import { prepareItem } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY } from '../../src/time.js';
import { freshStore } from '../support/stores.js';
import { ACCOUNT, PERIOD, plantCompany, START, write } from './support/world.js';

let store: EvidenceStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function planted() {
  ({ store } = await freshStore('sqlite'));
  const collected = await plantCompany(store);
  // dave and bob can sign in to the console; dave has no MFA device.
  const day = { start: START + 29 * DAY, end: PERIOD.end };
  await write(
    store,
    'aws-credential-report',
    day,
    ['dave', 'bob'].map((user) =>
      prepareItem({
        key: `2026-06-30/${user}`,
        occurredAt: day.start + 1,
        payload: { user, consoleAccess: true, mfaActive: user === 'bob' },
      }),
    ),
  );
  return { store, collected: new Set([...collected, 'aws-credential-report']) };
}

async function judged(
  s: EvidenceStore,
  collected: Set<string>,
  checks = builtInChecks,
  id = 'orphan-accounts',
) {
  const set = buildCheckSet(checks, {}, Catalogue.load());
  const result = await judgePeriod(s, [set.check(id)], collected, PERIOD);
  return result.findings.map((f) => `${f.code} ${f.description}`).sort();
}

describe('orphan accounts and MFA per person on planted facts in a real SQLite store', () => {
  it('lists every active account that no active person answers for', async () => {
    const { store: s, collected } = await planted();
    expect(await judged(s, collected)).toEqual([
      `account_of_inactive_person AWS IAM account ${ACCOUNT}/bob of bob@acme.test is active on 2026-06-30 (last snapshot of the period, read 2026-06-30T06:00:00.000Z); employment ended 2026-06-12`,
      `unlinked_account AWS IAM account ${ACCOUNT}/ci-bot is active on 2026-06-30 (last snapshot of the period, read 2026-06-30T06:00:00.000Z) and links to no person`,
    ]);
  });

  it('flags a declared service account whose owner has left', async () => {
    const { store: s, collected } = await planted();
    const check = orphanAccountsCheck(() => ({
      ...DEFAULT_PEOPLE_SETTINGS,
      serviceAccounts: [
        { system: 'AWS IAM', account: `${ACCOUNT}/ci-bot`, owner: 'alice@acme.test', reason: 'deploys' },
      ],
    }));
    const found = await judged(s, collected, [check]);
    expect(found).toContain(
      `service_account_owner_left service AWS IAM account ${ACCOUNT}/ci-bot (deploys) is owned by alice@acme.test, who left on 2026-06-10`,
    );
    expect(found.some((line) => line.includes('unlinked_account'))).toBe(false);
  });

  it('gives one finding per active person and system without MFA, IAM only for console users', async () => {
    const { store: s, collected } = await planted();
    const found = await judged(s, collected, builtInChecks, 'person-mfa');
    expect(found).toEqual(
      [
        "mfa_missing dave@acme.test's GitHub account dave-gh has no MFA (GitHub two-factor authentication)",
        "mfa_missing dave@acme.test's Okta account dave@acme.test has no MFA (Okta enrolled factors)",
        `mfa_missing dave@acme.test's AWS IAM account ${ACCOUNT}/dave has no MFA (IAM credential report, console user)`,
      ].sort(),
    );
  });
});
