import { z } from 'zod';

/**
 * A production change as the ticket checks read it, lenient on purpose: stored items of both shapes parse
 * (`pullRequests: [...]`, every merged pull request containing the commit, and the older single
 * `pullRequest`), and force pushes parse too (they are skipped: no pull request, no ticket to name).
 */
const pullRequestSchema = z.looseObject({
  number: z.number().int(),
  title: z.string().nullish(),
  body: z.string().nullish(),
  url: z.string().nullish(),
  headRefName: z.string().nullish(),
  baseRefName: z.string().nullish(),
  author: z.string().nullish(),
  mergedAt: z.string().nullish(),
  mergedBy: z.string().nullish(),
  labels: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).nullish(),
});

export const productionChangeFactSchema = z.looseObject({
  type: z.string(),
  repo: z.string(),
  branch: z.string().nullish(),
  sha: z.string().nullish(),
  message: z.string().nullish(),
  committedAt: z.string().nullish(),
  author: z.looseObject({ login: z.string().nullish() }).nullish(),
  pullRequests: z.array(pullRequestSchema).nullish(),
  pullRequest: pullRequestSchema.nullish(),
});
export type ProductionChangeFact = z.infer<typeof productionChangeFactSchema>;

export interface ChangePullRequest {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string | null;
  readonly headRefName: string | null;
  readonly baseRefName: string | null;
  readonly author: string | null;
  readonly labels: readonly string[];
}

/** What linkage needs of one commit that reached production. */
export interface ChangeView {
  readonly repo: string;
  readonly sha: string;
  readonly message: string;
  /** The pull request that merged it into the production branch, if any; then the others. */
  readonly pullRequests: readonly ChangePullRequest[];
  /** When it reached production: the merge of its pull request, else the commit time (a direct push). */
  readonly mergedAt: number;
  readonly author: string | null;
}

function pullRequestOf(raw: z.infer<typeof pullRequestSchema>): ChangePullRequest {
  return {
    number: raw.number,
    title: raw.title ?? '',
    body: raw.body ?? '',
    url: raw.url ?? null,
    headRefName: raw.headRefName ?? null,
    baseRefName: raw.baseRefName ?? null,
    author: raw.author ?? null,
    labels: (raw.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name)),
  };
}

/** The commit's view, or undefined for what is not a commit (a force push). */
export function changeView(fact: ProductionChangeFact, occurredAt: number): ChangeView | undefined {
  if (fact.type !== 'commit' || !fact.sha) return undefined;
  const raw = fact.pullRequests ?? (fact.pullRequest ? [fact.pullRequest] : []);
  // The pull request into the production branch first: its merge is when the change went live.
  const ordered = [...raw].sort(
    (a, b) => Number(b.baseRefName === fact.branch) - Number(a.baseRefName === fact.branch),
  );
  const main = ordered[0];
  const mergedAt = main?.mergedAt ? Date.parse(main.mergedAt) : Number.NaN;
  return {
    repo: fact.repo,
    sha: fact.sha,
    message: fact.message ?? '',
    pullRequests: ordered.map(pullRequestOf),
    mergedAt: Number.isFinite(mergedAt) ? mergedAt : occurredAt,
    author: main?.author ?? fact.author?.login ?? null,
  };
}
