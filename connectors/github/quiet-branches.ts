import { z } from 'zod';
import { EvidenceError } from '../../src/errors.js';
import type { Cursor } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { GithubClient } from './client.js';
import { priorHeads } from './late-merges.js';
import type { ScopedRepository } from './repositories.js';

/**
 * A window's history query costs a point even when nothing happened, and a service that reads every hour
 * mostly reads quiet hours. A repository's window is empty, provably, when the run before read the window
 * just before it, counted no commit on the branch dated at or after that window's end (`later`), and the
 * branch still points at the head it read then: the same head holds the same commits. Asking GitHub for
 * the branch with the ETag of its last answer is free while it has not moved (a 304 costs no quota), so
 * such a repository is left out of the history query; if every one is, no query is sent. It is asked only
 * while the repository's `pushed_at` (read anyway, to list the repositories) is what that run found: after
 * a push, the branch has most likely moved, and a 200 would cost a call on top of the query.
 */

const branchSchema = z.object({ name: z.string(), commit: z.object({ sha: z.string() }) });

/** Full names of the repositories whose window is empty because their branch has not moved. */
export async function quietRepositories(
  client: GithubClient,
  repos: readonly ScopedRepository[],
  window: Window,
  cursor: Cursor | undefined,
  signal: AbortSignal,
): Promise<Set<string>> {
  const quiet = new Set<string>();
  const prior = priorHeads(cursor);
  // Only the window right after the one last read: after a pause, the windows between were never read.
  if (!prior || prior.through !== window.start) return quiet;
  for (const repo of repos) {
    const head = prior.heads[repo.fullName];
    if (head?.later !== 0 || head.branch !== repo.defaultBranch) continue;
    if (!repo.pushedAt || repo.pushedAt !== head.pushedAt) continue;
    if (signal.aborted) throw signal.reason;
    let branch: z.infer<typeof branchSchema>;
    try {
      ({ data: branch } = await client.get(
        'GET /repos/{owner}/{repo}/branches/{branch}',
        { owner: repo.owner, repo: repo.name, branch: repo.defaultBranch },
        branchSchema,
        `read the default branch of ${repo.fullName}`,
        { conditional: true },
      ));
    } catch (error) {
      // Renamed or deleted since: the history query says what the branch is now.
      if (error instanceof EvidenceError && error.code === 'NOT_FOUND') continue;
      throw error;
    }
    if (branch.commit.sha === head.oid) quiet.add(repo.fullName);
  }
  return quiet;
}
