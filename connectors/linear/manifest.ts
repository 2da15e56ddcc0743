import { defineManifest, type StreamMetadata } from '../../src/stream.js';
import { linearConfigSchema, type LinearConfig } from './config.js';

// What `streams` and `catalog` read: the connector and its streams in the auditor's words, without the code
// that collects them (index.ts adds that), so listing them loads no client, payload schema or SDK.

/** The streams, keyed by id; each stream's definition spreads its entry. */
export const linearStreams = {
  'linear-change-tickets': {
    id: 'linear-change-tickets',
    description: 'Linear change tickets with their state history and linked pull requests',
    kind: 'events',
    population:
      'Every issue of the configured Linear teams created or updated in the period, with every state change (who, when), labels, assignee, project, cycle and linked GitHub pull requests',
    evidenceName: 'Change_Tickets_Linear',
    criteria: ['CC8.1'],
    isoControls: ['A.8.32'],
    cadence: '1d',
    silenceThreshold: '14d',
    sourceLag: '5m',
  },
} satisfies Record<string, StreamMetadata>;

/** Linear: the change tickets of the configured teams (CC8.1). */
export const linearManifest = defineManifest<LinearConfig>({
  id: 'linear',
  description: 'Linear: change tickets with state history and linked pull requests',
  // AUTH_INVALID and AUTH_FORBIDDEN are the core's credential codes already.
  credentialErrorCodes: [],
  secretEnvVars: ['LINEAR_API_KEY', 'LINEAR_OAUTH_TOKEN'],
  configSchema: linearConfigSchema,
  streams: Object.values(linearStreams),
});
