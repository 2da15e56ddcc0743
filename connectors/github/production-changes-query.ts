import { z } from 'zod';

/**
 * Commits a history page asks for. GitHub charges a query max(1, round(requests / 100)), where a connection
 * costs one request per node its parents could return: here 1 (history) + 35 (rollup contexts) + 35
 * (associated pull requests) + 70 (their reviews) = 141, i.e. one point for up to 35 commits. Leaf sizes
 * (100 contexts, 100 reviews) cost nothing extra; only parent sizes multiply.
 */
export const HISTORY_PAGE = 35;

/** What a history page reads of each commit (GraphQL selection, inlined so the cost is plain to see). */
const COMMIT_FIELDS = /* GraphQL */ `
                oid
                messageHeadline
                committedDate
                author {
                  date
                  user {
                    login
                  }
                }
                committer {
                  date
                  user {
                    login
                  }
                }
                status {
                  state
                }
                statusCheckRollup {
                  contexts(first: 100) {
                    pageInfo {
                      hasNextPage
                    }
                    nodes {
                      __typename
                      ... on CheckRun {
                        name
                        status
                        conclusion
                      }
                    }
                  }
                }
                associatedPullRequests(first: 2) {
                  pageInfo {
                    hasNextPage
                  }
                  nodes {
                    number
                    title
                    body
                    url
                    merged
                    mergedAt
                    baseRefName
                    headRefName
                    headRefOid
                    author {
                      login
                    }
                    mergedBy {
                      login
                    }
                    reviews(first: 100) {
                      pageInfo {
                        hasNextPage
                      }
                      nodes {
                        state
                        submittedAt
                        author {
                          login
                        }
                        commit {
                          oid
                        }
                      }
                    }
                  }
                }`;

/** Requests GitHub counts for one repository's history page of `size` commits: history, then per commit
 * its rollup contexts and pull requests, and per pull request its reviews. */
export const pageRequests = (size: number) => 1 + size * 4;

/** Requests the history counts of a newest window's first page add per repository (before, later). */
export const COUNT_REQUESTS = 2;

/**
 * One page of default-branch history for each of several repositories (aliases r0, r1, ...; variables
 * owner0, name0, after0, ...), with, per commit, the pull requests that contain it, their reviews and the
 * commit's checks (its status check rollup: check runs and commit statuses in one list). Nested lists that
 * overflow (more than 2 pull requests, 100 reviews or 100 checks) are read again through REST.
 * `totalCount` sizes the next page; `rateLimit { cost }` is free and says what the query was charged.
 */
export function productionChangesQuery(pageSizes: readonly number[], counts = false): string {
  const variables = pageSizes.map((_, i) => `$owner${i}: String!, $name${i}: String!, $after${i}: String`);
  if (counts) variables.push('$before: GitTimestamp!', '$end: GitTimestamp!');
  // What the branch holds dated before the window: with the window's own commits, what the next run finds
  // unchanged when nothing reached the branch late (late-merges.ts). And what it holds dated at or after
  // the window's end: none, and the next window is empty for as long as the head stays (quiet-branches.ts).
  // One request each, no nodes.
  const countFields = counts
    ? /* GraphQL */ `
            before: history(first: 1, until: $before) {
              totalCount
            }
            later: history(first: 1, since: $end) {
              totalCount
            }`
    : '';
  const repositories = pageSizes.map(
    (size, i) => /* GraphQL */ `
    r${i}: repository(owner: $owner${i}, name: $name${i}) {
      defaultBranchRef {
        name
        target {
          ... on Commit {
            oid
            history(first: ${size}, since: $since, until: $until, after: $after${i}) {
              totalCount
              pageInfo {
                hasNextPage
                endCursor
              }
              nodes {${COMMIT_FIELDS}
              }
            }${countFields}
          }
        }
      }
    }`,
  );
  return /* GraphQL */ `
  query ProductionChanges($since: GitTimestamp!, $until: GitTimestamp!, ${variables.join(', ')}) {
    rateLimit {
      cost
      remaining
    }${repositories.join('')}
  }
`;
}

/** The query for one repository's full page: what the schema test validates and the cost test prices. */
export const PRODUCTION_CHANGES_QUERY = productionChangesQuery([HISTORY_PAGE]);

const actor = z.object({ login: z.string() }).nullable();
const pageInfo = z.object({ hasNextPage: z.boolean() });

