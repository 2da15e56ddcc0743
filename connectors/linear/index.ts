import { defineConnector } from '../../src/stream.js';
import { linearManifest } from './manifest.js';
import { describeLinear } from './system-description.js';
import { linearChangeTickets } from './change-tickets.js';
import type { LinearApi } from './client.js';
import type { LinearConfig } from './config.js';

/** Linear: the change tickets of the configured teams (CC8.1). */
export const linearConnector = defineConnector<LinearConfig, LinearApi>({
  ...linearManifest,
  // @linear/sdk loads only when a client is made: `streams`, `catalog` and `--help` never pay for it.
  createClient: async (config, env) => (await import('./client.js')).createLinearClient(config, env),
  streams: [linearChangeTickets],
  systemDescription: describeLinear,
});

export const connector = linearConnector;
