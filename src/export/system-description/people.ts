import { readPeopleRegister } from '../../../checks/people/package-files.js';
import { grantsAccess } from '../../../checks/people/account.js';
import { workforceFileName, workforceRows } from '../../../checks/people/people-files.js';
import type { App } from '../../app.js';
import type { AuditPeriod } from '../audit-period.js';
import { paragraph, table, type Block } from './model.js';
import type { CitedFiles } from './sources.js';

export interface PeopleBlocks {
  /** Headcount by department; empty when no HR or identity source gives people. */
  readonly workforce: readonly Block[];
  /** Accounts and admins per system; empty when no account stream is collected. */
  readonly admins: readonly Block[];
}

const count = <T>(items: readonly T[], keyOf: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
};

/**
 * The people component from the people register, the one the package's CC6.1 workforce file holds (and
 * cites, with its row count): workforce by department, and accounts and admins per system.
 */
export async function peopleBlocks(app: App, period: AuditPeriod, cited: CitedFiles): Promise<PeopleBlocks> {
  const register = await readPeopleRegister({
    store: await app.store(),
    collectedStreams: app.registry.streams.map((stream) => stream.id),
    config: app.config.people,
    baseDir: app.loaded.baseDir,
    logger: app.logger,
    period,
  });
  if (register.people.length === 0 && register.accounts.length === 0) return { workforce: [], admins: [] };
  const cite = cited.add({ file: `${workforceFileName(period.label)}.xlsx`, rows: workforceRows(register) });
  const sources = [...new Set(register.people.map((person) => person.source))].join(', ');
  const workforce = register.people.length
    ? [
        paragraph(
          `Workforce of the period: ${register.people.length} people (from the ${sources}), by department:`,
          [cite],
        ),
        table(
          ['Department', 'People'],
          count(register.people, (person) => person.department ?? 'not recorded').map(([name, n]) => [
            name,
            String(n),
          ]),
        ),
      ]
    : [];
  const active = register.accounts.filter((account) => grantsAccess(account));
  const rows = count(active, (account) => account.system).map(([system, accounts]) => {
    const mine = active.filter((account) => account.system === system);
    const admins = mine.filter((account) => account.privileged === true);
    return [
      system,
      String(accounts),
      mine.some((account) => account.privileged !== null) ? String(admins.length) : 'not recorded',
      String(admins.filter((account) => account.person === null).length),
    ];
  });
  const admins = rows.length
    ? [
        paragraph('Accounts with access and administrators per system, as last observed in the period:', [
          cite,
        ]),
        table(['System', 'Accounts', 'Administrators', 'Administrators linked to no person'], rows),
      ]
    : [];
  return { workforce, admins };
}
