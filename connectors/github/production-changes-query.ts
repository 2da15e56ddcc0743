import { z } from 'zod';

/**
 * One page of default-branch history with, per commit, the pull requests that contain it, their reviews
 * and the commit's checks: 100 commits per request where REST needs several calls per commit.
 * Nested connections that overflow (more than 100 reviews or check runs) are read again through REST.
 */
export const PRODUCTION_CHANGES_QUERY = /* GraphQL */ `
  query ProductionChanges(
    $owner: String!
    $name: String!
    $since: GitTimestamp!
    $until: GitTimestamp!
    $after: String
  ) {
    repository(owner: $owner, name: $name) {
      defaultBranchRef {
        name
        target {
          ... on Commit {
            history(first: 100, since: $since, until: $until, after: $after) {
              pageInfo {
                hasNextPage
                endCursor
              }
              nodes {
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
                checkSuites(first: 10) {
                  pageInfo {
                    hasNextPage
                  }
                  nodes {
                    checkRuns(first: 100) {
                      pageInfo {
                        hasNextPage
                      }
                      nodes {
                        name
                        status
                        conclusion
                      }
                    }
                  }
                }
                associatedPullRequests(first: 5) {
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
                }
              }
            }
          }
        }
      }
    }
  }
`;

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
  checkSuites: z
    .object({
      pageInfo,
      nodes: z.array(
        z.object({ checkRuns: z.object({ pageInfo, nodes: z.array(checkRunNodeSchema) }).nullable() }),
      ),
    })
    .nullable(),
  associatedPullRequests: z.object({ pageInfo, nodes: z.array(pullRequestNodeSchema) }).nullable(),
});

export type CommitNode = z.infer<typeof commitNodeSchema>;
export type PullRequestNode = z.infer<typeof pullRequestNodeSchema>;
export type ReviewNode = z.infer<typeof reviewNodeSchema>;

export const productionChangesResponseSchema = z.object({
  repository: z
    .object({
      defaultBranchRef: z
        .object({
          name: z.string(),
          target: z
            .object({
              history: z.object({
                pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
                nodes: z.array(commitNodeSchema),
              }),
            })
            .nullable(),
        })
        .nullable(),
    })
    .nullable(),
});
