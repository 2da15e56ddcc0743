import { z } from 'zod';

export const linearPersonSchema = z
  .object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() })
  .nullable();
const stateSchema = z.object({ name: z.string(), type: z.string() });

/**
 * A Linear issue of a change team as Linear said it, with every state change (who, when), its labels and
 * its attachments; `pullRequests` are the attachments that are GitHub pull requests, read from their URL.
 * Times are ISO 8601 UTC. Nothing judged.
 */
export const linearTicketSchema = z.object({
  identifier: z.string(),
  id: z.string(),
  team: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  state: stateSchema,
  stateHistory: z.array(
    z.object({
      at: z.string(),
      by: linearPersonSchema,
      from: stateSchema.nullable(),
      to: stateSchema.nullable(),
    }),
  ),
  labels: z.array(z.string()),
  assignee: linearPersonSchema,
  creator: linearPersonSchema,
  project: z.string().nullable(),
  cycle: z.object({ number: z.number(), name: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  canceledAt: z.string().nullable(),
  attachments: z.array(
    z.object({ url: z.string(), title: z.string().nullable(), sourceType: z.string().nullable() }),
  ),
  pullRequests: z.array(z.object({ url: z.string(), repo: z.string(), number: z.number().int() })),
});
export type LinearTicket = z.infer<typeof linearTicketSchema>;

/** `https://github.com/acme/api/pull/12` (or a GitHub Enterprise host) → acme/api #12. */
export function pullRequestOf(url: string): { url: string; repo: string; number: number } | undefined {
  const match = /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/pull\/(\d+)(?:[/?#].*)?$/.exec(url);
  return match ? { url, repo: match[1] as string, number: Number(match[2]) } : undefined;
}
