import { branchWithHead, comparison, restCommit } from './commit-shapes.js';
import { compareCommits, headAt } from './reachability.js';
import { notFound, paged, repoOf, type Handler } from './rest-common.js';

/** Where the default branch points now, and what reached it between two heads. */
export const branchRoutes: [RegExp, Handler][] = [
  [
    // Asked with the ETag of its last answer every window: a 304 (free) while the branch has not moved.
    /^\/repos\/([^/]+)\/([^/]+)\/branches\/([^/]+)$/,
    (ctx, _url, [owner, name, branch]) => {
      const repo = repoOf(ctx, owner!, name!);
      const sha = repo && branch === repo.defaultBranch ? headAt(repo, ctx.now()) : null;
      const head = sha ? repo?.bySha.get(sha) : undefined;
      if (!repo || !head) return { status: 404, json: { message: 'Branch not found' } };
      return { status: 200, json: branchWithHead(ctx.api, repo, head) };
    },
  ],
  [
    // Where the connector finds commits merged after their window was read.
    /^\/repos\/([^/]+)\/([^/]+)\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/,
    (ctx, url, [owner, name, base, head]) => {
      const repo = repoOf(ctx, owner!, name!);
      const commits = repo && compareCommits(repo, base!, head!);
      const ends = repo && { base: repo.bySha.get(base!), head: repo.bySha.get(head!) };
      if (!repo || !commits || !ends?.base || !ends.head) return notFound;
      const page = paged(
        ctx,
        url,
        commits.map((c) => restCommit(ctx.api, c)),
      );
      const json = comparison(
        ctx.api,
        repo,
        { base: ends.base, head: ends.head },
        commits.length,
        page.json as unknown[],
      );
      return { ...page, json };
    },
  ],
];
