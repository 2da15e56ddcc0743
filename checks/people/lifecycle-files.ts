import path from 'node:path';
import type { FactsReader } from '../../src/checks/check.js';
import { openTableFiles } from '../../src/export/table-files.js';
import { iso, type Window } from '../../src/time.js';
import { orphanAccountFindings } from '../orphan-accounts.js';
import { leaverRowsOf, type LeaverPolicy } from './leaver-rows.js';
import { mfaRows } from './mfa-rows.js';
import { readPeopleSnapshots, type PeopleSnapshots } from './people-snapshots.js';
import { peopleFileName } from './file-names.js';
import type { PeopleSettings } from './settings.js';

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10);

function table(out: string, name: string, sheetName: string, headers: readonly string[]) {
  return openTableFiles({
    csvPath: path.join(out, `${name}.csv`),
    xlsxPath: path.join(out, `${name}.xlsx`),
    sheetName,
    headers,
  });
}

/**
 * CC6.2_Leaver_Access_Removal_<period> (one row per leaver and system), CC6.1_Orphan_Accounts_<period>
 * and CC6.1_MFA_Per_Person_<period>, CSV and XLSX each; the same rules the lifecycle checks apply.
 */
export async function writeLifecycleFiles(
  facts: FactsReader,
  period: Window & { label: string },
  settings: PeopleSettings,
  policy: LeaverPolicy,
  out: string,
): Promise<string[]> {
  const snapshots = await readPeopleSnapshots(facts, period, settings);
  return writeLifecycleFilesOf(facts, period, snapshots, policy, out);
}

/** The lifecycle files from one read of the people snapshots (the event streams are read for the leavers). */
export async function writeLifecycleFilesOf(
  facts: FactsReader,
  period: Window & { label: string },
  snapshots: PeopleSnapshots,
  policy: LeaverPolicy,
  out: string,
): Promise<string[]> {
  const leaverName = peopleFileName('leaverAccessRemoval', period.label);
  const leavers = table(out, leaverName, 'Leaver Access Removal', [
    'Person',
    'Name',
    'End Date',
    'System',
    'Account',
    'Access Ended At (UTC)',
    'Evidence',
    'Precision',
    'Delay (hours)',
    'Finding',
  ]);
  for (const row of await leaverRowsOf(facts, period, snapshots, policy))
    await leavers.addRow([
      row.person,
      row.name,
      row.endDate,
      row.system,
      row.account,
      row.accessEndedAt === null ? null : iso(row.accessEndedAt),
      row.evidence,
      row.precision,
      hours(row.delayMs),
      row.findings.map((finding) => finding.code).join(', ') || null,
    ]);
  await leavers.close();

  const orphanName = peopleFileName('orphanAccounts', period.label);
  const orphans = table(out, orphanName, 'Orphan Accounts', ['Finding', 'Person', 'Item', 'Description']);
  for (const finding of orphanAccountFindings(snapshots))
    await orphans.addRow([
      finding.code,
      finding.subject ?? null,
      finding.keys[0] ?? null,
      finding.description,
    ]);
  await orphans.close();

  const mfaName = peopleFileName('mfaPerPerson', period.label);
  const mfa = table(out, mfaName, 'MFA Per Person', ['Person', 'System', 'Account', 'MFA', 'Evidence']);
  for (const row of await mfaRows(facts, period, snapshots))
    await mfa.addRow([
      row.person,
      row.system,
      row.account,
      row.mfa === null ? 'not recorded' : row.mfa ? 'yes' : 'no',
      row.evidence,
    ]);
  await mfa.close();
  return [leaverName, orphanName, mfaName].flatMap((name) => [`${name}.csv`, `${name}.xlsx`]);
}
