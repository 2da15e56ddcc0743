import { z } from 'zod';

/**
 * One query per page of issues with what the stream stores, instead of the SDK's models, which fetch
 * each relation (state, history, labels, attachments) with a request of its own per issue. Nested
 * connections are kept small so a page stays far under Linear's complexity limit.
 */
export const NESTED_FIRST = 50;

const HISTORY_FIELDS = `createdAt actor { id name email } fromState { name type } toState { name type }`;

export const CHANGE_TICKETS_QUERY = `query ChangeTickets($filter: IssueFilter, $first: Int!, $after: String) {
  issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt, includeArchived: true) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id identifier title url createdAt updatedAt completedAt canceledAt
      team { key name }
      state { name type }
      creator { id name email }
      assignee { id name email }
      project { id name }
      cycle { id number name }
      labels(first: ${NESTED_FIRST}) { pageInfo { hasNextPage } nodes { name } }
      history(first: ${NESTED_FIRST}) { pageInfo { hasNextPage endCursor } nodes { ${HISTORY_FIELDS} } }
      attachments(first: ${NESTED_FIRST}) { pageInfo { hasNextPage } nodes { url title sourceType } }
    }
  }
}`;

export const ISSUE_HISTORY_QUERY = `query IssueHistory($id: String!, $first: Int!, $after: String) {
  issue(id: $id) {
    history(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${HISTORY_FIELDS} } }
  }
}`;

export const ISSUE_RELATIONS_QUERY = `query IssueRelations($id: String!) {
  issue(id: $id) {
    labels(first: 250) { nodes { name } }
    attachments(first: 250) { nodes { url title sourceType } }
  }
}`;

const person = z
  .object({ id: z.string(), name: z.string().nullish(), email: z.string().nullish() })
  .nullish();
const state = z.object({ name: z.string(), type: z.string() }).nullish();
const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });

export const historyConnection = z.object({
  pageInfo,
  nodes: z.array(z.object({ createdAt: z.string(), actor: person, fromState: state, toState: state })),
});
export type HistoryNode = z.infer<typeof historyConnection>['nodes'][number];

const labelNodes = z.object({ nodes: z.array(z.object({ name: z.string() })) });
const attachmentNodes = z.object({
  nodes: z.array(
    z.object({ url: z.string(), title: z.string().nullish(), sourceType: z.string().nullish() }),
  ),
});

export const issueNode = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  url: z.string().nullish(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullish(),
  canceledAt: z.string().nullish(),
  team: z.object({ key: z.string(), name: z.string().nullish() }),
  state: z.object({ name: z.string(), type: z.string() }),
  creator: person,
  assignee: person,
  project: z.object({ id: z.string(), name: z.string() }).nullish(),
  cycle: z.object({ id: z.string(), number: z.number(), name: z.string().nullish() }).nullish(),
  labels: labelNodes.extend({ pageInfo: pageInfo.partial() }),
  history: historyConnection,
  attachments: attachmentNodes.extend({ pageInfo: pageInfo.partial() }),
});
export type IssueNode = z.infer<typeof issueNode>;

export const issuesPageSchema = z.object({
  issues: z.object({ pageInfo, nodes: z.array(z.unknown()) }),
});

export const issueHistorySchema = z.object({ issue: z.object({ history: historyConnection }) });
export const issueRelationsSchema = z.object({
  issue: z.object({ labels: labelNodes, attachments: attachmentNodes }),
});
