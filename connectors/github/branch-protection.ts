import { z } from 'zod';
import { EvidenceError } from '../../src/errors.js';
import { emptySnapshotItem } from '../../src/empty-snapshot.js';
import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { GithubClient } from './client.js';
import type { GithubConfig } from './config.js';
import {
  branchRuleSchema,
  classicProtectionSchema,
  protectionChanges,
  protectionState,
  protectionStateSchema,
  rulesetSchema,
  type ClassicProtection,
  type ProtectionState,
} from './protection-state.js';
import { repositoriesInScope, type ScopedRepository } from './repositories.js';
import { snapshotDay } from './snapshot-day.js';
import { githubStreams } from './manifest.js';

const payloadSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('observation'),
    repo: z.string(),
    branch: z.string(),
    state: protectionStateSchema,
  }),
  z.object({
    type: z.literal('change'),
    repo: z.string(),
    branch: z.string(),
    field: z.string(),
    from: z.unknown(),
    to: z.unknown(),
    description: z.string(),
  }),
  /** The org was read and no repository was in scope. */
  z.object({ type: z.literal('empty'), org: z.string(), description: z.string() }),
]);
type ProtectionPayload = z.infer<typeof payloadSchema>;

const cursorSchema = z.object({ day: z.string(), repos: z.record(z.string(), protectionStateSchema) });

async function readProtection(client: GithubClient, repo: ScopedRepository): Promise<ProtectionState> {
  const params = { owner: repo.owner, repo: repo.name, branch: repo.defaultBranch };
  let classic: ClassicProtection | null = null;
  try {
    classic = (
      await client.get(
        'GET /repos/{owner}/{repo}/branches/{branch}/protection',
        params,
        classicProtectionSchema,
        `read branch protection of ${repo.fullName}`,
        { conditional: true },
      )
    ).data;
  } catch (error) {
    // 404 here means "Branch not protected"; a missing repository would have failed the listing.
    if (!(error instanceof EvidenceError && error.code === 'NOT_FOUND')) throw error;
  }
  const rules: z.infer<typeof branchRuleSchema>[] = [];
  for await (const page of client.pages(
    'GET /repos/{owner}/{repo}/rules/branches/{branch}',
    params,
    z.array(branchRuleSchema),
    `read rules on ${repo.fullName}:${repo.defaultBranch}`,
    { conditional: true },
  ))
    rules.push(...page);
  const bypassActors: string[] = [];
  for (const id of new Set(rules.map((rule) => rule.ruleset_id))) {
    const { data } = await client.get(
      'GET /repos/{owner}/{repo}/rulesets/{ruleset_id}',
      { owner: repo.owner, repo: repo.name, ruleset_id: id, includes_parents: true },
      rulesetSchema,
      `read ruleset ${id} of ${repo.fullName}`,
      { conditional: true },
    );
    for (const actor of data.bypass_actors ?? [])
      bypassActors.push(
        `${actor.actor_type}${actor.actor_id ? `#${actor.actor_id}` : ''} (${actor.bypass_mode ?? 'always'})`,
      );
  }
  return protectionState(classic, rules, bypassActors);
}

export const branchProtection = defineStream<GithubClient, ProtectionPayload, GithubConfig>({
  ...githubStreams['github-branch-protection'],
  retention: () => ({ kind: 'snapshot', reason: 'GitHub shows only the current protection settings' }),
  itemSchema: payloadSchema,
  populationColumns: [
    { header: 'Repository', value: ({ payload }) => (payload.type === 'empty' ? '' : payload.repo) },
    { header: 'Branch', value: ({ payload }) => (payload.type === 'empty' ? '' : payload.branch) },
    { header: 'Record', value: ({ payload }) => payload.type },
    { header: 'Date (UTC)', value: ({ occurredAt }) => new Date(occurredAt).toISOString().slice(0, 10) },
    {
      header: 'Required approvals',
      value: ({ payload }) => (payload.type === 'observation' ? payload.state.requiredApprovals : null),
    },
    {
      header: 'Dismiss stale reviews',
      value: ({ payload }) => (payload.type === 'observation' ? payload.state.dismissStaleReviews : null),
    },
    {
      header: 'Required checks',
      value: ({ payload }) =>
        payload.type === 'observation' ? payload.state.requiredStatusChecks.join('; ') : '',
    },
    {
      header: 'Enforced for admins',
      value: ({ payload }) => (payload.type === 'observation' ? payload.state.enforceAdmins : null),
    },
    {
      header: 'Force pushes allowed',
      value: ({ payload }) => (payload.type === 'observation' ? payload.state.forcePushesAllowed : null),
    },
    {
      header: 'Bypass actors',
      value: ({ payload }) => (payload.type === 'observation' ? payload.state.bypassActors.join('; ') : ''),
    },
    {
      header: 'Change',
      value: ({ payload }) => (payload.type === 'observation' ? '' : payload.description),
    },
  ],
  async *collect(window, cursor, ctx) {
    const day = snapshotDay(window.start);
    const previous = cursorSchema.safeParse(cursor ?? {});
    const before = previous.success ? previous.data.repos : undefined;
    const now: Record<string, ProtectionState> = {};
    const repositories = await repositoriesInScope(ctx.client);
    if (repositories.length === 0)
      yield emptySnapshotItem(day, window.start, {
        type: 'empty',
        org: ctx.client.config.org,
        description: `${ctx.client.config.org} read: no repository in scope`,
      } satisfies ProtectionPayload);
    for (const repo of repositories) {
      const state = await readProtection(ctx.client, repo);
      now[repo.fullName] = state;
      const observation: CollectedItem<ProtectionPayload> = {
        key: `${day}/${repo.fullName}`,
        occurredAt: window.start,
        payload: { type: 'observation', repo: repo.fullName, branch: repo.defaultBranch, state },
      };
      yield observation;
      const earlier = before?.[repo.fullName];
      if (!earlier) continue;
      for (const change of protectionChanges(earlier, state, repo.fullName)) {
        yield {
          key: `${day}/${repo.fullName}/${change.field}`,
          occurredAt: window.start,
          payload: {
            type: 'change',
            repo: repo.fullName,
            branch: repo.defaultBranch,
            ...change,
          },
        };
      }
    }
    return { day, repos: now };
  },
});
