import type { FindingStatus, StatusCounts } from '../checks/finding-codes.js';

/**
 * The statuses of the exceptions register's rows. A deviation is a control failure the check found; the
 * other two say the check could not judge the item from the evidence, which an auditor must not count as
 * a deviation. Each check declares what its codes are (`codes` in `src/checks/check.ts`); the register
 * reads them through `PeriodFindings.codes`.
 */
export { CONFLICTING_DUPLICATE, type FindingStatus, type StatusCounts } from '../checks/finding-codes.js';
export type { FindingKind } from '../checks/check-codes.js';

/** Every status, in the order the package counts them. */
export const FINDING_STATUSES: readonly FindingStatus[] = [
  'deviation',
  'evidence pending collection',
  'evidence unreadable',
];

/** What the Status column means, for the About sheets and the index. */
export const STATUS_NOTE =
  '"Status" says what a row counts as. "deviation": the check found the control not operating for that item. "evidence pending collection": not a deviation; the evidence the check needs lies in a collection gap (a ticket system, an account system not yet collected over the span), and the finding resolves once collection covers it, to no finding or to a deviation. "evidence unreadable": not a deviation; the evidence was collected but could not be read (a stored record the check cannot parse, a status the source would not show, a key the source gave two contents). Only deviations are counted as deviations in this package.';

export function countStatuses(statuses: Iterable<FindingStatus>): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = {
    deviation: 0,
    'evidence pending collection': 0,
    'evidence unreadable': 0,
  };
  for (const status of statuses) counts[status] += 1;
  return counts;
}

/**
 * "3 deviations, 2 evidence pending collection": the statuses present, deviations always, with what more
 * there is to say of the deviations ("2 open at period end") in brackets.
 */
export function describeStatuses(counts: StatusCounts, aboutDeviations?: string): string {
  const plural = (count: number) => (count === 1 ? '' : 's');
  const deviations = `${counts.deviation} deviation${plural(counts.deviation)}`;
  return FINDING_STATUSES.filter((status) => status === 'deviation' || counts[status] > 0)
    .map((status) =>
      status === 'deviation'
        ? aboutDeviations
          ? `${deviations} (${aboutDeviations})`
          : deviations
        : `${counts[status]} ${status}`,
    )
    .join(', ');
}
