import type { FactsReader } from '../checks/check.js';
import type { EvidenceStore } from '../store/open-store.js';
import { EvidenceRepository } from '../store/evidence-repository.js';
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

/**
 * Facts straight from the store for a proof (the latest version of each item, succeeded runs' windows);
 * limited to the streams the proof declares.
 */
export function storeFactsFor(store: EvidenceStore, streams: readonly string[]): FactsReader {
  const declared = (stream: string) => {
    if (!streams.includes(stream)) throw new Error(`stream ${stream} is not declared by the proof`);
  };
  return {
    async *items(stream, range, schema) {
      declared(stream);
      for await (const row of new EvidenceRepository(store).population(stream, range.start, range.end)) {
        const parsed = schema.safeParse(JSON.parse(row.payload));
        if (!parsed.success) continue; // a proof only counts what it can read; such an hour stays unproven
        yield {
          stream,
          key: row.item_key,
          version: Number(row.version),
          occurredAt: Number(row.occurred_at),
          collectedAt: Number(row.collected_at),
          payload: parsed.data,
          payloadSha256: row.payload_sha256,
          quiet: Boolean(row.quiet),
        };
      }
    },
    collected: (stream) => streams.includes(stream),
    async covered(stream, range) {
      declared(stream);
      const rows = await store.db
        .selectFrom('runs')
        .select(['window_start', 'window_end'])
        .where('stream', '=', stream)
        .where('status', '=', 'succeeded')
        .where('window_end', '>', range.start)
        .where('window_start', '<', range.end)
        .orderBy('window_start')
        .execute();
      const merged: { start: number; end: number }[] = [];
      for (const row of rows) {
        const start = Math.max(Number(row.window_start), range.start);
        const end = Math.min(Number(row.window_end), range.end);
        const last = merged.at(-1);
        if (last && start <= last.end) last.end = Math.max(last.end, end);
        else merged.push({ start, end });
      }
      return merged;
    },
  };
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
