import { defineConnector } from '../../src/stream.js';
import type { GoogleWorkspaceClient } from './client.js';
// The key's variable is named in config.ts: credentials.ts loads google-auth-library, which `streams` must not.
import { GOOGLE_KEY_ENV, googleWorkspaceConfigSchema, type GoogleWorkspaceConfig } from './config.js';
import { googleWorkspaceAdminEvents } from './admin-events.js';
import { googleWorkspaceUsers } from './users.js';

/** Google Workspace: Directory users (CC6.1-CC6.3) and the Reports API's admin activity. */
export const googleWorkspaceConnector = defineConnector<GoogleWorkspaceConfig, GoogleWorkspaceClient>({
  id: 'google-workspace',
  description:
    'Google Workspace: users with suspension, admin and 2-Step Verification, and admin console events',
  configSchema: googleWorkspaceConfigSchema,
  // A 401 or a refused token assertion is the core's AUTH_INVALID; 403 AUTH_FORBIDDEN (./errors.ts).
  credentialErrorCodes: [],
  secretEnvVars: [GOOGLE_KEY_ENV],
  // The client library loads only when a client is made, not for `streams` or `catalog`.
  createClient: async (config, env) => (await import('./client.js')).createGoogleWorkspaceClient(config, env),
  streams: [googleWorkspaceUsers, googleWorkspaceAdminEvents],
});

export const connector = googleWorkspaceConnector;
