import type { SandboxSamlIdentity } from './membership.js';
import type { SandboxCommit, SandboxPullRequest, SandboxRepository } from './org-model.js';
import { headAt, reachableAt } from './reachability.js';
import { answerSamlIdentities } from './saml-graphql.js';

const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

function firstOf(query: string, field: string, fallback: number): number {
  const match = new RegExp(`${field}\\(first:\\s*(\\d+)`).exec(query);
  return match ? Number(match[1]) : fallback;
}

function pullRequestNode(repo: SandboxRepository, pr: SandboxPullRequest, reviewsFirst: number) {
  return {
    number: pr.number,
    title: pr.title,
    body: pr.body,
    url: `https://github.example.test/${repo.fullName}/pull/${pr.number}`,
    merged: pr.merged,
    mergedAt: pr.merged ? iso(pr.mergedAt) : null,
    baseRefName: pr.baseRef,
    headRefName: pr.headRef,
    headRefOid: pr.headSha,
    author: { login: pr.author },
    mergedBy: pr.merged ? { login: pr.mergedBy } : null,
    reviews: {
      pageInfo: { hasNextPage: pr.reviews.length > reviewsFirst },
      nodes: pr.reviews.slice(0, reviewsFirst).map((review) => ({
        state: review.state,
        submittedAt: iso(review.submittedAt),
        author: { login: review.reviewer },
        commit: { oid: review.commitId },
      })),
    },
  };
}

/** Check runs and commit statuses in one list, as GitHub's status check rollup gives them; null when none. */
function statusCheckRollup(commit: SandboxCommit, contextsFirst: number) {
  const contexts = [
    ...commit.checkRuns.map((run) => ({
      __typename: 'CheckRun',
      name: run.name,
      status: run.status.toUpperCase(),
      conclusion: run.conclusion.toUpperCase(),
    })),
    // A commit status: the query asks only its type (the combined state comes from `status`).
    ...(commit.combinedStatus ? [{ __typename: 'StatusContext' }] : []),
  ];
  if (contexts.length === 0) return null;
  return {
    contexts: {
      pageInfo: { hasNextPage: contexts.length > contextsFirst },
      nodes: contexts.slice(0, contextsFirst),
    },
  };
}

function commitNode(repo: SandboxRepository, commit: SandboxCommit, query: string) {
  const contextsFirst = firstOf(query, 'contexts', 100);
  const reviewsFirst = firstOf(query, 'reviews', 100);
  const prsFirst = firstOf(query, 'associatedPullRequests', 5);
  const person = { date: iso(commit.committedAt), user: { login: commit.author } };
  const allPrs = [...commit.otherPrs, ...(commit.pr ? [commit.pr] : [])];
  const prs = allPrs.slice(0, prsFirst);
  return {
    oid: commit.sha,
    messageHeadline: commit.message,
    committedDate: iso(commit.committedAt),
    author: person,
    committer: { date: iso(commit.committedAt), user: { login: 'web-flow' } },
    status: commit.combinedStatus ? { state: commit.combinedStatus.toUpperCase() } : null,
    statusCheckRollup: statusCheckRollup(commit, contextsFirst),
    associatedPullRequests: {
      pageInfo: { hasNextPage: allPrs.length > prsFirst },
      nodes: prs.map((pr) => pullRequestNode(repo, pr, reviewsFirst)),
    },
  };
}

/** Each aliased `repository(owner: $ownerN, name: $nameN)` of the query, with its block of the text. */
function repositoryAliases(query: string) {
  const aliases = [...query.matchAll(/(\w+):\s*repository\(owner:\s*\$(\w+),\s*name:\s*\$(\w+)\)/g)];
  return aliases.map((match, index) => {
    const [, alias = '', ownerVar = '', nameVar = ''] = match;
    return {
      alias,
      ownerVar,
      nameVar,
      block: query.slice(match.index, aliases[index + 1]?.index ?? query.length),
    };
  });
}

