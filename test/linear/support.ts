import { createLinearClient, type LinearApi } from '../../connectors/linear/client.js';
import { linearConfigSchema, type LinearConfig } from '../../connectors/linear/config.js';

export const LINEAR_ENV = { LINEAR_API_KEY: 'lin_api_test_key_123' };

export function linearConfig(section: Record<string, unknown>): LinearConfig {
  return linearConfigSchema.parse(section);
}

export function linearClient(config: LinearConfig, env: NodeJS.ProcessEnv = LINEAR_ENV): LinearApi {
  return createLinearClient(config, env, { retryBaseMs: 1, retries: 3, timeoutMs: 5_000 });
}
