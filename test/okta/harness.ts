import { createOktaClient, type OktaClient, type OktaTuning } from '../../connectors/okta/client.js';
import { oktaConfigSchema, type OktaConfig } from '../../connectors/okta/config.js';
import { oktaConnector } from '../../connectors/okta/index.js';
import type { StreamInstance } from '../../src/registry.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { StreamDefinition } from '../../src/stream.js';
import { runnerOver, silentLogger, streamInstanceOf } from '../support/stream-harness.js';

export { silentLogger };
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
  return streamInstanceOf(oktaConnector, definition, config);
}

export function oktaRunner(store: EvidenceStore, client: OktaClient, clock: { now: number }) {
  return runnerOver(store, client, () => clock.now);
}
