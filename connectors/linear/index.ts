import { defineConnector } from '../../src/stream.js';
import { linearChangeTickets } from './change-tickets.js';
import type { LinearApi } from './client.js';
import { linearConfigSchema, type LinearConfig } from './config.js';

/** Linear: the change tickets of the configured teams (CC8.1). */
export const linearConnector = defineConnector<LinearConfig, LinearApi>({
  id: 'linear',
  description: 'Linear: change tickets with state history and linked pull requests',
  // AUTH_INVALID and AUTH_FORBIDDEN are the core's credential codes already.
  credentialErrorCodes: [],
  secretEnvVars: ['LINEAR_API_KEY', 'LINEAR_OAUTH_TOKEN'],
  configSchema: linearConfigSchema,
  // @linear/sdk loads only when a client is made: `streams`, `catalog` and `--help` never pay for it.
  createClient: async (config, env) => (await import('./client.js')).createLinearClient(config, env),
  streams: [linearChangeTickets],
});

export const connector = linearConnector;
