import { existsAt, type SandboxPullRequest } from './org-model.js';
import { pushedAt, reachableAt } from './reachability.js';
import { branchRoutes } from './branch-routes.js';
import { notFound, paged, repoOf, type Handler, type RestContext, type RestReply } from './rest-common.js';
import { branchProtection, branchRules, repositoryRuleset } from './protection-shapes.js';
import {
  activity,
  checkRun,
  collaborator,
  fullRepository,
  minimalRepository,
  pullRequestReview,
  simpleUser,
} from './rest-shapes.js';

/** The fields of a pull request the connector reads (the full object has many more). */
function pullSummary(ctx: RestContext, repo: string, pr: SandboxPullRequest) {
  return {
    number: pr.number,
    title: pr.title,
    body: pr.body,
    html_url: `https://github.example.test/${repo}/pull/${pr.number}`,
    state: pr.merged ? 'closed' : 'open',
    merged_at: pr.merged ? new Date(pr.mergedAt).toISOString() : null,
    base: { ref: pr.baseRef },
    head: { sha: pr.headSha, ref: pr.headRef },
    user: simpleUser(ctx.api, pr.author),
  };
}

const routes: [RegExp, Handler][] = [
  ...branchRoutes,
  [
    /^\/orgs\/([^/]+)\/repos$/,
    (ctx, url, [org]) =>
      org !== ctx.model.org
        ? notFound
        : paged(
            ctx,
            url,
            ctx.model.repositories
              .filter((r) => existsAt(r, ctx.now()))
              .map((r) => minimalRepository(ctx.api, r, ctx.model.org, pushedAt(ctx.model, r, ctx.now()))),
          ),
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)$/,
    (ctx, _url, [owner, name]) => {
      const repo = repoOf(ctx, owner!, name!);
      return repo
        ? {
            status: 200,
            json: fullRepository(ctx.api, repo, ctx.model.org, pushedAt(ctx.model, repo, ctx.now())),
          }
        : notFound;
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/activity$/,
    (ctx, url, [owner, name]) => {
      const repo = repoOf(ctx, owner!, name!);
      if (!repo) return notFound;
      const ref = url.searchParams.get('ref');
      const type = url.searchParams.get('activity_type');
      const pushes = ctx.model.forcePushes
        .filter(
          (push) =>
            push.repo === repo.fullName && (!ref || push.ref === ref) && (!type || type === 'force_push'),
        )
        .sort((a, b) => (url.searchParams.get('direction') === 'asc' ? a.at - b.at : b.at - a.at));
      return paged(
        ctx,
        url,
        pushes.map((push) => activity(ctx.api, push)),
      );
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/,
    (ctx, url, [owner, name, number]) => {
      const pr = repoOf(ctx, owner!, name!)?.pulls.get(Number(number));
      if (!pr) return notFound;
      return paged(
        ctx,
        url,
        pr.reviews.map((review) => pullRequestReview(ctx.api, `${owner}/${name}`, pr.number, review)),
      );
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/check-runs$/,
    (ctx, url, [owner, name, sha]) => {
      const commit = repoOf(ctx, owner!, name!)?.bySha.get(sha!);
      if (!commit) return notFound;
      const runs = commit.checkRuns.map((run) =>
        checkRun(ctx.api, commit.repo, commit.sha, run, commit.committedAt),
      );
      const page = paged(ctx, url, runs);
      return { ...page, json: { total_count: runs.length, check_runs: page.json } };
    },
  ],
  [
    // Used by the naive REST approach in the bench: list commits, then per commit its pull requests.
    /^\/repos\/([^/]+)\/([^/]+)\/commits$/,
    (ctx, url, [owner, name]) => {
      const repo = repoOf(ctx, owner!, name!);
      if (!repo) return notFound;
      const since = Date.parse(url.searchParams.get('since') ?? '1970-01-01T00:00:00Z');
      const until = Date.parse(url.searchParams.get('until') ?? '2999-01-01T00:00:00Z');
      const commits = repo.commits.filter(
        (c) => reachableAt(c, ctx.now()) && c.committedAt >= since && c.committedAt <= until,
      );
      return paged(
        ctx,
        url,
        commits.map((c) => ({
          sha: c.sha,
          commit: {
            message: c.message,
            committer: { date: new Date(c.committedAt).toISOString() },
            author: { date: new Date(c.committedAt).toISOString() },
          },
          author: simpleUser(ctx.api, c.author),
        })),
      );
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/pulls$/,
    (ctx, url, [owner, name, sha]) => {
      const commit = repoOf(ctx, owner!, name!)?.bySha.get(sha!);
      if (!commit) return notFound;
      const prs = [...commit.otherPrs, ...(commit.pr ? [commit.pr] : [])];
      return paged(
        ctx,
        url,
        prs.map((pr) => pullSummary(ctx, commit.repo, pr)),
      );
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
    (ctx, _url, [owner, name, number]) => {
      const repo = repoOf(ctx, owner!, name!);
      const pr = repo?.pulls.get(Number(number));
      if (!repo || !pr) return notFound;
      const mergedBy = pr.merged ? simpleUser(ctx.api, pr.mergedBy) : null;
      return {
        status: 200,
        json: { ...pullSummary(ctx, repo.fullName, pr), merged: pr.merged, merged_by: mergedBy },
      };
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/branches\/([^/]+)\/protection$/,
    (ctx, _url, [owner, name, branch]) => {
      const repo = repoOf(ctx, owner!, name!);
      const classic = repo && ctx.snapshot().protections.get(repo.fullName)?.classic;
      if (!repo || !classic) return { status: 404, json: { message: 'Branch not protected' } };
      return { status: 200, json: branchProtection(ctx.api, repo.fullName, branch!, classic) };
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/rules\/branches\/([^/]+)$/,
    (ctx, url, [owner, name]) => {
      const repo = repoOf(ctx, owner!, name!);
      if (!repo) return notFound;
      const ruleset = ctx.snapshot().protections.get(repo.fullName)?.ruleset;
      return paged(ctx, url, ruleset ? branchRules(repo.fullName, ruleset) : []);
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/rulesets\/(\d+)$/,
    (ctx, _url, [owner, name, id]) => {
      const repo = repoOf(ctx, owner!, name!);
      const ruleset = repo && ctx.snapshot().protections.get(repo.fullName)?.ruleset;
      if (!repo || !ruleset || ruleset.id !== Number(id)) return notFound;
      return { status: 200, json: repositoryRuleset(repo.fullName, ruleset) };
    },
  ],
  [
    /^\/orgs\/([^/]+)\/members$/,
    (ctx, url, [org]) => {
      if (org !== ctx.model.org) return notFound;
      const filter = url.searchParams.get('filter');
      if (filter === '2fa_disabled' && ctx.hideTwoFactor())
        return { status: 422, json: { message: 'Only owners can use this filter.' } };
      const role = url.searchParams.get('role') ?? 'all';
      const members = ctx
        .snapshot()
        .members.filter(
          (m) => (role === 'all' || m.role === role) && (filter !== '2fa_disabled' || !m.twoFactor),
        );
      return paged(
        ctx,
        url,
        members.map((m) => simpleUser(ctx.api, m.login)),
      );
    },
  ],
  [
    /^\/orgs\/([^/]+)\/outside_collaborators$/,
    (ctx, url, [org]) => {
      if (org !== ctx.model.org) return notFound;
      const filter = url.searchParams.get('filter');
      if (filter === '2fa_disabled' && ctx.hideTwoFactor())
        return { status: 422, json: { message: 'Only owners can use this filter.' } };
      const people = ctx
        .snapshot()
        .outsideCollaborators.filter((c) => filter !== '2fa_disabled' || !c.twoFactor);
      return paged(
        ctx,
        url,
        people.map((c) => simpleUser(ctx.api, c.login)),
      );
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/collaborators$/,
    (ctx, url, [owner, name]) => {
      const repo = repoOf(ctx, owner!, name!);
      if (!repo) return notFound;
      const people = ctx
        .snapshot()
        .outsideCollaborators.flatMap((c) =>
          c.repos
            .filter((r) => r.repo === repo.fullName)
            .map((r) => collaborator(ctx.api, c.login, r.permission)),
        );
      return paged(ctx, url, people);
    },
  ],
];

export type { RestContext, RestReply };

/** Answers one REST GET from the model, or 404 like GitHub. */
export function answerRest(ctx: RestContext, url: URL): RestReply {
  for (const [pattern, handler] of routes) {
    const match = pattern.exec(url.pathname);
    if (match) return handler(ctx, url, match.slice(1).map(decodeURIComponent));
  }
  return notFound;
}
