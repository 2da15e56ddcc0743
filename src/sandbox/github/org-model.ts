import { buildCompany, hasAccessAt } from '../company/index.js';
import { PEOPLE } from './people.js';
import { plantForcePushes, type SandboxForcePush } from './force-pushes.js';
import { fakeSha, pick, seededRandom } from './random.js';
import { plantLateMerges } from './reachability.js';
import { checkRunsFor, plannedScenarios, reviewsFor, type Scenario } from './scenarios.js';

export { SCENARIO_FLAGS, type Scenario } from './scenarios.js';
export type { SandboxForcePush } from './force-pushes.js';

const DAY = 86_400_000;

export interface SandboxOptions {
  host?: string;
  port?: number;
  seed?: number;
  /** The sandbox's "now"; history ends at the start of this UTC day. */
  now?: number;
  /** Days of history before that day. */
  days?: number;
  repos?: number;
  commitsPerDay?: number;
  /** Adds a repository `monolith` with this many commits, all on the last day of history. */
  bigRepoCommits?: number;
  org?: string;
  /** When the planted protection weakening happens (members follow the company's joiners and leavers). */
  changesAt?: number;
  /**
   * When a new repository (`payments`, no commits yet, protected from the start) is created; none by
   * default. Before then the sandbox does not list or serve it.
   */
  newRepositoryAt?: number;
  /** Whether the org uses SAML SSO (GraphQL external identities linking logins to work emails); default true. */
  samlSso?: boolean;
}

export interface SandboxReview {
  id: number;
  reviewer: string;
  state: 'APPROVED' | 'COMMENTED' | 'CHANGES_REQUESTED';
  commitId: string;
  submittedAt: number;
}

export interface SandboxPullRequest {
  number: number;
  title: string;
  author: string;
  mergedBy: string;
  mergedAt: number;
  baseRef: string;
  headRef: string;
  body: string;
  headSha: string;
  merged: boolean;
  reviews: SandboxReview[];
}

export interface SandboxCheckRun {
  id: number;
  name: string;
  status: 'completed';
  conclusion: 'success' | 'failure';
}

export interface SandboxCommit {
  repo: string;
  sha: string;
  message: string;
  committedAt: number;
  /** When it reached the default branch: its committer date, or later for a planted late merge. */
  reachableAt: number;
  author: string;
  scenario: Scenario;
  pr: SandboxPullRequest | null;
  /** Open pull requests from other branches that also contain the commit (must not count). */
  otherPrs: SandboxPullRequest[];
  checkRuns: SandboxCheckRun[];
  combinedStatus: 'success' | null;
}

export interface SandboxRepository {
  id: number;
  name: string;
  fullName: string;
  archived: boolean;
  defaultBranch: string;
  /** Newest first, like `git log`. */
  commits: SandboxCommit[];
  bySha: Map<string, SandboxCommit>;
  pulls: Map<number, SandboxPullRequest>;
  /** Set when the repository was created during the history: it does not exist before then. */
  createdAt?: number;
}

/** Whether the repository exists at a moment (those of the seed exist from before the history). */
export const existsAt = (repo: SandboxRepository, at: number) =>
  repo.createdAt === undefined || repo.createdAt <= at;

/**
 * The planted new repository, appended after the seeded ones so that no random draw, commit or ticket of
 * theirs changes: created at `at`, no commit on its default branch yet.
 */
export function newRepository(model: CommitModel, at: number): SandboxRepository {
  const name = 'payments';
  return {
    id: 1000 + model.repositories.length,
    name,
    fullName: `${model.org}/${name}`,
    archived: false,
    defaultBranch: 'main',
    commits: [],
    bySha: new Map(),
    pulls: new Map(),
    createdAt: at,
  };
}

const REPO_NAMES = ['api', 'web', 'infra', 'billing', 'mobile', 'auth', 'search', 'reports', 'etl', 'docs'];

export interface CommitModel {
  org: string;
  historyStart: number;
  historyEnd: number;
  repositories: SandboxRepository[];
  forcePushes: SandboxForcePush[];
}

