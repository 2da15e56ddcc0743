import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../src/checks/check.js';
import {
  PRODUCTION_CHANGES,
  productionChangeFactsSchema,
  shortCommit,
  type CommitFacts,
} from './support/production-change-facts.js';

const CODES = {
  checks_failed_or_missing: 'checks failed, were still running, or none ran on this commit',
} as const;

const PASSING = new Set(['success', 'neutral', 'skipped']);

const policy = z
  .object({
    /** Check runs that must be present and pass; empty: every check run that ran counts. */
    required: z.array(z.string()).default([]),
    /** Check runs that never count (informational bots, linters the company does not gate on). */
    ignored: z.array(z.string()).default([]),
    /** Whether the commit's combined commit status (legacy status API) counts beside check runs. */
    commitStatusCounts: z.boolean().default(true),
  })
  .strict();

type Policy = z.infer<typeof policy>;

/** Why the checks of a commit do not show it tested, or nothing when they do. */
function checksProblem(change: CommitFacts, rules: Policy): string | undefined {
  const ignored = new Set(rules.ignored);
  const runs = change.checks.runs.filter((run) => !ignored.has(run.name));
  const status = rules.commitStatusCounts ? change.checks.combinedStatus : null;
  const failing = (run: (typeof runs)[number]) =>
    run.status.toLowerCase() !== 'completed' || !PASSING.has((run.conclusion ?? '').toLowerCase());
  if (rules.required.length > 0) {
    const missing = rules.required.filter((name) => !runs.some((run) => run.name === name));
    if (missing.length > 0) return `required checks did not run: ${missing.join(', ')}`;
    const failed = runs.filter((run) => rules.required.includes(run.name) && failing(run));
    if (failed.length > 0) return `required checks did not pass: ${failed.map((run) => run.name).join(', ')}`;
    return undefined;
  }
  if (runs.length === 0 && status === null) return 'no check ran and no commit status was set';
  const failed = runs.filter(failing);
  if (failed.length > 0)
    return `checks did not pass: ${failed.map((run) => `${run.name}=${run.conclusion ?? run.status}`).join(', ')}`;
  if (status !== null && status.toLowerCase() !== 'success') return `commit status is ${status}`;
  return undefined;
}

export const changeChecks = defineCheck<Policy>({
  id: 'change-checks',
  version: 1,
  title: 'Production change testing',
  description:
    'Every commit that reached a default branch passed its automated checks (check runs and commit status) before it reached production.',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [PRODUCTION_CHANGES],
  codes: CODES,
  policy,
  judge: judgeEachItem(PRODUCTION_CHANGES, productionChangeFactsSchema, (fact, rules: Policy) => {
    if (fact.payload.type !== 'commit') return [];
    const problem = checksProblem(fact.payload, rules);
    return problem
      ? [{ code: 'checks_failed_or_missing', description: `${shortCommit(fact.payload)}: ${problem}` }]
      : [];
  }),
});
