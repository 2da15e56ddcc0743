import { defineConnector } from '../../src/stream.js';
import type { OktaClient } from './client.js';
import { oktaConfigSchema, type OktaConfig } from './config.js';
import { OKTA_SECRET_ENV } from './credentials.js';
import { oktaLifecycleEvents } from './lifecycle-events.js';
import { oktaUsers } from './users.js';

/** Okta: the users with status, factors and admin roles (CC6.1-CC6.3), and the System Log's lifecycle events. */
export const oktaConnector = defineConnector<OktaConfig, OktaClient>({
  id: 'okta',
  description: 'Okta: users with status, MFA factors and admin roles, and System Log lifecycle events',
  configSchema: oktaConfigSchema,
  // 401 and 403 are the core's AUTH_INVALID / AUTH_FORBIDDEN (connectors/okta/errors.ts).
  credentialErrorCodes: [],
  secretEnvVars: [...OKTA_SECRET_ENV],
  // The client library loads only when a client is made, not for `streams` or `catalog`.
  createClient: async (config, env) => (await import('./client.js')).createOktaClient(config, env),
  streams: [oktaUsers, oktaLifecycleEvents],
});

export const connector = oktaConnector;