/** Builds the repositories and their default-branch history, deterministically from the seed. */
export function buildCommitModel(
  options: Required<
    Pick<SandboxOptions, 'seed' | 'now' | 'days' | 'repos' | 'commitsPerDay' | 'bigRepoCommits' | 'org'>
  >,
): CommitModel {
  const random = seededRandom(options.seed);
  // Commits, merges and reviews come from the people in the org at the time: never from a leaver after
  // removal (that would be planted activity after termination).
  const company = buildCompany({ seed: options.seed, now: options.now, days: options.days });
  const staff = PEOPLE.map((login) => company.people.find((person) => person.githubLogin === login)!);
  const peopleAt = (at: number) => {
    const present = staff.filter((person) => hasAccessAt(company, person, 'GitHub', at));
    return present.length > 1 ? present.map((person) => person.githubLogin) : [...PEOPLE];
  };
  const historyEnd = Math.floor(options.now / DAY) * DAY;
  const historyStart = historyEnd - options.days * DAY;
  const names = REPO_NAMES.slice(0, Math.max(1, Math.min(options.repos, REPO_NAMES.length)));
  const specs = names.map((name) => ({ name, archived: false, perDay: options.commitsPerDay, big: 0 }));
  specs.push({ name: 'legacy', archived: true, perDay: 1, big: 0 });
  if (options.bigRepoCommits > 0)
    specs.push({ name: 'monolith', archived: false, perDay: 0, big: options.bigRepoCommits });

  const repositories: SandboxRepository[] = specs.map((spec, index) => {
    const fullName = `${options.org}/${spec.name}`;
    // Whole seconds, as git records them.
    const times: number[] = [];
    for (let day = historyStart; day < historyEnd; day += DAY) {
      for (let n = 0; n < spec.perDay; n += 1) {
        // Every seventh day (on the epoch's weekly grid too) starts with a commit exactly at midnight: it
        // belongs to the window that opens then, not the one that closes.
        times.push(n === 0 && (day / DAY) % 7 === 0 ? day : day + Math.floor(random() * 86_400) * 1_000);
      }
    }
    const lastDay = historyEnd - DAY;
    for (let n = 0; n < spec.big; n += 1) times.push(lastDay + Math.floor((n * 86_400) / spec.big) * 1_000);
    times.sort((a, b) => a - b);
    const planted =
      spec.archived || spec.big ? new Map<number, Scenario>() : plannedScenarios(times.length, random);
    const commits: SandboxCommit[] = [];
    const pulls = new Map<number, SandboxPullRequest>();
    let prNumber = 0;
    times.forEach((at, position) => {
      const scenario: Scenario =
        planted.get(position) ?? (position % 11 === 5 ? 'clean_status_only' : 'clean');
      const sha = fakeSha(`${options.seed}/${fullName}/${position}`);
      const people = peopleAt(at);
      const author = pick(random, people);
      let pr: SandboxPullRequest | null = null;
      if (scenario !== 'direct_push') {
        prNumber += 1;
        const headSha = fakeSha(`head/${fullName}/${prNumber}`);
        const staleSha = fakeSha(`stale/${fullName}/${prNumber}`);
        pr = {
          number: prNumber,
          title: `Change ${prNumber} to ${spec.name}`,
          author,
          mergedBy: pick(random, people),
          mergedAt: at,
          baseRef: scenario === 'promoted_via_release' ? 'release' : 'main',
          headRef: `feature/${spec.name}-${prNumber}`,
          body: `Change ${prNumber} to ${spec.name}.`,
          headSha,
          merged: true,
          reviews: reviewsFor(scenario, author, headSha, staleSha, at, random, people),
        };
        pulls.set(prNumber, pr);
      }
      const otherPrs: SandboxPullRequest[] = [];
      // A release flow: the feature PR merged into `release`, and `release` merged into main without a PR.
      if (pr && scenario === 'promoted_via_release') {
        otherPrs.push(pr);
        pr = null;
      }
      // Six open backports listed before the merged PR: past GraphQL's first five, only REST finds it.
      for (let n = 0; pr && scenario === 'clean_many_prs' && n < 6; n += 1) {
        prNumber += 1;
        const other = {
          ...pr,
          number: prNumber,
          title: `Backport ${n}`,
          merged: false,
          baseRef: `release-${n}`,
          reviews: [],
        };
        pulls.set(prNumber, other);
        otherPrs.push(other);
      }
      if (pr && position % 13 === 0) {
        prNumber += 1;
        const other = {
          ...pr,
          number: prNumber,
          title: `Backport to release`,
          merged: false,
          baseRef: 'release',
          reviews: [],
        };
        pulls.set(prNumber, other);
        otherPrs.push(other);
      }
      commits.push({
        repo: fullName,
        sha,
        message:
          scenario === 'promoted_via_release'
            ? `Merge branch 'release' into main`
            : pr
              ? `${pr.title} (#${pr.number})`
              : `Hotfix on ${spec.name}`,
        committedAt: at,
        reachableAt: at,
        author,
        scenario,
        pr,
        otherPrs,
        checkRuns: checkRunsFor(scenario, random),
        combinedStatus:
          scenario === 'missing_checks'
            ? null
            : scenario === 'clean_status_only' || position % 2 === 0
              ? 'success'
              : null,
      });
    });
    commits.reverse();
    return {
      id: 1000 + index,
      name: spec.name,
      fullName,
      archived: spec.archived,
      defaultBranch: 'main',
      commits,
      bySha: new Map(commits.map((commit) => [commit.sha, commit])),
      pulls,
    };
  });

  plantLateMerges(repositories[0], historyEnd);

  const forcePushes = plantForcePushes(repositories[0] as SandboxRepository);
  return { org: options.org, historyStart, historyEnd, repositories, forcePushes };
}
