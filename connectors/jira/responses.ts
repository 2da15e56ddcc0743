import { z } from 'zod';

/** What the Jira Cloud REST API answers, as far as the stream reads it (unknown fields pass). */

const user = z
  .object({
    accountId: z.string().nullish(),
    displayName: z.string().nullish(),
    emailAddress: z.string().nullish(),
  })
  .nullish();

const named = z.object({ name: z.string() });

const linkedIssue = z.object({ key: z.string() });

export const jiraIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({
    summary: z.string().nullish(),
    issuetype: named.nullish(),
    status: z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }).nullish() }),
    resolution: named.nullish(),
    reporter: user,
    assignee: user,
    created: z.string(),
    updated: z.string(),
    resolutiondate: z.string().nullish(),
    fixVersions: z.array(named).nullish(),
    labels: z.array(z.string()).nullish(),
    issuelinks: z
      .array(
        z.object({
          type: z.object({ name: z.string(), inward: z.string().nullish(), outward: z.string().nullish() }),
          inwardIssue: linkedIssue.nullish(),
          outwardIssue: linkedIssue.nullish(),
        }),
      )
      .nullish(),
    project: z.object({ key: z.string(), projectTypeKey: z.string().nullish() }),
  }),
});
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

export const searchPageSchema = z.object({
  issues: z.array(z.unknown()),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().nullish(),
});

export const changelogPageSchema = z.object({
  startAt: z.number().int(),
  maxResults: z.number().int(),
  total: z.number().int().nullish(),
  isLast: z.boolean().nullish(),
  values: z.array(
    z.object({
      id: z.string(),
      author: user,
      created: z.string(),
      items: z.array(
        z.object({
          field: z.string(),
          fieldId: z.string().nullish(),
          from: z.string().nullish(),
          fromString: z.string().nullish(),
          to: z.string().nullish(),
          toString: z.string().nullish(),
        }),
      ),
    }),
  ),
});
export type ChangelogEntry = z.infer<typeof changelogPageSchema>['values'][number];

const jsmDate = z.object({ iso8601: z.string().nullish(), epochMillis: z.number().nullish() }).nullish();

export const approvalsPageSchema = z.object({
  start: z.number().int().nullish(),
  limit: z.number().int().nullish(),
  isLastPage: z.boolean().nullish(),
  values: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullish(),
      finalDecision: z.string(),
      approvers: z.array(z.object({ approver: user, approverDecision: z.string().nullish() })).nullish(),
      createdDate: jsmDate,
      completedDate: jsmDate,
    }),
  ),
});
export type JsmApproval = z.infer<typeof approvalsPageSchema>['values'][number];

export const myselfSchema = z.object({ accountId: z.string().nullish(), timeZone: z.string().nullish() });
