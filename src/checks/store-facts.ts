import type { z } from 'zod';
import { EvidenceRepository } from '../store/evidence-repository.js';
import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger } from '../store/run-ledger.js';
import type { Window } from '../time.js';
import type { Fact, FactsReader } from './check.js';

// Small pages keep the heap flat when a check walks a large population.
const PAGE_SIZE = 500;

/** A stored payload the check's schema rejects: reported as `fact_unreadable`, never dropped. */
export interface UnreadableFact {
  readonly stream: string;
  readonly key: string;
  readonly occurredAt: number;
  readonly problem: string;
}

/**
 * The facts interface over the evidence store, limited to the streams one check declares. It reads each
 * key as last observed by the range's end (the population) and the ledger's succeeded windows; it writes nothing.
 */
export class StoreFacts implements FactsReader {
  private readonly evidence: EvidenceRepository;
  private readonly ledger: RunLedger;

  constructor(
    store: EvidenceStore,
    private readonly check: string,
    private readonly declared: ReadonlySet<string>,
    private readonly collectedStreams: ReadonlySet<string>,
    private readonly onUnreadable: (fact: UnreadableFact) => void,
  ) {
    this.evidence = new EvidenceRepository(store);
    this.ledger = new RunLedger(store);
  }

  private allow(stream: string): void {
    if (!this.declared.has(stream))
      throw new Error(`check ${this.check} read stream ${stream}, which it does not declare`);
  }

  collected(stream: string): boolean {
    this.allow(stream);
    return this.collectedStreams.has(stream);
  }

  async *items<T>(stream: string, range: Window, schema: z.ZodType<T>): AsyncIterable<Fact<T>> {
    this.allow(stream);
    for await (const row of this.evidence.population(stream, range.start, range.end, PAGE_SIZE)) {
      const parsed = schema.safeParse(JSON.parse(row.payload));
      const occurredAt = Number(row.occurred_at);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        this.onUnreadable({
          stream,
          key: row.item_key,
          occurredAt,
          problem: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
        });
        continue;
      }
      yield {
        stream,
        key: row.item_key,
        version: Number(row.version),
        occurredAt,
        collectedAt: Number(row.collected_at),
        payload: parsed.data,
        payloadSha256: row.payload_sha256,
        quiet: Number(row.quiet) === 1,
      };
    }
  }

  async covered(stream: string, range: Window): Promise<readonly Window[]> {
    this.allow(stream);
    const coverage = await this.ledger.settledWindows(stream, range.start, range.end, ['succeeded']);
    return coverage
      .intervals()
      .map((interval) => ({
        start: Math.max(interval.start, range.start),
        end: Math.min(interval.end, range.end),
      }))
      .filter((interval) => interval.start < interval.end);
  }
}
