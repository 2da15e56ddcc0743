import { defineConnector } from '../../src/stream.js';
import { jiraChangeTickets } from './change-tickets.js';
import type { JiraClient } from './client.js';
import { jiraConfigSchema, type JiraConfig } from './config.js';

/** Jira Cloud: the change tickets of the configured projects (CC8.1). */
export const jiraConnector = defineConnector<JiraConfig, JiraClient>({
  id: 'jira',
  description: 'Jira Cloud: change tickets with transitions and approvals',
  // AUTH_INVALID and AUTH_FORBIDDEN are the core's credential codes already.
  credentialErrorCodes: [],
  secretEnvVars: ['JIRA_API_TOKEN', 'JIRA_OAUTH_TOKEN'],
  configSchema: jiraConfigSchema,
  // jira.js (and axios) load only when a client is made: `streams`, `catalog` and `--help` never pay for it.
  createClient: async (config, env) => (await import('./client.js')).createJiraClient(config, env),
  streams: [jiraChangeTickets],
});

export const connector = jiraConnector;
