import { defineManifest, type StreamMetadata } from '../../src/stream.js';
import { oktaConfigSchema, type OktaConfig } from './config.js';

// What `streams` and `catalog` read: the connector and its streams in the auditor's words, without the code
// that collects them (index.ts adds that), so listing them loads no client, payload schema or SDK.

/** The streams, keyed by id; each stream's definition spreads its entry. */
export const oktaStreams = {
  'okta-users': {
    id: 'okta-users',
    description:
      'Daily observation of every Okta user with status, MFA factors and admin roles, diffed day to day',
    kind: 'snapshot',
    population:
      'Every Okta user on each day (status, profile login, email, employee number, department, manager, enrolled MFA factors, admin roles) and every joiner, leaver (deactivated or deleted) and mover between consecutive days.',
    evidenceName: 'Okta_Users',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.16', 'A.5.18', 'A.8.2', 'A.8.5'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0s',
  },
  'okta-lifecycle-events': {
    id: 'okta-lifecycle-events',
    description:
      'Okta System Log: user lifecycle, group and app membership, admin privilege and MFA factor events',
    kind: 'events',
    population:
      'Every Okta System Log event of user lifecycle (create, activate, deactivate, suspend, unsuspend, delete), group and application membership (add, remove), admin privilege (grant, revoke) and MFA factor reset or deactivation, with actor, target and outcome.',
    evidenceName: 'Okta_Lifecycle_Events',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.16', 'A.5.18', 'A.8.2'],
    cadence: '1h',
    // Lifecycle events follow joiners, movers and leavers: a small company has quiet stretches of two weeks
    // and more, so a shorter default would flag healthy weeks. After 30 days of history the learned
    // threshold (3 x the longest quiet stretch) takes over; set `streams.okta-lifecycle-events` to tighten.
    silenceThreshold: '30d',
    // The System Log is near real time; a few minutes cover late writes.
    sourceLag: '5m',
  },
} satisfies Record<string, StreamMetadata>;

/** Okta: the users with status, factors and admin roles (CC6.1-CC6.3), and the System Log's lifecycle events. */
export const oktaManifest = defineManifest<OktaConfig>({
  id: 'okta',
  description: 'Okta: users with status, MFA factors and admin roles, and System Log lifecycle events',
  configSchema: oktaConfigSchema,
  // 401 and 403 are the core's AUTH_INVALID / AUTH_FORBIDDEN (connectors/okta/errors.ts).
  credentialErrorCodes: [],
  // The API token, or the private key of the OAuth service app (credentials.ts reads them).
  secretEnvVars: ['OKTA_API_TOKEN', 'OKTA_PRIVATE_KEY'],
  streams: Object.values(oktaStreams),
});
