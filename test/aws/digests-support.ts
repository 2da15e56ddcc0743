import type { z } from 'zod';
import { cloudtrailDigestsStream } from '../../connectors/aws/streams/cloudtrail-digests.js';
import type { AwsConfig } from '../../connectors/aws/config.js';
import type { AnyCheck, Fact, FactsReader, Finding } from '../../src/checks/check.js';
import type { CollectionRunner } from '../../src/collection/runner.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { HOUR, type Window } from '../../src/time.js';
import { streamInstance } from './runner-support.js';

/**
 * A tiny FactsReader over the real store (the population and the ledger's succeeded runs), standing in
 * for the check engine until it lands: it reads only the streams the check declares.
 */
export function storeFacts(store: EvidenceStore, streams: readonly string[]): FactsReader {
  const allowed = (stream: string) => {
    if (!streams.includes(stream)) throw new Error(`the check does not declare ${stream}`);
  };
  return {
    async *items<T>(stream: string, range: Window, schema: z.ZodType<T>): AsyncIterable<Fact<T>> {
      allowed(stream);
      for await (const row of new EvidenceRepository(store).population(stream, range.start, range.end)) {
        yield {
          stream,
          key: row.item_key,
          version: Number(row.version),
          occurredAt: Number(row.occurred_at),
          collectedAt: Number(row.collected_at),
          payload: schema.parse(JSON.parse(row.payload)),
          payloadSha256: row.payload_sha256,
          quiet: Boolean(row.quiet),
        };
      }
    },
    collected: (stream) => streams.includes(stream),
    async covered(stream, range) {
      allowed(stream);
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

export async function findingsOf(check: AnyCheck, facts: FactsReader, period: Window): Promise<Finding[]> {
  const found: Finding[] = [];
  for await (const finding of check.judge({ facts, period, policy: check.policy.parse({}) }))
    found.push(finding);
  return found;
}

/** Collects the digests stream hour by hour over `window` through the real runner. */
export async function collectDigests(runner: CollectionRunner, config: AwsConfig, window: Window) {
  const stream = streamInstance(cloudtrailDigestsStream as never, config);
  const outcomes = [];
  for (let start = window.start; start < window.end; start += HOUR) {
    outcomes.push(
      await runner.collect({ stream, window: { start, end: start + HOUR }, trigger: 'backfill', attempt: 1 }),
    );
  }
  return outcomes;
}
