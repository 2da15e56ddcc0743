import type { Logger } from 'pino';
import { z } from 'zod';
import type { CollectedItem, Cursor } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { GithubClient } from './client.js';
import { toItem } from './commit-item.js';
import { EvidenceError } from '../../src/errors.js';
import type { ProductionChange } from './production-change-payload.js';
import {
  HISTORY_PAGE,
  lateCommitsQuery,
  lateCommitsResponseSchema,
  type CommitNode,
} from './production-changes-query.js';
import type { ScopedRepository } from './repositories.js';

/**
 * Commits reach the default branch later than their committer date says: a merge commit brings in the
 * branch's commits, made days before; a push brings local commits made earlier. A window read once, after
 * it closed, would never see them. So each run of the newest window also asks GitHub what became reachable
 * from the default branch since the head the run before it read (`compare base...head`), and yields what
 * is dated before its own window as late items. Together the two reads leave nothing behind: every commit
 * reachable from the head last read, dated before the end of the newest window read, has been collected.
 */

/** What a run hands the next: per repository the head it read, and the end of the window read with them. */
const headsCursorSchema = z.object({
  through: z.number(),
  heads: z.record(
    z.string(),
    z.object({
      oid: z.string(),
      branch: z.string(),
      /** Commits on the branch dated before `through`, as that run counted them (before + in window). */
      upto: z.number().int().optional(),
      /** Commits on the branch dated at or after `through`, as that run counted them (quiet-branches.ts). */
      later: z.number().int().optional(),
      /** The repository's `pushed_at` as that run found it: unchanged, the branch is worth asking (a 304). */
      pushedAt: z.string().optional(),
    }),
  ),
});

export type Head = z.infer<typeof headsCursorSchema>['heads'][string];
export type HeadsCursor = z.infer<typeof headsCursorSchema>;

/** The heads the run before recorded, or undefined for a first run (or a cursor of another shape). */
export function priorHeads(cursor: Cursor | undefined): HeadsCursor | undefined {
  const parsed = headsCursorSchema.safeParse(cursor);
  return parsed.success ? parsed.data : undefined;
}

/** A repository's head as this run's first history page read it, with the branch's count before the window. */
export interface HeadRead {
  readonly repo: ScopedRepository;
  readonly head: Head;
  readonly before?: number | undefined;
  /** Commits on the branch dated at or after the window's end, when this run counted them. */
  readonly later?: number | undefined;
  /** The window's commits read from that head: `before` plus these is the branch's count at the window's end. */
  inWindow: number;
}

/** Whether this run reads the newest window (so it compares and counts), or an older one (repair, backfill). */
export function newestRead(window: Window, prior: HeadsCursor | undefined): boolean {
  return !prior || window.end > prior.through;
}

const compareSchema = z.object({
  commits: z.array(
    z.object({
      sha: z.string(),
      commit: z.object({ committer: z.object({ date: z.string().nullable().optional() }).nullable() }),
    }),
  ),
});

