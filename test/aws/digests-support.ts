import { cloudtrailDigestsStream } from '../../connectors/aws/streams/cloudtrail-digests.js';
import type { AwsConfig } from '../../connectors/aws/config.js';
import type { AnyCheck, FactsReader, Finding } from '../../src/checks/check.js';
import type { CollectionRunner } from '../../src/collection/runner.js';
import { StoreFacts } from '../../src/checks/store-facts.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { HOUR, type Window } from '../../src/time.js';
import { streamInstance } from './runner-support.js';

/** The engine's facts interface over the real store, for the digests check. */
export function storeFacts(store: EvidenceStore, streams: readonly string[]): FactsReader {
  const declared = new Set(streams);
  return new StoreFacts(store, 'cloudtrail-digests', declared, declared, (fact) => {
    throw new Error(`unreadable fact ${fact.key}: ${fact.problem}`);
  });
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
