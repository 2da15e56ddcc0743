import { z } from 'zod';
import type { CollectedItem } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { GithubClient } from './client.js';
import type { ProductionChange } from './production-change-payload.js';
import type { ScopedRepository } from './repositories.js';

const activitySchema = z.array(
  z.object({
    id: z.number().int(),
    before: z.string(),
    after: z.string(),
    ref: z.string(),
    timestamp: z.iso.datetime({ offset: true }),
    activity_type: z.string(),
    actor: z.object({ login: z.string() }).nullable(),
  }),
);

/**
 * Force pushes to the default branch in the window. Only the repository activity API shows them: the
 * rewritten commits are gone from history. Pages run newest first, so reading stops past the window.
 */
export async function* forcePushes(
  client: GithubClient,
  repo: ScopedRepository,
  window: Window,
): AsyncGenerator<CollectedItem<ProductionChange>> {
  const ref = `refs/heads/${repo.defaultBranch}`;
  for await (const page of client.pages(
    'GET /repos/{owner}/{repo}/activity',
    { owner: repo.owner, repo: repo.name, ref, activity_type: 'force_push', direction: 'desc' },
    activitySchema,
    `list force pushes of ${repo.fullName}`,
    // The same call every window: while no force push happened since the last one, a free 304.
    { conditional: true },
  )) {
    let older = false;
    for (const event of page) {
      const at = Date.parse(event.timestamp);
      if (at < window.start) older = true;
      if (event.activity_type !== 'force_push' || event.ref !== ref || at < window.start || at >= window.end)
        continue;
      yield {
        key: `${repo.fullName}#force-push/${event.id}`,
        occurredAt: at,
        payload: {
          type: 'force_push',
          repo: repo.fullName,
          branch: repo.defaultBranch,
          eventId: String(event.id),
          before: event.before,
          after: event.after,
          actor: event.actor?.login ?? null,
          pushedAt: new Date(at).toISOString(),
        },
      };
    }
    if (older) return;
  }
}