/** Commits reachable from `head` but not from `base`; undefined when GitHub no longer knows `base`. */
async function newlyReachable(
  client: GithubClient,
  repo: ScopedRepository,
  base: string,
  head: string,
): Promise<{ sha: string; committedAt: number }[] | undefined> {
  const found: { sha: string; committedAt: number }[] = [];
  try {
    for await (const page of client.pages(
      'GET /repos/{owner}/{repo}/compare/{basehead}',
      { owner: repo.owner, repo: repo.name, basehead: `${base}...${head}` },
      compareSchema,
      `compare ${repo.fullName} ${base.slice(0, 12)}...${head.slice(0, 12)}`,
    )) {
      for (const commit of page.commits) {
        const date = commit.commit.committer?.date;
        if (date) found.push({ sha: commit.sha, committedAt: Date.parse(date) });
      }
    }
  } catch (error) {
    // The old head was rewritten away (a force push) and collected: the force-push stream records that.
    if (error instanceof EvidenceError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
  return found;
}

/** Full commit nodes for the late SHAs, 35 to a one-point query, across repositories. */
async function lookUp(
  client: GithubClient,
  wanted: readonly { repo: ScopedRepository; shas: readonly string[] }[],
): Promise<{ repo: ScopedRepository; node: CommitNode | null; sha: string }[]> {
  const flat = wanted.flatMap(({ repo, shas }) => shas.map((sha) => ({ repo, sha })));
  const found: { repo: ScopedRepository; node: CommitNode | null; sha: string }[] = [];
  for (let from = 0; from < flat.length; from += HISTORY_PAGE) {
    const chunk = flat.slice(from, from + HISTORY_PAGE);
    const groups: { repo: ScopedRepository; shas: string[] }[] = [];
    for (const { repo, sha } of chunk) {
      const group = groups.find((candidate) => candidate.repo.fullName === repo.fullName);
      if (group) group.shas.push(sha);
      else groups.push({ repo, shas: [sha] });
    }
    const variables: Record<string, unknown> = {};
    groups.forEach(({ repo, shas }, i) => {
      variables[`owner${i}`] = repo.owner;
      variables[`name${i}`] = repo.name;
      shas.forEach((sha, j) => (variables[`oid${i}_${j}`] = sha));
    });
    const data = await client.graphql(
      lateCommitsQuery(groups.map((group) => group.shas.length)),
      variables,
      lateCommitsResponseSchema,
      `read late-merged commits of ${groups.map((group) => group.repo.fullName).join(', ')}`,
    );
    groups.forEach(({ repo, shas }, i) => {
      const answer = data[`r${i}`] as Record<string, CommitNode | null> | null | undefined;
      shas.forEach((sha, j) => found.push({ repo, sha, node: answer?.[`c${j}`] ?? null }));
    });
  }
  return found;
}

/**
 * The late commits of this window's run, yielded as late items, and the cursor for the next run. A run of
 * an older window (a repair, a backfill) leaves the newest run's heads alone and returns no cursor; the
 * first run of all records the heads it read.
 */
export async function* lateMerges(
  client: GithubClient,
  logger: Logger,
  window: Window,
  cursor: Cursor | undefined,
  read: ReadonlyMap<string, HeadRead>,
  seen: ReadonlySet<string>,
  rewritten: ReadonlySet<string>,
): AsyncGenerator<CollectedItem<ProductionChange>, Cursor | undefined, undefined> {
  const prior = priorHeads(cursor);
  if (!newestRead(window, prior)) return undefined;
  const wanted: { repo: ScopedRepository; shas: string[] }[] = [];
  for (const { repo, head, before } of read.values()) {
    const base = prior?.heads[repo.fullName];
    if (!base || base.oid === head.oid) continue;
    // The window follows the last one read and the branch holds as many commits dated before it as it
    // did then: none arrived late (unless a force push replaced some, so then compare anyway).
    const unchanged = window.start === prior?.through && base.upto !== undefined && before === base.upto;
    if (unchanged && !rewritten.has(repo.fullName)) continue;
    const reachable = await newlyReachable(client, repo, base.oid, head.oid);
    if (!reachable) {
      logger.warn(
        { repo: repo.fullName, base: base.oid, head: head.oid },
        'the default-branch head read last is gone (rewritten by a force push): commits merged late since then cannot be told apart',
      );
      continue;
    }
    const shas = reachable
      .filter((commit) => commit.committedAt < window.start && !seen.has(`${repo.fullName}@${commit.sha}`))
      .map((commit) => commit.sha);
    if (shas.length) wanted.push({ repo, shas });
  }
  for (const { repo, sha, node } of await lookUp(client, wanted)) {
    if (!node) {
      logger.warn({ repo: repo.fullName, sha }, 'a commit merged late is no longer readable');
      continue;
    }
    const branch = read.get(repo.fullName)?.head.branch ?? 'main';
    yield { ...(await toItem(client, repo, branch, node)), late: true };
  }
  const heads = { ...prior?.heads };
  // A repository not read (quiet-branches.ts) keeps its entry: same head, nothing dated in this window.
  for (const [name, { repo, head, before, later, inWindow }] of read)
    heads[name] =
      before === undefined
        ? head
        : {
            ...head,
            upto: before + inWindow,
            ...(later === undefined ? {} : { later }),
            ...(repo.pushedAt ? { pushedAt: repo.pushedAt } : {}),
          };
  return { through: window.end, heads };
}
