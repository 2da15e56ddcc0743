import { defineConnector } from '../../src/stream.js';
import { jiraManifest } from './manifest.js';
import { describeJira } from './system-description.js';
import { jiraChangeTickets } from './change-tickets.js';
import type { JiraClient } from './client.js';
import type { JiraConfig } from './config.js';

/** Jira Cloud: the change tickets of the configured projects (CC8.1). */
export const jiraConnector = defineConnector<JiraConfig, JiraClient>({
  ...jiraManifest,
  // jira.js (and axios) load only when a client is made: `streams`, `catalog` and `--help` never pay for it.
  createClient: async (config, env) => (await import('./client.js')).createJiraClient(config, env),
  streams: [jiraChangeTickets],
  systemDescription: describeJira,
});

export const connector = jiraConnector;
