import type { Company } from '../company/index.js';
import type { SnapshotModel } from './access-model.js';
import { samlIdentitiesAt } from './membership.js';
import { SCENARIO_FLAGS, type CommitModel, type Scenario } from './org-model.js';

export interface GroundTruthCommit {
  repo: string;
  sha: string;
  /** The connector's natural key, `owner/repo@sha`. */
  key: string;
  committedAt: number;
  /** When it reached the default branch: later than `committedAt` for a planted late merge. */
  reachableAt: number;
  scenario: Scenario;
  flags: readonly string[];
}

export interface GroundTruth {
  org: string;
  /** History covers [historyStart, historyEnd). */
  historyStart: number;
  historyEnd: number;
  /** Every default-branch commit of every in-scope (non-archived) repository, with its expected flags. */
  commits: GroundTruthCommit[];
  /** The same commits per repository (`owner/name`), oldest first. */
  commitsByRepo: Record<string, GroundTruthCommit[]>;
  /** Every force push to a default branch. */
  forcePushes: {
    repo: string;
    key: string;
    eventId: number;
    at: number;
    before: string;
    after: string;
    actor: string;
  }[];
  /** Every planted exception on the production-change population: item key and code. */
  exceptions: { key: string; code: string }[];
  changesAt: number;
  /** Membership follows the company: every planted join, removal and role change, and the state at a moment. */
  access: Pick<SnapshotModel, 'accessChanges'> & {
    flagsBefore: SnapshotModel['expectedBefore']['access'];
    flagsAfter: SnapshotModel['expectedAfter']['access'];
    flagsAt: (at: number) => SnapshotModel['expectedBefore']['access'];
    membersAt: (at: number) => string[];
    /** login -> SAML NameID of every member at a moment. */
    samlIdentitiesAt: (at: number) => Record<string, string>;
  };
  protection: Pick<SnapshotModel, 'protectionChanges'> & {
    flagsBefore: SnapshotModel['expectedBefore']['protection'];
    flagsAfter: SnapshotModel['expectedAfter']['protection'];
  };
}

/** What a correct connector must find, derived from the model's planted scenarios (not from connector code). */
export function groundTruthOf(
  model: CommitModel,
  snapshots: SnapshotModel,
  changesAt: number,
  company: Company,
): GroundTruth {
  const commits = model.repositories
    .filter((repo) => !repo.archived)
    .flatMap((repo) =>
      repo.commits.map((commit) => ({
        repo: repo.fullName,
        sha: commit.sha,
        key: `${repo.fullName}@${commit.sha}`,
        committedAt: commit.committedAt,
        reachableAt: commit.reachableAt,
        scenario: commit.scenario,
        flags: SCENARIO_FLAGS[commit.scenario],
      })),
    )
    .sort((a, b) => a.committedAt - b.committedAt || a.key.localeCompare(b.key));
  const defaultRefs = new Map(
    model.repositories.map((repo) => [repo.fullName, `refs/heads/${repo.defaultBranch}`]),
  );
  const forcePushes = model.forcePushes
    .filter((push) => defaultRefs.get(push.repo) === push.ref)
    .map((push) => ({
      repo: push.repo,
      key: `${push.repo}#force-push/${push.id}`,
      eventId: push.id,
      at: push.at,
      before: push.before,
      after: push.after,
      actor: push.actor,
    }));
  return {
    org: model.org,
    historyStart: model.historyStart,
    historyEnd: model.historyEnd,
    commits,
    commitsByRepo: Object.fromEntries(
      model.repositories
        .filter((repo) => !repo.archived)
        .map((repo) => [repo.fullName, commits.filter((commit) => commit.repo === repo.fullName)]),
    ),
    forcePushes,
    exceptions: [
      ...commits.flatMap((commit) => commit.flags.map((code) => ({ key: commit.key, code }))),
      ...forcePushes.map((push) => ({ key: push.key, code: 'force_push' })),
    ],
    changesAt,
    access: {
      accessChanges: snapshots.accessChanges,
      flagsBefore: snapshots.expectedBefore.access,
      flagsAfter: snapshots.expectedAfter.access,
      flagsAt: (at) => snapshots.flagsAt(at).access,
      membersAt: (at) => snapshots.stateAt(at).members.map((member) => member.login),
      samlIdentitiesAt: (at) =>
        Object.fromEntries(
          samlIdentitiesAt(company, at).map((identity) => [identity.login, identity.nameId]),
        ),
    },
    protection: {
      protectionChanges: snapshots.protectionChanges,
      flagsBefore: snapshots.expectedBefore.protection,
      flagsAfter: snapshots.expectedAfter.protection,
    },
  };
}
