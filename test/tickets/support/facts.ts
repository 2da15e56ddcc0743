import type { z } from 'zod';
import type { Fact, FactsReader, Finding, CheckDefinition } from '../../../src/checks/check.js';
import { EvidenceRepository } from '../../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import type { Window } from '../../../src/time.js';

/**
 * A FactsReader over the store's populations (latest version of each key), for running checks in tests
 * before the check engine is merged. Like the engine's, it refuses streams the check does not declare.
 */
export function storeFacts(
  store: EvidenceStore,
  declared: readonly string[],
  collected: readonly string[],
): FactsReader {
  const evidence = new EvidenceRepository(store);
  return {
    async *items<T>(stream: string, range: Window, schema: z.ZodType<T>): AsyncIterable<Fact<T>> {
      if (!declared.includes(stream)) throw new Error(`stream ${stream} is not declared by the check`);
      for await (const row of evidence.population(stream, range.start, range.end)) {
        yield {
          stream,
          key: row.item_key,
          version: Number(row.version),
          occurredAt: Number(row.occurred_at),
          collectedAt: Number(row.collected_at),
          payload: schema.parse(JSON.parse(row.payload)),
          payloadSha256: row.payload_sha256,
          quiet: Number(row.quiet) === 1,
        };
      }
    },
    collected: (stream) => collected.includes(stream),
    covered: async (_stream, range) => [range],
  };
}

/** A FactsReader over facts held in memory: stream → [key, occurredAt, payload]. */
export function memoryFacts(
  declared: readonly string[],
  items: Record<string, readonly { key: string; occurredAt: number; payload: unknown }[]>,
): FactsReader {
  return {
    async *items<T>(stream: string, range: Window, schema: z.ZodType<T>): AsyncIterable<Fact<T>> {
      if (!declared.includes(stream)) throw new Error(`stream ${stream} is not declared by the check`);
      const inRange = (items[stream] ?? [])
        .filter((item) => item.occurredAt >= range.start && item.occurredAt < range.end)
        .sort((a, b) => a.occurredAt - b.occurredAt);
      for (const item of inRange)
        yield {
          stream,
          key: item.key,
          version: 1,
          occurredAt: item.occurredAt,
          collectedAt: item.occurredAt,
          payload: schema.parse(item.payload),
          payloadSha256: '',
          quiet: false,
        };
    },
    collected: (stream) => stream in items,
    covered: async (_stream, range) => [range],
  };
}

/** Runs a check's judge with its policy parsed from `config` (defaults for `{}`). */
export async function judge<TPolicy>(
  check: CheckDefinition<TPolicy>,
  facts: FactsReader,
  period: Window,
  config: unknown = {},
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for await (const finding of check.judge({ facts, period, policy: check.policy.parse(config) }))
    findings.push(finding);
  return findings;
}
