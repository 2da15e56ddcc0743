import type { GithubSandbox } from '../sandbox/github/index.js';
import { EvidenceRepository } from '../store/evidence-repository.js';
import type { EvidenceStore } from '../store/open-store.js';
import { DAY, type Window } from '../time.js';

export interface LateMerges {
  /** Commits of the period the sandbox brings onto main two days after their committer date. */
  readonly planted: number;
  /** Of them, those the simulated service stored (each read once a day, ten minutes after it closed). */
  readonly found: number;
  /** GraphQL points spent reading them by SHA. */
  readonly points: number;
}

/** What the simulated service made of the sandbox's late merges: planted, found, what reading them cost. */
export async function lateMergesFound(
  store: EvidenceStore,
  github: GithubSandbox,
  period: Window,
): Promise<LateMerges> {
  const planted = github.groundTruth.commits.filter(
    (c) => c.committedAt >= period.start && c.committedAt < period.end && c.reachableAt - c.committedAt > DAY,
  );
  const stored = new Set<string>();
  const population = new EvidenceRepository(store).population(
    'github-production-changes',
    period.start,
    period.end,
  );
  for await (const row of population) stored.add(row.item_key);
  return {
    planted: planted.length,
    found: planted.filter((commit) => stored.has(commit.key)).length,
    points: github.requests.graphqlByOperation.LateCommits ?? 0,
  };
}

export const lateMergeLine = (late: LateMerges) =>
  `GitHub late merges: ${late.planted} commits reached main two days after their committer date, after their own day was read; ${late.found} of them found by a later day (GitHub's compare from the head read the day before) and stored under their own date, for ${late.points} GraphQL points.`;
