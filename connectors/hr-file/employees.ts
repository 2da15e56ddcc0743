import { z } from 'zod';
import type { SourceRejection } from '../../src/stream.js';
import { parseHrDate } from './dates.js';
import type { Layout } from './layout.js';
import type { Table, TableRow } from './read-table.js';

/** One employee as the export states it; nothing judged. */
export const employeeRecordSchema = z.object({
  employeeId: z.string(),
  email: z.string(),
  name: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  status: z.string().nullable(),
  department: z.string().nullable(),
  manager: z.string().nullable(),
  jobTitle: z.string().nullable(),
  /** Row number in the export (header is row 1). */
  row: z.number().int(),
});
export type EmployeeRecord = z.infer<typeof employeeRecordSchema>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ReadEmployees {
  readonly employees: readonly EmployeeRecord[];
  readonly rejected: readonly SourceRejection[];
}

/** Every data row of the export as an employee, or a rejection naming its row and what is wrong with it. */
export function readEmployees(table: Table, layout: Layout, file: string): ReadEmployees {
  const employees: EmployeeRecord[] = [];
  const rejected: SourceRejection[] = [];
  const firstRowOf = new Map<string, number>();
  const cell = (row: TableRow, field: keyof Layout['index']): string => {
    const at = layout.index[field];
    return at === undefined ? '' : (row.cells[at] ?? '');
  };
  const optional = (row: TableRow, field: keyof Layout['index']) => cell(row, field) || null;
  for (const row of table.rows) {
    const raw = Object.fromEntries(table.headers.map((header, index) => [header, row.cells[index] ?? '']));
    const reject = (reason: string, key?: string) =>
      rejected.push({
        reason: `row ${row.row}: ${reason}`,
        source: `${file} row ${row.row}`,
        raw,
        ...(key ? { key } : {}),
      });
    const employeeId = cell(row, 'employeeId');
    if (!employeeId) {
      reject('has no employee id');
      continue;
    }
    const email = cell(row, 'email');
    if (!email) {
      reject(`employee ${employeeId} has no work email`, employeeId);
      continue;
    }
    if (!EMAIL.test(email)) {
      reject(`employee ${employeeId}: work email "${email}" is not an email address`, employeeId);
      continue;
    }
    const startText = cell(row, 'startDate');
    const startDate = parseHrDate(startText, layout.dateFormat);
    if (!startDate) {
      reject(
        startText
          ? `employee ${employeeId}: start date "${startText}" is not a date in ${layout.dateFormat}`
          : `employee ${employeeId} has no start date`,
        employeeId,
      );
      continue;
    }
    const endText = cell(row, 'endDate');
    const endDate = endText ? parseHrDate(endText, layout.dateFormat) : null;
    if (endDate === undefined) {
      reject(
        `employee ${employeeId}: end date "${endText}" is not a date in ${layout.dateFormat}`,
        employeeId,
      );
      continue;
    }
    const earlier = firstRowOf.get(employeeId);
    if (earlier !== undefined) {
      reject(`employee id ${employeeId} is a duplicate of row ${earlier}`, employeeId);
      continue;
    }
    firstRowOf.set(employeeId, row.row);
    const name =
      cell(row, 'name') || [cell(row, 'firstName'), cell(row, 'lastName')].filter(Boolean).join(' ');
    employees.push({
      employeeId,
      email,
      name,
      startDate,
      endDate,
      status: optional(row, 'status'),
      department: optional(row, 'department'),
      manager: optional(row, 'manager'),
      jobTitle: optional(row, 'jobTitle'),
      row: row.row,
    });
  }
  return { employees, rejected };
}
