/** GraphQL nodes shaped as GitHub returns them for the ProductionChanges query, for nock tests. */
export const sha = (n: number) => n.toString(16).padStart(40, 'a');

export function reviewNode(login: string, state: string, oid: string, at = '2026-03-01T10:00:00Z') {
  return { state, submittedAt: at, author: { login }, commit: { oid } };
}

export function commitNode(
  n: number,
  at: string,
  options: {
    pr?: { number: number; author: string; head: string; reviews: unknown[]; moreReviews?: boolean } | null;
    runs?: { name: string; conclusion: string }[];
    moreRuns?: boolean;
    status?: string | null;
  } = {},
) {
  const pr =
    options.pr === undefined
      ? {
          number: n,
          author: 'alice',
          head: sha(n + 10_000),
          reviews: [reviewNode('bob', 'APPROVED', sha(n + 10_000))],
        }
      : options.pr;
  const runs = options.runs ?? [{ name: 'ci', conclusion: 'SUCCESS' }];
  return {
    oid: sha(n),
    messageHeadline: `Commit ${n}`,
    committedDate: at,
    author: { date: at, user: { login: pr?.author ?? 'alice' } },
    committer: { date: at, user: { login: 'web-flow' } },
    status: options.status === undefined ? null : options.status === null ? null : { state: options.status },
    statusCheckRollup: {
      contexts: {
        pageInfo: { hasNextPage: options.moreRuns ?? false },
        nodes: [
          ...runs.map((run) => ({
            __typename: 'CheckRun',
            name: run.name,
            status: 'COMPLETED',
            conclusion: run.conclusion,
          })),
          ...(options.status
            ? [{ __typename: 'StatusContext', context: 'ci/legacy', state: options.status }]
            : []),
        ],
      },
    },
    associatedPullRequests: {
      pageInfo: { hasNextPage: false },
      nodes: pr
        ? [
            {
              number: pr.number,
              title: `PR ${pr.number}`,
              body: null,
              url: `https://github.com/acme/api/pull/${pr.number}`,
              merged: true,
              mergedAt: at,
              baseRefName: 'main',
              headRefName: `feature/${pr.number}`,
              headRefOid: pr.head,
              author: { login: pr.author },
              mergedBy: { login: 'carol' },
              reviews: { pageInfo: { hasNextPage: pr.moreReviews ?? false }, nodes: pr.reviews },
            },
          ]
        : [],
    },
  };
}

export function historyPage(
  nodes: unknown[],
  endCursor: string | null,
  hasNextPage: boolean,
  totalCount = nodes.length,
) {
  return {
    data: {
      r0: {
        defaultBranchRef: {
          name: 'main',
          target: { history: { totalCount, pageInfo: { hasNextPage, endCursor }, nodes } },
        },
      },
    },
  };
}
