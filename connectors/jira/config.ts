import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';
import { durationSchema } from '../../src/time.js';

const projectKey = z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'expected a Jira project key like "CHG"');

/**
 * `connectors.jira`: which Jira Cloud site and which change projects. Credentials come from the
 * environment: JIRA_EMAIL + JIRA_API_TOKEN (Basic), or JIRA_OAUTH_TOKEN (OAuth 2.0 bearer).
 */
export const jiraConfigSchema = z
  .object({
    /** The site, `https://acme.atlassian.net`, or the local sandbox. */
    site: z.url('expected the Jira site URL like "https://acme.atlassian.net"'),
    /** With OAuth 2.0, requests go to api.atlassian.com/ex/jira/<cloudId> unless `site` is set to it. */
    cloudId: z.string().min(1).optional(),
    /** Account email for Basic auth; JIRA_EMAIL when absent. */
    email: z.email('expected the account email').optional(),
    /** A file holding the API token, instead of JIRA_API_TOKEN. */
    tokenFile: z.string().min(1).optional(),
    /** The change projects; or a JQL filter (combined with the window), or both. */
    projects: z.array(projectKey).min(1).optional(),
    jql: z.string().min(1).optional(),
    /**
     * Fields whose changes record an approval (name or id as the changelog gives them: "Approvers",
     * "customfield_10050"). Their every change is kept beside the status transitions.
     */
    approvalFields: z.array(z.string().min(1)).default(['Approvers']),
    /** Read JSM approvals of service-desk projects (`/rest/servicedeskapi/request/{key}/approval`). */
    serviceDeskApprovals: z.boolean().default(true),
    /** Issues per search page (Jira caps it; 100 with fields). */
    pageSize: z.number().int().min(1).max(100).default(100),
    timeout: durationSchema.optional(),
    ...queueSettingsShape,
  })
  .strict()
  .refine((config) => config.projects !== undefined || config.jql !== undefined, {
    message: 'expected "projects" (a list of project keys) or "jql" (a filter)',
    path: ['projects'],
  });

export type JiraConfig = z.infer<typeof jiraConfigSchema>;
