import type { FactsReader } from '../checks/check.js';
import { StoreFacts } from '../checks/store-facts.js';
import type { EvidenceStore } from '../store/open-store.js';
import { HOUR, type Window } from '../time.js';
import type { HourProofSummary, ProvenSpan } from './types.js';

/** Whether one hour of one subject (an account and region) is proven by the source's own evidence. */
export interface HourProof {
  readonly subject: string;
  readonly hour: number;
  readonly proven: boolean;
  /** Why not: the finding code or the missing proof. */
  readonly reason?: string;
}

/**
 * A proof a check gives per hour of a stream (CloudTrail's digests prove its logs complete and unaltered);
 * the continuity report shows it beside the stream's coverage. Checks register theirs in `checks/index.ts`.
 */
export interface HourlyProof {
  readonly stream: string;
  /** What a proven hour means, in the auditor's words. */
  readonly title: string;
  readonly streams: readonly string[];
  hours(facts: FactsReader, period: Window): Promise<readonly HourProof[]>;
}

/** Facts straight from the store for a proof, limited to the streams it declares. */
export function storeFactsFor(store: EvidenceStore, streams: readonly string[]): FactsReader {
  const declared = new Set(streams);
  // A payload the schema rejects is skipped: the hour it belongs to stays unproven.
  return new StoreFacts(store, 'continuity-proof', declared, declared, () => undefined);
}

/** Consecutive hours of a subject with the same outcome (and reason) become one span. */
export function summariseHours(title: string, hours: readonly HourProof[]): HourProofSummary {
  const ordered = [...hours].sort((a, b) =>
    a.subject === b.subject ? a.hour - b.hour : a.subject < b.subject ? -1 : 1,
  );
  const spans: ProvenSpan[] = [];
  for (const hour of ordered) {
    const last = spans.at(-1);
    if (
      last &&
      last.subject === hour.subject &&
      last.end === hour.hour &&
      last.proven === hour.proven &&
      last.reason === hour.reason
    ) {
      spans[spans.length - 1] = { ...last, end: hour.hour + HOUR };
    } else {
      spans.push({
        subject: hour.subject,
        start: hour.hour,
        end: hour.hour + HOUR,
        proven: hour.proven,
        ...(hour.reason ? { reason: hour.reason } : {}),
      });
    }
  }
  return {
    title,
    provenHours: hours.filter((hour) => hour.proven).length,
    totalHours: hours.length,
    spans,
  };
}
