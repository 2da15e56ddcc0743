import type { SandboxCheckRun, SandboxReview } from './org-model.js';
import { PEOPLE } from './people.js';
import { pick } from './random.js';

/** What a planted commit is meant to test; `clean*` scenarios must come out without flags. */
export type Scenario =
  | 'clean'
  | 'clean_many_reviews'
  | 'clean_many_checks'
  | 'clean_status_only'
  | 'clean_many_prs'
  | 'direct_push'
  /** Reviewed in a merged pull request into `release`; `release` reached main without a pull request. */
  | 'promoted_via_release'
  | 'self_approved'
  | 'stale_approval'
  | 'unapproved'
  | 'failing_checks'
  | 'missing_checks';

export const SCENARIO_FLAGS: Record<Scenario, readonly string[]> = {
  clean: [],
  clean_many_reviews: [],
  clean_many_checks: [],
  clean_status_only: [],
  clean_many_prs: [],
  direct_push: ['direct_push'],
  promoted_via_release: ['promoted_without_pr'],
  self_approved: ['self_approved_only'],
  stale_approval: ['approval_not_on_final_head'],
  unapproved: ['unapproved'],
  failing_checks: ['checks_failed_or_missing'],
  missing_checks: ['checks_failed_or_missing'],
};

/** A planted scenario per position, spread over the year; the rest are clean. */
export function plannedScenarios(total: number, random: () => number): Map<number, Scenario> {
  const planted = new Map<number, Scenario>();
  const kinds: Scenario[] = [
    'direct_push',
    'direct_push',
    'direct_push',
    'self_approved',
    'self_approved',
    'stale_approval',
    'stale_approval',
    'unapproved',
    'failing_checks',
    'failing_checks',
    'missing_checks',
    'clean_many_reviews',
    'clean_many_checks',
    'clean_many_prs',
    'promoted_via_release',
    'promoted_via_release',
    'promoted_via_release',
  ];
  for (const kind of kinds) {
    for (let tries = 0; tries < 100; tries += 1) {
      const at = Math.floor(random() * total);
      if (!planted.has(at)) {
        planted.set(at, kind);
        break;
      }
    }
  }
  return planted;
}

export function checkRunsFor(scenario: Scenario, random: () => number): SandboxCheckRun[] {
  const id = () => Math.floor(random() * 1e9);
  if (scenario === 'missing_checks' || scenario === 'clean_status_only') return [];
  if (scenario === 'clean_many_checks')
    return Array.from({ length: 130 }, (_, index) => ({
      id: id(),
      name: `shard-${index}`,
      status: 'completed',
      conclusion: 'success',
    }));
  return [
    { id: id(), name: 'build', status: 'completed', conclusion: 'success' },
    {
      id: id(),
      name: 'test',
      status: 'completed',
      conclusion: scenario === 'failing_checks' ? 'failure' : 'success',
    },
  ];
}

export function reviewsFor(
  scenario: Scenario,
  author: string,
  headSha: string,
  staleSha: string,
  at: number,
  random: () => number,
  /** Who is in the org at the time. */
  people: readonly string[] = PEOPLE,
): SandboxReview[] {
  const reviewer = pick(
    random,
    people.filter((p) => p !== author),
  );
  let id = Math.floor(random() * 1e9);
  const review = (
    who: string,
    state: SandboxReview['state'],
    commitId: string,
    when: number,
  ): SandboxReview => ({
    id: (id += 1),
    reviewer: who,
    state,
    commitId,
    submittedAt: when,
  });
  switch (scenario) {
    case 'unapproved':
      return [review(reviewer, 'COMMENTED', headSha, at - 60_000)];
    case 'self_approved':
      return [review(author, 'APPROVED', headSha, at - 60_000)];
    case 'stale_approval':
      return [review(reviewer, 'APPROVED', staleSha, at - 3_600_000)];
    case 'clean_many_reviews':
      // The approval sits after 120 comments: only a reader that follows every page sees it.
      return [
        ...Array.from({ length: 120 }, (_, index) =>
          review(pick(random, people), 'COMMENTED', headSha, at - 7_200_000 + index * 1_000),
        ),
        review(reviewer, 'APPROVED', headSha, at - 60_000),
      ];
    default:
      return [review(reviewer, 'APPROVED', headSha, at - 60_000)];
  }
}
