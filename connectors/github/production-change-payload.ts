import { z } from 'zod';

const person = z.object({ login: z.string().nullable(), date: z.string().nullable() });

export const commitChangeSchema = z.object({
  type: z.literal('commit'),
  repo: z.string(),
  branch: z.string(),
  sha: z.string(),
  message: z.string(),
  committedAt: z.string(),
  author: person,
  committer: person,
  pullRequest: z
    .object({
      number: z.number().int(),
      title: z.string(),
      url: z.string(),
      author: z.string().nullable(),
      mergedBy: z.string().nullable(),
      mergedAt: z.string().nullable(),
      headSha: z.string(),
    })
    .nullable(),
  approvals: z.array(
    z.object({
      reviewer: z.string().nullable(),
      state: z.literal('approved'),
      commit: z.string().nullable(),
      onFinalHead: z.boolean(),
    }),
  ),
  checks: z.object({
    runs: z.array(z.object({ name: z.string(), status: z.string(), conclusion: z.string().nullable() })),
    combinedStatus: z.string().nullable(),
  }),
  flags: z.array(z.string()),
});

export const forcePushSchema = z.object({
  type: z.literal('force_push'),
  repo: z.string(),
  branch: z.string(),
  eventId: z.string(),
  before: z.string(),
  after: z.string(),
  actor: z.string().nullable(),
  pushedAt: z.string(),
  flags: z.array(z.string()),
});

/** A production change: a commit that reached the default branch, or a force push that rewrote it. */
export const productionChangeSchema = z.discriminatedUnion('type', [commitChangeSchema, forcePushSchema]);
export type ProductionChange = z.infer<typeof productionChangeSchema>;
export type CommitChange = z.infer<typeof commitChangeSchema>;
