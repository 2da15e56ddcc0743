import { awsConnector } from '../../connectors/aws/index.js';
import { awsConfigSchema, type AwsConfig } from '../../connectors/aws/config.js';
import { createAwsClient } from '../../connectors/aws/client.js';
import type { StreamInstance } from '../../src/registry.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { StreamDefinition } from '../../src/stream.js';
import { parseDuration, type Clock, type Window } from '../../src/time.js';
import { awsSection, TEST_ENV } from './support.js';
import { builtInFindings, runnerOver, streamInstanceOf } from '../support/stream-harness.js';

/** A stream as the registry would build it, with an explicit cadence (year-long tests use long windows). */
export function streamInstance(
  definition: StreamDefinition<never, unknown, never>,
  config: AwsConfig,
  cadenceMs = parseDuration(definition.cadence),
): StreamInstance {
  return streamInstanceOf(awsConnector, definition as unknown as StreamDefinition, config, cadenceMs);
}

/** The real runner over a real store, with the AWS client built once from the section. */
export function awsRunner(store: EvidenceStore, section: Record<string, unknown>, clock: Clock) {
  const config = awsConfigSchema.parse(section);
  const client = createAwsClient(config, TEST_ENV);
  return { config, client, runner: runnerOver(store, client, clock) };
}

/** The real runner over a directory export of us-east-1: collects one window of a stream, as a backfill. */
export function dirCollector(store: EvidenceStore, dir: string, clock: Clock) {
  const { runner, config } = awsRunner(
    store,
    awsSection({ regions: ['us-east-1'], cloudtrail: { source: 'dir', path: dir } }),
    clock,
  );
  return (definition: StreamDefinition<never, unknown, never>, window: Window) =>
    runner.collect({ stream: streamInstance(definition, config), window, trigger: 'backfill', attempt: 1 });
}

/** Latest version of every stored item of a stream in [from, to), with what the shipped checks find on it. */
export async function storedPopulation(store: EvidenceStore, stream: string, from: number, to: number) {
  const rows = [];
  for await (const row of new EvidenceRepository(store).population(stream, from, to)) rows.push(row);
  const findings = await builtInFindings(store, stream, { start: from, end: to });
  return rows.map((row) => ({
    key: row.item_key,
    occurredAt: Number(row.occurred_at),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    quiet: Boolean(row.quiet),
    exceptions: findings.forItem(stream, row.item_key).map((finding) => ({ code: finding.code })),
  }));
}
