import { defineStream } from '../../src/stream.js';
import type { LinearApi } from './client.js';
import type { LinearConfig } from './config.js';
import {
  CHANGE_TICKETS_QUERY,
  ISSUE_HISTORY_QUERY,
  ISSUE_RELATIONS_QUERY,
  issueHistorySchema,
  issueNode,
  issueRelationsSchema,
  issuesPageSchema,
  type HistoryNode,
  type IssueNode,
} from './queries.js';
import { linearTicketSchema, pullRequestOf, type LinearTicket } from './ticket-payload.js';
import { linearStreams } from './manifest.js';

const iso = (text: string | null | undefined) => (text ? new Date(Date.parse(text)).toISOString() : null);
const person = (raw: IssueNode['creator']) =>
  raw ? { id: raw.id, name: raw.name ?? null, email: raw.email ?? null } : null;

/** The rest of an issue's history when the first page did not hold it all. */
async function wholeHistory(client: LinearApi, issue: IssueNode): Promise<HistoryNode[]> {
  const nodes = [...issue.history.nodes];
  let info = issue.history.pageInfo;
  while (info.hasNextPage && info.endCursor) {
    const page = await client.query(
      ISSUE_HISTORY_QUERY,
      { id: issue.id, first: 100, after: info.endCursor },
      issueHistorySchema,
      `read the history of ${issue.identifier}`,
    );
    nodes.push(...page.issue.history.nodes);
    info = page.issue.history.pageInfo;
  }
  return nodes;
}

async function toTicket(client: LinearApi, issue: IssueNode): Promise<LinearTicket> {
  const history = await wholeHistory(client, issue);
  const more = issue.labels.pageInfo.hasNextPage === true || issue.attachments.pageInfo.hasNextPage === true;
  const relations = more
    ? (
        await client.query(
          ISSUE_RELATIONS_QUERY,
          { id: issue.id },
          issueRelationsSchema,
          `read the labels and attachments of ${issue.identifier}`,
        )
      ).issue
    : issue;
  const attachments = relations.attachments.nodes.map((node) => ({
    url: node.url,
    title: node.title ?? null,
    sourceType: node.sourceType ?? null,
  }));
  return {
    identifier: issue.identifier,
    id: issue.id,
    team: issue.team.key,
    title: issue.title,
    url: issue.url ?? null,
    state: { name: issue.state.name, type: issue.state.type },
    // History lists every change (title, labels, ...); a state change is one that names a state.
    stateHistory: history
      .filter((entry) => entry.fromState || entry.toState)
      .map((entry) => ({
        at: iso(entry.createdAt) as string,
        by: person(entry.actor),
        from: entry.fromState ? { name: entry.fromState.name, type: entry.fromState.type } : null,
        to: entry.toState ? { name: entry.toState.name, type: entry.toState.type } : null,
      }))
      .sort((a, b) => a.at.localeCompare(b.at)),
    labels: relations.labels.nodes.map((label) => label.name).sort(),
    assignee: person(issue.assignee),
    creator: person(issue.creator),
    project: issue.project?.name ?? null,
    cycle: issue.cycle ? { number: issue.cycle.number, name: issue.cycle.name ?? null } : null,
    createdAt: iso(issue.createdAt) as string,
    updatedAt: iso(issue.updatedAt) as string,
    completedAt: iso(issue.completedAt),
    canceledAt: iso(issue.canceledAt),
    attachments,
    pullRequests: attachments.flatMap((attachment) => {
      const pr = pullRequestOf(attachment.url);
      return pr ? [pr] : [];
    }),
  };
}

/**
 * Every issue of the configured teams updated in the window (creation counts as an update), paged with
 * Linear's cursors. The natural key is the identifier (ENG-123): an issue updated again is a new version.
 */
export const linearChangeTickets = defineStream<LinearApi, LinearTicket, LinearConfig>({
  ...linearStreams['linear-change-tickets'],
  retention: () => ({ kind: 'forever', reason: 'Linear keeps issues and their history until deleted' }),
  itemSchema: linearTicketSchema,
  populationColumns: [
    { header: 'Ticket', value: ({ payload }) => payload.identifier },
    { header: 'Team', value: ({ payload }) => payload.team },
    { header: 'Title', value: ({ payload }) => payload.title },
    { header: 'State', value: ({ payload }) => payload.state.name },
    { header: 'Creator', value: ({ payload }) => payload.creator?.name ?? null },
    { header: 'Assignee', value: ({ payload }) => payload.assignee?.name ?? null },
    { header: 'Project', value: ({ payload }) => payload.project },
    { header: 'Cycle', value: ({ payload }) => payload.cycle?.number ?? null },
    { header: 'Created', value: ({ payload }) => payload.createdAt },
    { header: 'Updated', value: ({ payload }) => payload.updatedAt },
    { header: 'Completed', value: ({ payload }) => payload.completedAt },
    {
      header: 'State changes',
      value: ({ payload }) =>
        payload.stateHistory
          .map(
            (step) =>
              `${step.at} ${step.from?.name ?? '?'} -> ${step.to?.name ?? '?'} by ${step.by?.name ?? 'unknown'}`,
          )
          .join('; '),
    },
    { header: 'Labels', value: ({ payload }) => payload.labels.join(', ') },
    { header: 'Pull requests', value: ({ payload }) => payload.pullRequests.map((pr) => pr.url).join(' ') },
  ],
  async *collect(window, _cursor, ctx) {
    const { client } = ctx;
    const filter = {
      team: { key: { in: client.config.teams } },
      updatedAt: { gte: new Date(window.start).toISOString(), lt: new Date(window.end).toISOString() },
    };
    let after: string | undefined;
    let page = 0;
    for (;;) {
      const result = await client.query(
        CHANGE_TICKETS_QUERY,
        { filter, first: client.config.pageSize, ...(after ? { after } : {}) },
        issuesPageSchema,
        `list issues of ${client.config.teams.join(', ')} updated in the window`,
      );
      page += 1;
      for (const [index, raw] of result.issues.nodes.entries()) {
        const parsed = issueNode.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const identifier = (raw as { identifier?: unknown } | null)?.identifier;
          await ctx.reject({
            reason: `issue ${index} of page ${page}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
            source: `issues page ${page}`,
            ...(typeof identifier === 'string' ? { key: identifier } : {}),
            raw,
          });
          continue;
        }
        const occurredAt = Date.parse(parsed.data.updatedAt);
        if (!(occurredAt >= window.start && occurredAt < window.end)) continue;
        yield { key: parsed.data.identifier, occurredAt, payload: await toTicket(client, parsed.data) };
      }
      const info = result.issues.pageInfo;
      if (!info.hasNextPage || !info.endCursor) return;
      after = info.endCursor;
    }
  },
});
