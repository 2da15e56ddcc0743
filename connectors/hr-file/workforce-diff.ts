import { EvidenceError } from '../../src/errors.js';
import type { EmployeeRecord } from './employees.js';

/** What the diff keeps of an employee between days (the cursor holds it). */
export type KeptEmployee = Pick<
  EmployeeRecord,
  'email' | 'name' | 'startDate' | 'endDate' | 'status' | 'department' | 'manager' | 'jobTitle'
>;
export type Workforce = Record<string, KeptEmployee>;

export type WorkforceChangeKind = 'hire' | 'termination' | 'move' | 'end-date-changed' | 'status-changed';

export interface WorkforceChange {
  readonly change: WorkforceChangeKind;
  readonly employeeId: string;
  readonly email: string;
  readonly name: string;
  /** The day the change takes effect: the file's start or end date, or the day it was first seen. */
  readonly effectiveDate: string;
  /** "file" when the export states the date, "observed" when only the day it was first seen is known. */
  readonly dateSource: 'file' | 'observed';
  readonly field: string | null;
  readonly from: string | null;
  readonly to: string | null;
}

export function keep(employee: EmployeeRecord): KeptEmployee {
  const { email, name, startDate, endDate, status, department, manager, jobTitle } = employee;
  return { email, name, startDate, endDate, status, department, manager, jobTitle };
}

const MOVE_FIELDS = ['department', 'manager', 'jobTitle'] as const;

/**
 * Joiners, leavers and movers between two observations of the workforce. A termination carries the end
 * date the export states, which may lie before either day (HR often records a leaver late); a row that
 * vanishes without an end date is a termination first seen on `day`.
 */
export function diffWorkforce(before: Workforce, after: Workforce, day: string): WorkforceChange[] {
  const changes: WorkforceChange[] = [];
  const base = (id: string, person: KeptEmployee) => ({
    employeeId: id,
    email: person.email,
    name: person.name,
  });
  for (const [id, now] of Object.entries(after)) {
    const was = before[id];
    if (!was) {
      changes.push({
        change: 'hire',
        ...base(id, now),
        effectiveDate: now.startDate,
        dateSource: 'file',
        field: null,
        from: null,
        to: null,
      });
      if (now.endDate === null) continue;
    }
    const previous = was ?? { ...now, endDate: null };
    if (previous.endDate === null && now.endDate !== null) {
      changes.push({
        change: 'termination',
        ...base(id, now),
        effectiveDate: now.endDate,
        dateSource: 'file',
        field: 'endDate',
        from: null,
        to: now.endDate,
      });
    } else if (previous.endDate !== now.endDate) {
      changes.push({
        change: 'end-date-changed',
        ...base(id, now),
        effectiveDate: day,
        dateSource: 'observed',
        field: 'endDate',
        from: previous.endDate,
        to: now.endDate,
      });
    }
    if (!was) continue;
    if (was.status !== now.status) {
      changes.push({
        change: 'status-changed',
        ...base(id, now),
        effectiveDate: day,
        dateSource: 'observed',
        field: 'status',
        from: was.status,
        to: now.status,
      });
    }
    for (const field of MOVE_FIELDS) {
      if (was[field] === now[field]) continue;
      changes.push({
        change: 'move',
        ...base(id, now),
        effectiveDate: day,
        dateSource: 'observed',
        field,
        from: was[field],
        to: now[field],
      });
    }
  }
  for (const [id, was] of Object.entries(before)) {
    if (after[id] || was.endDate !== null) continue;
    changes.push({
      change: 'termination',
      ...base(id, was),
      effectiveDate: day,
      dateSource: 'observed',
      field: null,
      from: null,
      to: null,
    });
  }
  return changes;
}

/** Fewer vanished rows than this are ordinary leavers recorded by deletion, never a truncated export. */
const TRUNCATION_FLOOR = 3;

/**
 * Refuses an export that reads as mass leavers because rows are missing (a file cut short, a partial
 * download, a filter left on in the HR system): more than `maxShare` of the current employees of `before`
 * gone without an end date. Throws before anything of the day is stored, so the previous state stands.
 */
export function assertNotTruncated(
  before: Workforce,
  after: Workforce,
  file: string,
  maxShare: number,
): void {
  const current = Object.entries(before).filter(([, person]) => person.endDate === null);
  const vanished = current.filter(([id]) => !after[id]).length;
  if (maxShare >= 1 || vanished < TRUNCATION_FLOOR || vanished <= maxShare * current.length) return;
  throw new EvidenceError(
    'HR_EXPORT_TRUNCATED',
    `${file}: ${vanished} of ${current.length} current employees are missing without an end date (more than ${Math.round(maxShare * 100)} %, connectors.hr-file.maxVanishedShare); taken for a truncated or partial export, not leavers: the previous export stands until a complete one is dropped`,
    'retriable',
  );
}
