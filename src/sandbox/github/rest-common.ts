import type { SnapshotState } from './access-model.js';
import { existsAt, type CommitModel, type SandboxRepository } from './org-model.js';

/** What the sandbox's REST routes share: the reply, the context, GitHub's paging and its 404. */

export interface RestReply {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export interface RestContext {
  /** The sandbox's own base URL, for Link headers and *_url fields. */
  readonly api: string;
  readonly model: CommitModel;
  /** The sandbox's clock: a repository created later does not exist yet. */
  readonly now: () => number;
  readonly snapshot: () => SnapshotState;
  readonly hideTwoFactor: () => boolean;
}

export const notFound: RestReply = {
  status: 404,
  json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
};

/** One page of `items` as GitHub pages lists: per_page (max 100), page, and a Link header to the next. */
export function paged(ctx: RestContext, url: URL, items: readonly unknown[]): RestReply {
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, 100);
  const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < items.length) {
    const next = new URL(url.pathname + url.search, ctx.api);
    next.searchParams.set('page', String(page + 1));
    next.searchParams.set('per_page', String(perPage));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return { status: 200, json: slice, headers };
}

export function repoOf(ctx: RestContext, owner: string, name: string): SandboxRepository | undefined {
  return ctx.model.repositories.find(
    (repo) => repo.fullName.toLowerCase() === `${owner}/${name}`.toLowerCase() && existsAt(repo, ctx.now()),
  );
}

export type Handler = (ctx: RestContext, url: URL, params: string[]) => RestReply;
