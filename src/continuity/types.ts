import type { StatusCounts } from '../checks/finding-codes.js';
import type { Window } from '../time.js';

/**
 * Continuity of one stream over one period, in the words an auditor accepts (DESIGN.md, "Continuity").
 * Computed from the ledger and item timestamps alone; shared by the CLI, the status page and the package.
 */
export type GapCause =
  | 'never_attempted'
  | 'failed'
  | 'not_yet_due'
  | 'unrecoverable'
  | 'artefact_missing'
  /** A succeeded run covered the window, but items it recorded are no longer in the store. */
  | 'evidence_missing'
  /** Collected except for source files that stayed unreadable (rejected as files); repair re-reads them. */
  | 'source_unreadable';

export interface Gap extends Window {
  readonly cause: GapCause;
  /** The last error code of the failed attempts, when cause is `failed` (or the unrecoverable code). */
  readonly errorCode?: string;
  readonly recoverable: boolean;
  /** Why it can or cannot be collected again (the stream's source retention). */
  readonly reason: string;
}

export interface SilentPeriod extends Window {
  /** The threshold that was exceeded, in ms. */
  readonly thresholdMs: number;
}

export interface StreamContinuity {
  readonly stream: string;
  readonly kind: 'events' | 'snapshot' | 'artefact';
  readonly criteria: readonly string[];
  readonly period: Window;
  /** Covered share of the period's due part (windows closed by `generatedAt`), 0..100. */
  readonly coveragePercent: number;
  /** Merged windows of succeeded runs, clipped to the period. */
  readonly covered: readonly Window[];
  readonly gaps: readonly Gap[];
  readonly silent: readonly SilentPeriod[];
  /** For snapshot streams: the last snapshot is older than its cadence allows. */
  readonly staleSnapshot?: { readonly lastAt: number | null; readonly ageMs: number } | undefined;
  readonly itemCount: number;
  /**
   * Items with a deviation in the period (0 unless the report was built with the period's findings); an
   * item whose findings are all evidence pending collection or unreadable is no deviation.
   */
  readonly exceptionCount: number;
  /** Items with findings by status, when the report was built with the period's findings. */
  readonly flagged?: StatusCounts;
  /** What the source gave in the period that could not become evidence (see Rejected_Records). */
  readonly rejected?: {
    readonly records: number;
    readonly files: number;
    readonly conflictingDuplicates: number;
  };
  /** The silence threshold applied, and where it came from (config, learned from history, or default). */
  readonly silenceThresholdMs?: number;
  readonly silenceThresholdSource?: 'config' | 'learned' | 'default';
  /** Where a check proves the source's own record per hour (CloudTrail digests): which hours hold. */
  readonly proof?: HourProofSummary;
}

/** A stretch of hours of one subject (an account and region) that is proven, or not and why. */
export interface ProvenSpan {
  readonly subject: string;
  readonly start: number;
  readonly end: number;
  readonly proven: boolean;
  readonly reason?: string;
}

export interface HourProofSummary {
  readonly title: string;
  readonly provenHours: number;
  readonly totalHours: number;
  readonly spans: readonly ProvenSpan[];
}

export interface ContinuityReport {
  readonly period: Window;
  readonly generatedAt: number;
  readonly streams: readonly StreamContinuity[];
  /** True when every stream is fully covered and nothing is silent. */
  readonly complete: boolean;
}
