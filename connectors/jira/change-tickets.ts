import { defineStream } from '../../src/stream.js';
import type { JiraClient } from './client.js';
import type { JiraConfig } from './config.js';
import { jiraTicketSchema, type JiraTicket } from './ticket-payload.js';
import { toTicket } from './to-ticket.js';
import { jiraInstant, windowJql } from './window-jql.js';
import { jiraStreams } from './manifest.js';

const approvalsOf = (ticket: JiraTicket) =>
  (ticket.approvals ?? [])
    .map((approval) => `${approval.decision}${approval.completedAt ? ` ${approval.completedAt}` : ''}`)
    .join('; ');

/**
 * Every issue of the change projects created or updated in the window, with its whole changelog: the
 * natural key is the issue key, so an issue updated again later becomes a new version of the same key.
 */
export const jiraChangeTickets = defineStream<JiraClient, JiraTicket, JiraConfig>({
  ...jiraStreams['jira-change-tickets'],
  retention: () => ({ kind: 'forever', reason: 'Jira keeps issues and their changelog until deleted' }),
  itemSchema: jiraTicketSchema,
  populationColumns: [
    { header: 'Ticket', value: ({ payload }) => payload.key },
    { header: 'Project', value: ({ payload }) => payload.project.key },
    { header: 'Type', value: ({ payload }) => payload.type },
    { header: 'Summary', value: ({ payload }) => payload.summary },
    { header: 'Status', value: ({ payload }) => payload.status },
    { header: 'Resolution', value: ({ payload }) => payload.resolution },
    { header: 'Reporter', value: ({ payload }) => payload.reporter?.name ?? null },
    { header: 'Assignee', value: ({ payload }) => payload.assignee?.name ?? null },
    { header: 'Created', value: ({ payload }) => payload.created },
    { header: 'Updated', value: ({ payload }) => payload.updated },
    { header: 'Resolved', value: ({ payload }) => payload.resolved },
    {
      header: 'Transitions',
      value: ({ payload }) =>
        payload.transitions
          .map(
            (step) => `${step.at} ${step.from ?? '?'} -> ${step.to ?? '?'} by ${step.by?.name ?? 'unknown'}`,
          )
          .join('; '),
    },
    {
      header: 'Approval field changes',
      value: ({ payload }) =>
        payload.approvalFieldChanges
          .map(
            (change) =>
              `${change.at} ${change.field}: ${change.to ?? '(empty)'} by ${change.by?.name ?? 'unknown'}`,
          )
          .join('; '),
    },
    { header: 'Approvals', value: ({ payload }) => approvalsOf(payload) },
    { header: 'Labels', value: ({ payload }) => payload.labels.join(', ') },
    { header: 'Fix versions', value: ({ payload }) => payload.fixVersions.join(', ') },
  ],
  async *collect(window, _cursor, ctx) {
    const { client } = ctx;
    const jql = windowJql(client.config, window, await client.timeZone());
    let token: string | undefined;
    let page = 0;
    do {
      const result = await client.search(jql, token);
      page += 1;
      for (const [index, raw] of result.issues.entries()) {
        const parsed = client.issueSchema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          await ctx.reject({
            reason: `issue ${index} of search page ${page}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
            source: `GET /rest/api/3/search/jql page ${page}`,
            ...(typeof (raw as { key?: unknown })?.key === 'string'
              ? { key: (raw as { key: string }).key }
              : {}),
            raw,
          });
          continue;
        }
        const issue = parsed.data;
        const updated = jiraInstant(issue.fields.updated);
        // The query is wider than the window: the neighbours' issues belong to their own windows.
        if (!(updated >= window.start && updated < window.end)) continue;
        const changelog = await client.changelog(issue.key);
        const serviceDesk = issue.fields.project.projectTypeKey === 'service_desk';
        const approvals =
          serviceDesk && client.config.serviceDeskApprovals ? await client.approvals(issue.key) : null;
        let payload: JiraTicket;
        try {
          payload = toTicket(issue, changelog, approvals, client.config);
        } catch (error) {
          await ctx.reject({
            reason: `${issue.key}: ${error instanceof Error ? error.message : String(error)}`,
            source: `GET /rest/api/3/issue/${issue.key}/changelog`,
            key: issue.key,
            raw,
          });
          continue;
        }
        yield { key: issue.key, occurredAt: updated, payload };
      }
      token = result.nextPageToken;
    } while (token !== undefined);
  },
});
