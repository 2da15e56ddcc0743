import { z } from 'zod';

/** A person as Jira names them; null where the field is empty (unassigned, a deleted account). */
export const jiraPersonSchema = z
  .object({ accountId: z.string().nullable(), name: z.string().nullable(), email: z.string().nullable() })
  .nullable();

/**
 * A Jira issue of a change project as the source said it, with its status transitions, every change of
 * the approval fields and, for service-desk requests, the JSM approvals. Times are ISO 8601 UTC. Nothing
 * judged: whether it was approved in time is a check's call.
 */
export const jiraTicketSchema = z.object({
  key: z.string(),
  id: z.string(),
  project: z.object({ key: z.string(), type: z.string().nullable() }),
  type: z.string().nullable(),
  summary: z.string(),
  status: z.string(),
  statusCategory: z.string().nullable(),
  resolution: z.string().nullable(),
  reporter: jiraPersonSchema,
  assignee: jiraPersonSchema,
  created: z.string(),
  updated: z.string(),
  resolved: z.string().nullable(),
  fixVersions: z.array(z.string()),
  labels: z.array(z.string()),
  links: z.array(z.object({ type: z.string(), direction: z.enum(['inward', 'outward']), key: z.string() })),
  transitions: z.array(
    z.object({
      at: z.string(),
      by: jiraPersonSchema,
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
  ),
  approvalFieldChanges: z.array(
    z.object({
      at: z.string(),
      by: jiraPersonSchema,
      field: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
  ),
  /** JSM approvals; null when the project is not a service desk (or reading them is turned off). */
  approvals: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().nullable(),
        decision: z.string(),
        approvers: z.array(z.object({ approver: jiraPersonSchema, decision: z.string().nullable() })),
        createdAt: z.string().nullable(),
        completedAt: z.string().nullable(),
      }),
    )
    .nullable(),
});
export type JiraTicket = z.infer<typeof jiraTicketSchema>;
