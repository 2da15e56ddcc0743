import { defineConnector } from '../../src/stream.js';
import { oktaManifest } from './manifest.js';
import type { OktaClient } from './client.js';
import type { OktaConfig } from './config.js';
import { oktaLifecycleEvents } from './lifecycle-events.js';
import { oktaUsers } from './users.js';

/** Okta: the users with status, factors and admin roles (CC6.1-CC6.3), and the System Log's lifecycle events. */
export const oktaConnector = defineConnector<OktaConfig, OktaClient>({
  ...oktaManifest,
  // The client library loads only when a client is made, not for `streams` or `catalog`.
  createClient: async (config, env) => (await import('./client.js')).createOktaClient(config, env),
  streams: [oktaUsers, oktaLifecycleEvents],
});

export const connector = oktaConnector;
