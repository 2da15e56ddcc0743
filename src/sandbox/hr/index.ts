import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DAY } from '../../time.js';
import type { Company } from '../company/index.js';
import type { SandboxClock } from '../sandbox-clock.js';

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

/** The export as it stands at a moment: everyone hired by then, leavers kept with their termination date. */
export function hrExportRowsAt(company: Company, at: number): string[][] {
  const rows = company
    .stateAt(at)
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

/** The export of one day: as it stands at the end of that day. */
export function hrExportRows(company: Company, day: number): string[][] {
  return hrExportRowsAt(company, day + DAY - 1);
}

export interface HrSandbox {
  /** The drop directory: one dated BambooHR export per day of the company's period. */
  readonly directory: string;
  /**
   * The single export file a company re-exports in place (`connectors.hr-file.file`): it holds the
   * workforce as of the sandbox clock's moment and is rewritten whenever the clock moves.
   */
  readonly file: string;
}

export interface HrSandboxOptions {
  readonly directory?: string;
  /** The clock the single export file follows; default: the end of the company's period. */
  readonly clock?: SandboxClock;
}

/** Written beside and renamed over the export, so a reader never sees half a file; unchanged, left alone. */
function exportWriter(file: string): (rows: string[][]) => void {
  let written: string | undefined;
  return (rows) => {
    const text = stringify(rows);
    if (text === written) return;
    writeFileSync(`${file}.partial`, text);
    renameSync(`${file}.partial`, file);
    written = text;
  };
}

/**
 * Writes the company's HR exports, one per day of its period, into a fresh directory, and the single
 * export file that follows the clock.
 */
export function writeHrSandbox(company: Company, options: HrSandboxOptions = {}): HrSandbox {
  const dir = options.directory ?? mkdtempSync(path.join(tmpdir(), 'ew-hr-sandbox-'));
  for (let day = company.period.start; day <= company.period.end; day += DAY) {
    const name = `bamboohr-employees-${new Date(day).toISOString().slice(0, 10)}.csv`;
    writeFileSync(path.join(dir, name), stringify(hrExportRows(company, day)));
  }
  // Not in the drop directory: there it would count as one more dated export.
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ew-hr-export-')), 'bamboohr-employees.csv');
  const writeExport = exportWriter(file);
  writeExport(hrExportRowsAt(company, options.clock?.now() ?? company.period.end));
  options.clock?.onSet((at) => writeExport(hrExportRowsAt(company, at)));
  return { directory: dir, file };
}
