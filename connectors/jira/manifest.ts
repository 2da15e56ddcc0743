import { defineManifest, type StreamMetadata } from '../../src/stream.js';
import { jiraConfigSchema, type JiraConfig } from './config.js';

// What `streams` and `catalog` read: the connector and its streams in the auditor's words, without the code
// that collects them (index.ts adds that), so listing them loads no client, payload schema or SDK.

/** The streams, keyed by id; each stream's definition spreads its entry. */
export const jiraStreams = {
  'jira-change-tickets': {
    id: 'jira-change-tickets',
    description: 'Jira change tickets with their status transitions and approvals',
    kind: 'events',
    population:
      'Every issue of the configured Jira change projects created or updated in the period, with every status transition (who, when), every change of the approval fields and the Jira Service Management approvals',
    evidenceName: 'Change_Tickets',
    criteria: ['CC8.1'],
    isoControls: ['A.8.32'],
    cadence: '1d',
    silenceThreshold: '14d',
    sourceLag: '5m',
  },
} satisfies Record<string, StreamMetadata>;

/** Jira Cloud: the change tickets of the configured projects (CC8.1). */
export const jiraManifest = defineManifest<JiraConfig>({
  id: 'jira',
  description: 'Jira Cloud: change tickets with transitions and approvals',
  // AUTH_INVALID and AUTH_FORBIDDEN are the core's credential codes already.
  credentialErrorCodes: [],
  secretEnvVars: ['JIRA_API_TOKEN', 'JIRA_OAUTH_TOKEN'],
  configSchema: jiraConfigSchema,
  streams: Object.values(jiraStreams),
});
