import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DAY } from '../../time.js';
import type { Company } from '../company/index.js';

/** BambooHR's report layout (see connectors/hr-file/presets.ts): the sandbox writes what BambooHR would. */
const HEADERS = [
  'Employee #',
  'First Name',
  'Last Name',
  'Work Email',
  'Hire Date',
  'Termination Date',
  'Status',
  'Department',
  'Supervisor',
  'Job Title',
];

const usDate = (at: number | null) => {
  if (at === null) return '';
  const [y, m, d] = new Date(at).toISOString().slice(0, 10).split('-');
  return `${m}/${d}/${y}`;
};

/** The export of one day: everyone hired by the end of it, leavers kept with their termination date. */
export function hrExportRows(company: Company, day: number): string[][] {
  const rows = company
    .stateAt(day + DAY - 1)
    .filter((state) => state.status !== 'not_started')
    .map(({ person, status, department, managerId }) => [
      person.employeeId,
      person.firstName,
      person.lastName,
      person.email,
      usDate(person.startDate),
      status === 'left' ? usDate(person.endDate) : '',
      status === 'left' ? 'Terminated' : 'Active',
      department,
      managerId === null ? '' : company.byId(managerId).name,
      person.title,
    ]);
  return [HEADERS, ...rows];
}

export interface HrSandbox {
  /** The drop directory: one dated BambooHR export per day of the company's period. */
  readonly directory: string;
}

/** Writes the company's HR exports, one per day of its period, into a fresh directory. */
export function writeHrSandbox(company: Company, directory?: string): HrSandbox {
  const dir = directory ?? mkdtempSync(path.join(tmpdir(), 'ew-hr-sandbox-'));
  for (let day = company.period.start; day <= company.period.end; day += DAY) {
    const name = `bamboohr-employees-${new Date(day).toISOString().slice(0, 10)}.csv`;
    writeFileSync(path.join(dir, name), stringify(hrExportRows(company, day)));
  }
  return { directory: dir };
}