/** LateCommits: per aliased repository, each `cN: object(oid: $oidN_M)` as a commit, null if unknown. */
function answerLateCommits(
  repositories: readonly SandboxRepository[],
  org: string,
  variables: Record<string, unknown>,
  query: string,
): { status: number; json: unknown } {
  const data: Record<string, unknown> = {};
  for (const { alias, ownerVar, nameVar, block } of repositoryAliases(query)) {
    const repo = repositories.find(
      (candidate) =>
        candidate.fullName === `${org}/${String(variables[nameVar])}` && variables[ownerVar] === org,
    );
    if (!repo) {
      data[alias] = null;
      continue;
    }
    const objects: Record<string, unknown> = {};
    for (const [, name = '', oidVar = ''] of block.matchAll(/(\w+):\s*object\(oid:\s*\$(\w+)\)/g)) {
      const commit = repo.bySha.get(String(variables[oidVar]));
      objects[name] = commit ? commitNode(repo, commit, block) : null;
    }
    data[alias] = objects;
  }
  return { status: 200, json: { data } };
}

/**
 * Answers the connector's ProductionChanges query from the model: for each aliased repository, the default
 * branch's history at `now` between `since` and `until` (both inclusive, as GitHub's are), newest first, in
 * pages of the query's `first`, with the branch's head; LateCommits (commits by SHA); and the org's SAML
 * external identities.
 */
export function answerGraphql(
  repositories: readonly SandboxRepository[],
  org: string,
  body: { query?: unknown; variables?: Record<string, unknown> },
  samlIdentities: () => readonly SandboxSamlIdentity[] | null = () => null,
  now: number = Number.POSITIVE_INFINITY,
): { status: number; json: unknown } {
  const query = typeof body.query === 'string' ? body.query : '';
  const variables = body.variables ?? {};
  if (/samlIdentityProvider\s*\{[\s\S]*externalIdentities/.test(query))
    return answerSamlIdentities(org, samlIdentities(), query, variables);
  if (/query\s+LateCommits\b/.test(query)) return answerLateCommits(repositories, org, variables, query);
  if (!/query\s+ProductionChanges\b/.test(query))
    return {
      status: 200,
      json: {
        errors: [
          {
            type: 'NOT_IMPLEMENTED',
            message: 'the sandbox answers only ProductionChanges, LateCommits and externalIdentities',
          },
        ],
      },
    };
  // Each aliased `repository(owner: $ownerN, name: $nameN)` with its own history page, as GitHub answers
  // several in one query; a repository it cannot resolve is null beside an error naming its alias.
  const since = Date.parse(String(variables.since));
  const until = Date.parse(String(variables.until));
  const data: Record<string, unknown> = {};
  const errors: unknown[] = [];
  repositoryAliases(query).forEach(({ alias, ownerVar, nameVar, block }) => {
    const owner = String(variables[ownerVar]);
    const name = String(variables[nameVar]);
    const repo = repositories.find((candidate) => `${org}/${name}` === candidate.fullName && owner === org);
    if (!repo) {
      data[alias] = null;
      errors.push({
        type: 'NOT_FOUND',
        path: [alias],
        message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
      });
      return;
    }
    const pageSize = firstOf(block, 'history', 100);
    const afterVar = /history\([^)]*after:\s*\$(\w+)/.exec(block)?.[1];
    const after = afterVar ? variables[afterVar] : undefined;
    const offset = typeof after === 'string' ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0;
    const matching = repo.commits.filter(
      (commit) => reachableAt(commit, now) && commit.committedAt >= since && commit.committedAt <= until,
    );
    const page = matching.slice(offset, offset + pageSize);
    // Aliased counts (`before: history(first: 1, until: $before) { totalCount }`, `later: ... since: $end`):
    // the branch up to a time, or from one (both inclusive).
    const counts: Record<string, { totalCount: number }> = {};
    for (const [, name = '', side = '', boundVar = ''] of block.matchAll(
      /(\w+):\s*history\(first:\s*\d+,\s*(until|since):\s*\$(\w+)\)/g,
    )) {
      const bound = Date.parse(String(variables[boundVar]));
      const counted = (c: { committedAt: number }) =>
        side === 'until' ? c.committedAt <= bound : c.committedAt >= bound;
      counts[name] = {
        totalCount: repo.commits.filter((c) => reachableAt(c, now) && counted(c)).length,
      };
    }
    const end = offset + page.length;
    data[alias] = {
      defaultBranchRef: {
        name: repo.defaultBranch,
        target: {
          oid: headAt(repo, now),
          ...counts,
          history: {
            totalCount: matching.length,
            pageInfo: {
              hasNextPage: end < matching.length,
              endCursor: page.length ? Buffer.from(String(end)).toString('base64') : null,
            },
            nodes: page.map((commit) => commitNode(repo, commit, block)),
          },
        },
      },
    };
  });
  return { status: 200, json: errors.length ? { data, errors } : { data } };
}
