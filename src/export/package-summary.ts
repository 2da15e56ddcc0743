import { describeStatuses, type StatusCounts } from './finding-status.js';

/** What a written package's register holds, as the package writer counts it. */
export interface RegisterCounts {
  readonly exceptions: number;
  readonly exceptionStatuses: StatusCounts;
  readonly conditions: { readonly rows: number; readonly statuses: StatusCounts; readonly open: number };
}

/**
 * The register in one line for a person (the export CLI, the demo), in the words and numbers of the
 * index: rows and conditions by status, deviations apart from evidence pending collection or unreadable.
 */
export function exceptionsLine(written: RegisterCounts): string {
  const { conditions } = written;
  return `exceptions register: ${written.exceptions} row${written.exceptions === 1 ? '' : 's'}: ${describeStatuses(written.exceptionStatuses)}; ${conditions.rows} condition${conditions.rows === 1 ? '' : 's'}: ${describeStatuses(conditions.statuses, `${conditions.open} open at period end`)}`;
}
