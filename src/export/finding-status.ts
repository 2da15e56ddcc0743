import { FACT_UNREADABLE } from '../checks/judge-period.js';
import type { StreamKind } from '../stream.js';

/**
 * What a row of the exceptions register stands for. A deviation is a control failure the check found; the
 * other two say the check could not judge the item from the evidence, which an auditor must not count as
 * a deviation: the evidence is pending collection (a collection gap), or what was collected is unreadable.
 */
export type FindingStatus = 'deviation' | 'evidence pending collection' | 'evidence unreadable';

/** Every status, in the order the package counts them. */
export const FINDING_STATUSES: readonly FindingStatus[] = [
  'deviation',
  'evidence pending collection',
  'evidence unreadable',
];

/** Given by the export (not a check) for a key the source read gave two contents. */
export const CONFLICTING_DUPLICATE = 'conflicting_duplicate';

// The evidence lies in a collection gap: the finding resolves once collection covers it.
const PENDING_COLLECTION = new Set([
  'ticket_evidence_not_collected',
  'removal_not_evidenced',
  'review_revocation_not_evidenced',
]);
// The evidence was there but could not be read: a payload the check's schema rejects, a status the
// source would not show, a key the source gave two contents.
const UNREADABLE = new Set([FACT_UNREADABLE, '2fa_status_not_visible', CONFLICTING_DUPLICATE]);

/** The codes that are not deviations, for tests that hold the lists to the codes the checks declare. */
export const NOT_DEVIATION_CODES: readonly string[] = [...PENDING_COLLECTION, ...UNREADABLE];

export function findingStatus(code: string): FindingStatus {
  if (PENDING_COLLECTION.has(code)) return 'evidence pending collection';
  if (UNREADABLE.has(code)) return 'evidence unreadable';
  return 'deviation';
}

/**
 * A state finding is about how something stood when observed (an account without MFA on a day's
 * snapshot): it is open at period end while the last observation still shows it. An event finding is
 * about something that happened once (a change merged without review, a sign-in): it cannot be open.
 */
export type FindingKind = 'state' | 'event';

// Findings on snapshot streams that are about one event all the same: when access ended or was used, an
// account's creation, a protection change, a revocation due by a date.
const EVENTS_ON_SNAPSHOTS = new Set([
  'removed_late',
  'removal_not_evidenced',
  'active_after_termination',
  'access_before_start',
  'account_for_no_person',
  'protection_weakened',
  'review_revocation_not_done',
  'review_revocation_not_evidenced',
]);

/** The codes of snapshot streams that are event findings (for the same tests). */
export const EVENT_CODES_ON_SNAPSHOTS: readonly string[] = [...EVENTS_ON_SNAPSHOTS];

/** By its stream's kind, but for the event codes above; a stream not configured here counts as state. */
export function findingKind(code: string, streamKind: StreamKind | undefined): FindingKind {
  if (streamKind === 'events' || EVENTS_ON_SNAPSHOTS.has(code)) return 'event';
  return 'state';
}

/** What the Status column means, for the About sheets and the index. */
export const STATUS_NOTE =
  '"Status" says what a row counts as. "deviation": the check found the control not operating for that item. "evidence pending collection": not a deviation; the evidence the check needs lies in a collection gap (a ticket system, an account system not yet collected over the span), and the finding resolves once collection covers it, to no finding or to a deviation. "evidence unreadable": not a deviation; the evidence was collected but could not be read (a stored record the check cannot parse, a status the source would not show, a key the source gave two contents). Only deviations are counted as deviations in this package.';

/** How many rows (or conditions) of each status. */
export type StatusCounts = Readonly<Record<FindingStatus, number>>;

export function countStatuses(codes: Iterable<string>): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = {
    deviation: 0,
    'evidence pending collection': 0,
    'evidence unreadable': 0,
  };
  for (const code of codes) counts[findingStatus(code)] += 1;
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
