import type { StreamKind } from '../stream.js';
import { declaredCode, kindOf, type CodeEntry, type CodeStatus, type FindingKind } from './check-codes.js';

/** Given by the engine (not the check) when a stored payload no longer parses as the check expects. */
export const FACT_UNREADABLE = 'fact_unreadable';
/** Given by the export (not a check) for a key the source read gave two contents. */
export const CONFLICTING_DUPLICATE = 'conflicting_duplicate';

/** What a finding counts as, in the words the package uses. */
export type FindingStatus = 'deviation' | 'evidence pending collection' | 'evidence unreadable';

/** How many rows, conditions or items of each status. */
export type StatusCounts = Readonly<Record<FindingStatus, number>>;

const STATUS_WORDS: Readonly<Record<CodeStatus, FindingStatus>> = {
  deviation: 'deviation',
  pending: 'evidence pending collection',
  unreadable: 'evidence unreadable',
};

// The core's own codes: no check declares them, and both say the evidence could not be read.
const CORE_CODES: Readonly<Record<string, CodeEntry>> = {
  [FACT_UNREADABLE]: { means: 'a stored item no longer has the shape the check reads', status: 'unreadable' },
  [CONFLICTING_DUPLICATE]: { means: 'the source read gave one key two contents', status: 'unreadable' },
};

/** A finding as far as its status and kind go: which check (at which version) gave which code. */
export interface CodedFinding {
  readonly checkRef: string;
  readonly code: string;
}

/**
 * Status and kind of each finding, read from the declaration of the check that gave it (shipped or loaded
 * through `modules:`), so the core names no check's codes. A code its check does not declare counts as a
 * deviation, as every code did before checks could say otherwise.
 */
export class FindingCodes {
  private readonly byRef = new Map<string, Readonly<Record<string, CodeEntry>>>();

  constructor(
    checks: readonly {
      readonly ref: string;
      readonly definition: { readonly codes: Readonly<Record<string, CodeEntry>> };
    }[],
  ) {
    for (const check of checks) this.byRef.set(check.ref, check.definition.codes);
  }

  private entry(finding: CodedFinding): CodeEntry | undefined {
    return CORE_CODES[finding.code] ?? this.byRef.get(finding.checkRef)?.[finding.code];
  }

  status(finding: CodedFinding): FindingStatus {
    const entry = this.entry(finding);
    return STATUS_WORDS[entry === undefined ? 'deviation' : declaredCode(entry).status];
  }

  /** The declared kind, else by the kind of the finding's stream (a stream not configured here: state). */
  kind(finding: CodedFinding, streamKind: StreamKind | undefined): FindingKind {
    return kindOf(this.entry(finding), streamKind);
  }
}

/**
 * Items with findings for a person to read: "3 with deviations, 2 evidence pending collection", the
 * deviations always, the others when there are any.
 */
export function describeFlaggedItems(counts: StatusCounts): string {
  return [
    `${counts.deviation} with deviations`,
    ...(['evidence pending collection', 'evidence unreadable'] as const)
      .filter((status) => counts[status] > 0)
      .map((status) => `${counts[status]} ${status}`),
  ].join(', ');
}
