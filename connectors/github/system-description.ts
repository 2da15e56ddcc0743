import { z } from 'zod';
import type { SignificantChange, SystemDescriber } from '../../src/export/system-description/describer.js';
import { paragraph, table, todo } from '../../src/export/system-description/model.js';
import type { GithubConfig } from './config.js';

const observation = z.object({
  type: z.literal('observation'),
  repo: z.string(),
  branch: z.string(),
  state: z.object({ protected: z.boolean(), requiredApprovals: z.number() }),
});
const change = z.object({ type: z.literal('change'), repo: z.string(), description: z.string() });

const PROTECTION = 'github-branch-protection';
const CHANGES = 'github-production-changes';

/** Repositories, their default-branch protection and its changes, from the stored daily observations. */
export const describeGithub: SystemDescriber<GithubConfig> = async (input) => {
  const cite = input.cite(PROTECTION);
  const latest = new Map<string, z.infer<typeof observation> & { firstAt: number }>();
  const changes: SignificantChange[] = [];
  let firstDay: number | undefined;
  for await (const fact of input.facts(PROTECTION)) {
    const seen = observation.safeParse(fact.payload);
    if (seen.success) {
      firstDay ??= fact.occurredAt;
      const known = latest.get(seen.data.repo);
      latest.set(seen.data.repo, { ...seen.data, firstAt: known?.firstAt ?? fact.occurredAt });
      continue;
    }
    const changed = change.safeParse(fact.payload);
    if (changed.success)
      changes.push({ at: fact.occurredAt, text: changed.data.description, ...(cite ? { cite } : {}) });
  }
  // A repository first observed after the period's first observation came into scope during the period.
  for (const [repo, entry] of latest)
    if (firstDay !== undefined && entry.firstAt > firstDay)
      changes.push({
        at: entry.firstAt,
        text: `Repository ${repo} came into scope`,
        ...(cite ? { cite } : {}),
      });
  const commits = input.cite(CHANGES);
  const repos = [...latest.values()].sort((a, b) => a.repo.localeCompare(b.repo));
  const protectedCount = repos.filter((entry) => entry.state.protected).length;
  const infrastructure = repos.length
    ? [
        paragraph(
          `GitHub organisation ${input.config.org}: ${repos.length} repositories in scope, ${protectedCount} with a protected default branch at the end of the period.`,
          cite ? [cite] : [],
        ),
        table(
          ['Repository', 'Default branch', 'Protected', 'Required approvals'],
          repos.map((entry) => [
            entry.repo,
            entry.branch,
            entry.state.protected ? 'yes' : 'no',
            String(entry.state.requiredApprovals),
          ]),
        ),
      ]
    : [todo(`no branch protection was observed for GitHub organisation ${input.config.org} in the period`)];
  return {
    infrastructure,
    software: repos.length
      ? [
          paragraph(
            `Software is built from the ${repos.length} repositories above; every commit to their default branches is in the production changes population.`,
            commits ? [commits] : [],
          ),
        ]
      : [],
    exclusions: [
      ...(input.config.repos ? [`only the listed repositories: ${input.config.repos.join(', ')}`] : []),
      ...(input.config.include ?? []).map((glob) => `repositories not matching ${glob}`),
      ...(input.config.exclude ?? []).map((glob) => `repositories matching ${glob}`),
      'archived repositories',
    ],
    changes,
  };
};