export const reviewNodeSchema = z.object({
  state: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']),
  submittedAt: z.string().nullable(),
  author: actor,
  commit: z.object({ oid: z.string() }).nullable(),
});

export const checkRunNodeSchema = z.object({
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
});

/** A rollup context: a check run (kept) or a commit status (its combined state is read from `status`). */
const checkContextNodeSchema = z.discriminatedUnion('__typename', [
  checkRunNodeSchema.extend({ __typename: z.literal('CheckRun') }),
  z.object({ __typename: z.literal('StatusContext') }),
]);

const pullRequestNodeSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable(),
  url: z.string(),
  merged: z.boolean(),
  mergedAt: z.string().nullable(),
  baseRefName: z.string(),
  headRefName: z.string(),
  headRefOid: z.string(),
  author: actor,
  mergedBy: actor,
  reviews: z.object({ pageInfo, nodes: z.array(reviewNodeSchema) }),
});

export const commitNodeSchema = z.object({
  oid: z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-character commit SHA'),
  messageHeadline: z.string(),
  committedDate: z.iso.datetime({ offset: true }),
  author: z.object({ date: z.string().nullable(), user: actor }).nullable(),
  committer: z.object({ date: z.string().nullable(), user: actor }).nullable(),
  status: z.object({ state: z.string() }).nullable(),
  statusCheckRollup: z
    .object({ contexts: z.object({ pageInfo, nodes: z.array(checkContextNodeSchema) }) })
    .nullable(),
  associatedPullRequests: z.object({ pageInfo, nodes: z.array(pullRequestNodeSchema) }).nullable(),
});

export type CommitNode = z.infer<typeof commitNodeSchema>;
export type PullRequestNode = z.infer<typeof pullRequestNodeSchema>;
export type ReviewNode = z.infer<typeof reviewNodeSchema>;

const repositoryHistorySchema = z
  .object({
    defaultBranchRef: z
      .object({
        name: z.string(),
        target: z
          .object({
            // The branch's head when this page was read: a later window compares from it (late-merges.ts).
            oid: z.string().nullable().optional(),
            before: z.object({ totalCount: z.number().int() }).optional(),
            later: z.object({ totalCount: z.number().int() }).optional(),
            history: z.object({
              totalCount: z.number().int(),
              pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
              nodes: z.array(commitNodeSchema),
            }),
          })
          .nullable(),
      })
      .nullable(),
  })
  .nullable();

export type RepositoryHistory = z.infer<typeof repositoryHistorySchema>;

/** Requests GitHub counts for one commit looked up by its SHA: its rollup contexts, pull requests, their reviews. */
export const LOOKUP_REQUESTS = 4;

/**
 * Commits looked up by SHA, grouped by repository (aliases r0, r1, ...; within each, c0, c1, ...;
 * variables owner0, name0, oid0_0, ...), each read as a history page reads it: 35 to a point.
 */
export function lateCommitsQuery(counts: readonly number[]): string {
  const variables = counts.flatMap((count, i) => [
    `$owner${i}: String!, $name${i}: String!`,
    ...Array.from({ length: count }, (_, j) => `$oid${i}_${j}: GitObjectID!`),
  ]);
  const repositories = counts.map(
    (count, i) => /* GraphQL */ `
    r${i}: repository(owner: $owner${i}, name: $name${i}) {${Array.from(
      { length: count },
      (_, j) => /* GraphQL */ `
      c${j}: object(oid: $oid${i}_${j}) {
        ... on Commit {${COMMIT_FIELDS}
        }
      }`,
    ).join('')}
    }`,
  );
  return /* GraphQL */ `
  query LateCommits(${variables.join(', ')}) {
    rateLimit {
      cost
      remaining
    }${repositories.join('')}
  }
`;
}

/** The answer to `lateCommitsQuery`: per repository alias, per commit alias, the commit (null if gone). */
export const lateCommitsResponseSchema = z
  .object({
    rateLimit: z.object({ cost: z.number().int(), remaining: z.number().int() }).nullable().optional(),
  })
  .catchall(z.record(z.string(), commitNodeSchema.nullable()).nullable());

/** The answer: `rateLimit`, and each alias's repository (null for one GitHub could not resolve). */
export const productionChangesResponseSchema = z
  .object({
    rateLimit: z.object({ cost: z.number().int(), remaining: z.number().int() }).nullable().optional(),
  })
  .catchall(repositoryHistorySchema);
