import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { leaverAccessRemoval } from '../../checks/leaver-access-removal.js';
import { DEFAULT_PEOPLE_SETTINGS } from '../../checks/people/defaults.js';
import { writeLifecycleFiles } from '../../checks/people/lifecycle-files.js';
import { personMfa } from '../../checks/person-mfa.js';
import { StoreFacts } from '../../src/checks/store-facts.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY } from '../../src/time.js';
import { tempDir } from '../export/fill-store.js';
import { freshStore } from '../support/stores.js';
import { ACCOUNT, PERIOD, plantCompany } from './support/world.js';

let store: EvidenceStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const csv = (file: string) =>
  parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];

describe('the lifecycle package files', () => {
  it('write one leaver row per leaver and system, the orphan accounts and MFA per person', async () => {
    ({ store } = await freshStore('sqlite'));
    const collected = await plantCompany(store);
    const facts = new StoreFacts(
      store,
      'test',
      new Set([...leaverAccessRemoval.streams, ...personMfa.streams]),
      new Set(collected),
      () => {
        throw new Error('unreadable fact');
      },
    );
    const out = tempDir('lifecycle-files');
    const files = await writeLifecycleFiles(
      facts,
      { ...PERIOD, label: '2026-06' },
      DEFAULT_PEOPLE_SETTINGS,
      { sla: DAY, slaBySystem: {} },
      out,
    );
    expect(files).toContain('CC6.2_Leaver_Access_Removal_2026-06.xlsx');
    const leavers = csv(path.join(out, 'CC6.2_Leaver_Access_Removal_2026-06.csv'));
    expect(leavers).toHaveLength(7);
    expect(leavers.find((r) => r.Person === 'alice@acme.test' && r.System === 'GitHub')).toMatchObject({
      'End Date': '2026-06-10',
      'Access Ended At (UTC)': '2026-06-14T06:00:00.000Z',
      Precision: 'day',
      'Delay (hours)': '102',
      Finding: 'removed_late',
    });
    expect(leavers.find((r) => r.Person === 'bob@acme.test' && r.System === 'AWS IAM')?.Finding).toBe(
      'not_removed, active_after_termination',
    );
    const orphans = csv(path.join(out, 'CC6.1_Orphan_Accounts_2026-06.csv'));
    expect(orphans.map((r) => r.Finding).sort()).toEqual(['account_of_inactive_person', 'unlinked_account']);
    const mfa = csv(path.join(out, 'CC6.1_MFA_Per_Person_2026-06.csv'));
    expect(
      mfa
        .filter((r) => r.MFA === 'no')
        .map((r) => `${r.System} ${r.Account}`)
        .sort(),
    ).toEqual(['GitHub dave-gh', 'Okta dave@acme.test']);
    expect(mfa.find((r) => r.Account === `${ACCOUNT}/dave`)?.MFA).toBe('not recorded');
  });
});
