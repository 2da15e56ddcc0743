import { createJiraClient, type JiraClient } from '../../connectors/jira/client.js';
import { jiraConfigSchema, type JiraConfig } from '../../connectors/jira/config.js';

export const JIRA_ENV = { JIRA_EMAIL: 'bot@acme.example', JIRA_API_TOKEN: 'jira-test-token-123' };

export function jiraConfig(section: Record<string, unknown>): JiraConfig {
  return jiraConfigSchema.parse(section);
}

/** Backoff in milliseconds, so fault tests take no time. */
export function jiraClient(config: JiraConfig, env: NodeJS.ProcessEnv = JIRA_ENV): JiraClient {
  return createJiraClient(config, env, { retryBaseMs: 1, retries: 3, timeoutMs: 5_000 });
}
