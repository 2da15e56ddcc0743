import { defineManifest, type StreamMetadata } from '../../src/stream.js';
// The key's variable is named in config.ts: credentials.ts loads google-auth-library, which `streams` must not.
import { GOOGLE_KEY_ENV, googleWorkspaceConfigSchema, type GoogleWorkspaceConfig } from './config.js';

// What `streams` and `catalog` read: the connector and its streams in the auditor's words, without the code
// that collects them (index.ts adds that), so listing them loads no client, payload schema or SDK.

/** The streams, keyed by id; each stream's definition spreads its entry. */
export const googleWorkspaceStreams = {
  'google-workspace-users': {
    id: 'google-workspace-users',
    description:
      'Daily observation of every Google Workspace user (suspended, admin, 2-Step Verification), diffed day to day',
    kind: 'snapshot',
    population:
      'Every Google Workspace user on each day (suspended, archived, creation and last login time, organisational unit, admin flags, 2-Step Verification enrolled and enforced, employee id, department, manager) and every joiner, leaver (suspended or deleted) and mover between consecutive days.',
    evidenceName: 'Google_Workspace_Users',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.16', 'A.5.18', 'A.8.2', 'A.8.5'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0s',
  },
  'google-workspace-admin-events': {
    id: 'google-workspace-admin-events',
    description:
      'Google Workspace admin console changes to users, groups and admin roles (Reports API, admin)',
    kind: 'events',
    population:
      'Every Google Workspace admin-console event on users, groups and admin roles (create, delete, suspend, unsuspend, rename user, grant or revoke admin privilege, group membership changes, 2-Step Verification changes) with the admin who made it.',
    evidenceName: 'Google_Workspace_Admin_Events',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.16', 'A.5.18', 'A.8.2'],
    cadence: '1h',
    // Admin-console changes to users come with joiners and leavers; weeks without one are normal in a small
    // company (the learned threshold takes over after 30 days of history).
    silenceThreshold: '30d',
    // Admin activity appears within minutes, sometimes later; the Reports API states lags of up to hours.
    sourceLag: '1h',
  },
} satisfies Record<string, StreamMetadata>;

/** Google Workspace: Directory users (CC6.1-CC6.3) and the Reports API's admin activity. */
export const googleWorkspaceManifest = defineManifest<GoogleWorkspaceConfig>({
  id: 'google-workspace',
  description:
    'Google Workspace: users with suspension, admin and 2-Step Verification, and admin console events',
  configSchema: googleWorkspaceConfigSchema,
  // A 401 or a refused token assertion is the core's AUTH_INVALID; 403 AUTH_FORBIDDEN (./errors.ts).
  credentialErrorCodes: [],
  secretEnvVars: [GOOGLE_KEY_ENV],
  streams: Object.values(googleWorkspaceStreams),
});
