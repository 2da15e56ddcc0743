import type { CommitModel, SandboxCommit, SandboxRepository } from './org-model.js';

const DAY = 86_400_000;

/**
 * Planted late merges: in the first repository, one commit in 29 (a clean one from a pull request) reaches
 * the default branch two days and three hours after its committer date, as a merge commit brings in a
 * branch's older commits, never after the history ends. Chosen by position, so no random draw changes.
 */
export function plantLateMerges(repo: SandboxRepository | undefined, historyEnd: number): void {
  if (!repo || repo.archived) return;
  const oldestFirst = [...repo.commits].reverse();
  oldestFirst.forEach((commit, position) => {
    if (position % 29 !== 14 || commit.scenario !== 'clean' || !commit.pr) return;
    commit.reachableAt = Math.max(
      commit.committedAt,
      Math.min(commit.committedAt + 2 * DAY + 3 * 3_600_000, historyEnd - 1_000),
    );
  });
}

/** Commits in the order they became reachable from the default branch (a head is a prefix's last). */
function reachOrder(repo: SandboxRepository): SandboxCommit[] {
  return [...repo.commits].sort(
    (a, b) => a.reachableAt - b.reachableAt || a.committedAt - b.committedAt || a.sha.localeCompare(b.sha),
  );
}

/** Whether the commit is on the default branch at `now`. */
export const reachableAt = (commit: SandboxCommit, now: number) => commit.reachableAt <= now;

/** The default branch's head at `now`: the commit that reached it last; null for an empty branch. */
export function headAt(repo: SandboxRepository, now: number): string | null {
  const reachable = reachOrder(repo).filter((commit) => reachableAt(commit, now));
  return reachable.at(-1)?.sha ?? null;
}

/**
 * `compare/{base}...{head}`: the commits reachable from `head` and not from `base`, oldest first; undefined
 * when either is unknown (GitHub answers 404).
 */
export function compareCommits(
  repo: SandboxRepository,
  base: string,
  head: string,
): SandboxCommit[] | undefined {
  const order = reachOrder(repo);
  const from = order.findIndex((commit) => commit.sha === base);
  const to = order.findIndex((commit) => commit.sha === head);
  if (from < 0 || to < 0) return undefined;
  return order.slice(from + 1, to + 1).sort((a, b) => a.committedAt - b.committedAt);
}

/**
 * The repository's `pushed_at` at `now`: when a commit last reached its default branch or a force push
 * rewrote one, as GitHub moves it on every push (null before the first).
 */
export function pushedAt(model: CommitModel, repo: SandboxRepository, now: number): number | null {
  let last: number | null = null;
  for (const commit of repo.commits)
    if (reachableAt(commit, now) && (last === null || commit.reachableAt > last)) last = commit.reachableAt;
  for (const push of model.forcePushes)
    if (push.repo === repo.fullName && push.at <= now && (last === null || push.at > last)) last = push.at;
  return last;
}
