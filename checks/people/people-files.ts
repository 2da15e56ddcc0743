import path from 'node:path';
import type { FactsReader } from '../../src/checks/check.js';
import { openTableFiles } from '../../src/export/table-files.js';
import type { Window } from '../../src/time.js';
import { buildPeopleRegister } from './people-snapshots.js';
import type { PeopleRegister, RegisteredAccount } from './register.js';
import { peopleFileName } from './file-names.js';
import type { PeopleSettings } from './settings.js';

export interface PeopleFiles {
  readonly files: readonly string[];
  readonly register: PeopleRegister;
}

const describeAccount = (account: { accountId: string; linkedBy: string | null }) =>
  `${account.accountId} (${account.linkedBy ?? 'unlinked'})`;

/** CC6.1_Workforce_<period>, without its extension. */
export const workforceFileName = (label: string) => peopleFileName('workforce', label);

/** The accounts the workforce file lists on their own rows: service accounts and those of no person. */
export function accountRows(register: PeopleRegister): RegisteredAccount[] {
  const people = new Set(register.people.map((person) => person.email));
  return register.accounts.filter(
    (account) =>
      account.linkedBy === 'service account' || account.person === null || !people.has(account.person),
  );
}

/** The rows of the workforce file: one per person, then one per account of `accountRows`. */
export const workforceRows = (register: PeopleRegister) =>
  register.people.length + accountRows(register).length;

/**
 * CC6.1_Workforce_<period>: every person of the period with start and end and their accounts per system,
 * then every service account and every account linked to no person. CC6.2_Joiners_Movers_Leavers_<period>:
 * every joiner, mover and leaver with its source and date. CSV and XLSX each.
 */
export async function writePeopleFiles(
  facts: FactsReader,
  period: Window & { label: string },
  settings: PeopleSettings,
  out: string,
): Promise<PeopleFiles> {
  return writePeopleFilesOf(await buildPeopleRegister(facts, period, settings), period, out);
}

/** The workforce and joiners/movers/leavers files of a register already built. */
export async function writePeopleFilesOf(
  register: PeopleRegister,
  period: Window & { label: string },
  out: string,
): Promise<PeopleFiles> {
  const systems = [...new Set(register.accounts.map((account) => account.system))].sort();
  const workforceName = workforceFileName(period.label);
  const workforce = openTableFiles({
    csvPath: path.join(out, `${workforceName}.csv`),
    xlsxPath: path.join(out, `${workforceName}.xlsx`),
    sheetName: 'Workforce',
    headers: [
      'Record',
      'Person',
      'Employee ID',
      'Name',
      'Start Date',
      'End Date',
      'Department',
      'Job Title',
      'Source',
      ...systems.map((system) => `${system} accounts`),
    ],
  });
  for (const person of register.people) {
    const mine = register.accounts.filter(
      (account) => account.person === person.email && account.linkedBy !== 'service account',
    );
    await workforce.addRow([
      'person',
      person.email,
      person.employeeId,
      person.name,
      person.startDate,
      person.endDate,
      person.department,
      person.jobTitle,
      person.source,
      ...systems.map((system) =>
        mine
          .filter((account) => account.system === system)
          .map(describeAccount)
          .join('; '),
      ),
    ]);
  }
  for (const account of accountRows(register)) {
    const record =
      account.linkedBy === 'service account'
        ? 'service account'
        : account.person === null
          ? 'unlinked account'
          : 'account of a person outside the period';
    await workforce.addRow([
      record,
      account.person,
      null,
      null,
      null,
      null,
      null,
      null,
      account.serviceReason ?? `last seen ${account.lastSeen}`,
      ...systems.map((system) => (system === account.system ? describeAccount(account) : '')),
    ]);
  }
  await workforce.close();

  const jmlName = peopleFileName('joinersMoversLeavers', period.label);
  const jml = openTableFiles({
    csvPath: path.join(out, `${jmlName}.csv`),
    xlsxPath: path.join(out, `${jmlName}.xlsx`),
    sheetName: 'Joiners Movers Leavers',
    headers: ['Event', 'Date', 'Person', 'Employee ID', 'Name', 'Source', 'Detail'],
  });
  for (const event of register.events)
    await jml.addRow([
      event.event,
      event.date,
      event.person,
      event.employeeId,
      event.name,
      event.source,
      event.detail,
    ]);
  await jml.close();
  return {
    files: [workforceName, jmlName].flatMap((name) => [`${name}.csv`, `${name}.xlsx`]),
    register,
  };
}
