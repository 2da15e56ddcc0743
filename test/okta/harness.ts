import { pino } from 'pino';
import { createOktaClient, type OktaClient, type OktaTuning } from '../../connectors/okta/client.js';
import { oktaConfigSchema, type OktaConfig } from '../../connectors/okta/config.js';
import { oktaConnector } from '../../connectors/okta/index.js';
import { CollectionRunner } from '../../src/collection/runner.js';
import { LocalLimiter } from '../../src/limiter.js';
import type { StreamInstance } from '../../src/registry.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { ConnectorDefinition, StreamDefinition } from '../../src/stream.js';
import { parseDuration } from '../../src/time.js';

export const silentLogger = pino({ level: 'silent' });
export const fastOkta: OktaTuning = { retries: 3, retryBaseMs: 1, timeoutMs: 2_000, maxInlineWaitMs: 3_000 };

export function oktaConfig(section: Record<string, unknown>): OktaConfig {
  return oktaConfigSchema.parse(section);
}

export function oktaClient(
  config: OktaConfig,
  env: NodeJS.ProcessEnv = { OKTA_API_TOKEN: 'sandbox-okta-token' },
  tuning = fastOkta,
): OktaClient {
  return createOktaClient(config, env, tuning);
}

export function oktaStream(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per stream
  definition: StreamDefinition<OktaClient, any, OktaConfig>,
  config: OktaConfig,
): StreamInstance {
  return {
    id: definition.id,
    connector: oktaConnector as unknown as ConnectorDefinition,
    connectorConfig: config,
    definition: definition as unknown as StreamDefinition,
    cadenceMs: parseDuration(definition.cadence),
    silenceThresholdMs: parseDuration(definition.silenceThreshold),
    silenceThresholdConfigured: false,
    sourceLagMs: parseDuration(definition.sourceLag),
    retention: definition.retention(config),
    criteria: definition.criteria,
    isoControls: definition.isoControls,
  };
}

export function oktaRunner(store: EvidenceStore, client: OktaClient, clock: { now: number }) {
  return new CollectionRunner({
    store,
    logger: silentLogger,
    clock: () => clock.now,
    limiter: new LocalLimiter(),
    clients: async () => client,
  });
}
