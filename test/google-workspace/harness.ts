import {
  createGoogleWorkspaceClient,
  type GoogleTuning,
  type GoogleWorkspaceClient,
} from '../../connectors/google-workspace/client.js';
import {
  googleWorkspaceConfigSchema,
  type GoogleWorkspaceConfig,
} from '../../connectors/google-workspace/config.js';
import { googleWorkspaceConnector } from '../../connectors/google-workspace/index.js';
import type { StreamInstance } from '../../src/registry.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { StreamDefinition } from '../../src/stream.js';
import { runnerOver, streamInstanceOf } from '../support/stream-harness.js';

export const fastGoogle: GoogleTuning = {
  retries: 3,
  retryBaseMs: 1,
  timeoutMs: 5_000,
  maxInlineWaitMs: 3_000,
};

export function googleConfig(section: Record<string, unknown>): GoogleWorkspaceConfig {
  return googleWorkspaceConfigSchema.parse(section);
}

export function googleClient(
  config: GoogleWorkspaceConfig,
  env: NodeJS.ProcessEnv,
  tuning = fastGoogle,
): GoogleWorkspaceClient {
  return createGoogleWorkspaceClient(config, env, tuning);
}

export function googleStream(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per stream
  definition: StreamDefinition<GoogleWorkspaceClient, any, GoogleWorkspaceConfig>,
  config: GoogleWorkspaceConfig,
): StreamInstance {
  return streamInstanceOf(googleWorkspaceConnector, definition, config);
}

export function googleRunner(store: EvidenceStore, client: GoogleWorkspaceClient, clock: { now: number }) {
  return runnerOver(store, client, () => clock.now);
}
