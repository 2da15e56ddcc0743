import { z } from 'zod';
import type { GithubClient } from './client.js';

/** A repository in scope, with the branch that counts as production. */
export interface ScopedRepository {
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
  readonly defaultBranch: string;
  /** When anything was last pushed to any of its branches (GitHub's `pushed_at`), if GitHub says. */
  readonly pushedAt?: string | null | undefined;
}

const repositorySchema = z.object({
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.string() }),
  archived: z.boolean(),
  default_branch: z.string(),
  pushed_at: z.string().nullable().optional(),
});

/** `*` any run of characters, `?` one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function selected(name: string, include?: readonly string[], exclude?: readonly string[]): boolean {
  if (include?.length && !include.some((glob) => globToRegExp(glob).test(name))) return false;
  return !exclude?.some((glob) => globToRegExp(glob).test(name));
}

function toScoped(repo: z.infer<typeof repositorySchema>): ScopedRepository {
  return {
    owner: repo.owner.login,
    name: repo.name,
    fullName: repo.full_name,
    defaultBranch: repo.default_branch,
    pushedAt: repo.pushed_at,
  };
}

/**
 * The repositories in scope: the configured list, or every non-archived repository of the org that the
 * include/exclude patterns select. Sorted so runs read them in the same order.
 */
export async function repositoriesInScope(client: GithubClient): Promise<ScopedRepository[]> {
  const { config } = client;
  const found: ScopedRepository[] = [];
  if (config.repos) {
    for (const fullName of config.repos) {
      const [owner, repo] = fullName.split('/') as [string, string];
      const { data } = await client.get(
        'GET /repos/{owner}/{repo}',
        { owner, repo },
        repositorySchema,
        `read repository ${fullName}`,
        { conditional: true },
      );
      found.push(toScoped(data));
    }
  } else {
    for await (const page of client.pages(
      'GET /orgs/{org}/repos',
      { org: config.org, type: 'all' },
      z.array(repositorySchema),
      `list repositories of ${config.org}`,
      { conditional: true },
    )) {
      for (const repo of page) {
        if (!repo.archived && selected(repo.name, config.include, config.exclude)) found.push(toScoped(repo));
      }
    }
  }
  return found.sort((a, b) => a.fullName.localeCompare(b.fullName));
}
