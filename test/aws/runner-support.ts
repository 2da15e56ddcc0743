import { pino } from 'pino';
import { awsConnector } from '../../connectors/aws/index.js';
import { awsConfigSchema, type AwsConfig } from '../../connectors/aws/config.js';
import { createAwsClient } from '../../connectors/aws/client.js';
import { LocalLimiter } from '../../src/limiter.js';
import type { StreamInstance } from '../../src/registry.js';
import { CollectionRunner } from '../../src/collection/runner.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { StreamDefinition } from '../../src/stream.js';
import { parseDuration, type Clock } from '../../src/time.js';
import { TEST_ENV } from './support.js';
import { builtInChecks } from '../../checks/index.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { judgePeriod } from '../../src/checks/judge-period.js';

/** A stream as the registry would build it, with an explicit cadence (year-long tests use long windows). */
export function streamInstance(
  definition: StreamDefinition<never, unknown, never>,
  config: AwsConfig,
  cadenceMs = parseDuration(definition.cadence),
): StreamInstance {
  const d = definition as unknown as StreamDefinition<unknown, unknown, AwsConfig>;
  return {
    id: d.id,
    connector: awsConnector as never,
    connectorConfig: config,
    definition: d as never,
    cadenceMs,
    silenceThresholdMs: parseDuration(d.silenceThreshold),
    silenceThresholdConfigured: false,
    sourceLagMs: parseDuration(d.sourceLag),
    retention: d.retention(config),
    criteria: d.criteria,
    isoControls: d.isoControls,
  };
}

/** The real runner over a real store, with the AWS client built once from the section. */
export function awsRunner(store: EvidenceStore, section: Record<string, unknown>, clock: Clock) {
  const config = awsConfigSchema.parse(section);
  const client = createAwsClient(config, TEST_ENV);
  const runner = new CollectionRunner({
    store,
    logger: pino({ level: 'silent' }),
    clock,
    limiter: new LocalLimiter(),
    clients: async () => client,
  });
  return { config, client, runner };
}

/** Latest version of every stored item of a stream in [from, to), with what the shipped checks find on it. */
export async function storedPopulation(store: EvidenceStore, stream: string, from: number, to: number) {
  const rows = [];
  for await (const row of new EvidenceRepository(store).population(stream, from, to)) rows.push(row);
  const checks = buildCheckSet(builtInChecks, {}, Catalogue.load()).active(new Set([stream]));
  const findings = await judgePeriod(store, checks, new Set([stream]), { start: from, end: to });
  return rows.map((row) => ({
    key: row.item_key,
    occurredAt: Number(row.occurred_at),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    quiet: Boolean(row.quiet),
    exceptions: findings.forItem(stream, row.item_key).map((finding) => ({ code: finding.code })),
  }));
}
