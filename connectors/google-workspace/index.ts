import { defineConnector } from '../../src/stream.js';
import { googleWorkspaceManifest } from './manifest.js';
import type { GoogleWorkspaceClient } from './client.js';
import type { GoogleWorkspaceConfig } from './config.js';
import { googleWorkspaceAdminEvents } from './admin-events.js';
import { googleWorkspaceUsers } from './users.js';

/** Google Workspace: Directory users (CC6.1-CC6.3) and the Reports API's admin activity. */
export const googleWorkspaceConnector = defineConnector<GoogleWorkspaceConfig, GoogleWorkspaceClient>({
  ...googleWorkspaceManifest,
  // The client library loads only when a client is made, not for `streams` or `catalog`.
  createClient: async (config, env) => (await import('./client.js')).createGoogleWorkspaceClient(config, env),
  streams: [googleWorkspaceUsers, googleWorkspaceAdminEvents],
});

export const connector = googleWorkspaceConnector;
