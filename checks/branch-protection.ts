import { z } from 'zod';
import { defineCheck, judgeEachItem, type ItemFinding } from '../src/checks/check.js';
import { codeMeaning } from '../src/checks/check-codes.js';

const STREAM = 'github-branch-protection';

const CODES = {
  default_branch_unprotected: 'the default branch has no protection and no ruleset',
  approvals_not_required: 'merging to the default branch requires no approval',
  force_pushes_allowed: 'force pushes to the default branch are allowed',
  admin_bypass: 'branch protection is not enforced for administrators: they can merge without review',
  ruleset_bypass_always: 'a ruleset lets an actor bypass it always, without a pull request',
  protection_weakened: { means: 'the default branch protection was weakened', kind: 'event' },
} as const;

const state = z.object({
  protected: z.boolean(),
  requiredApprovals: z.number(),
  enforceAdmins: z.boolean(),
  forcePushesAllowed: z.boolean(),
  bypassActors: z.array(z.string()),
  rulesets: z.array(z.number()),
  classicProtection: z.boolean().optional(),
});

/** Observations and changes in the shapes stored before and after checks existed (old ones carry flags). */
const factsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('observation'), repo: z.string(), state }),
  z.object({
    type: z.literal('change'),
    repo: z.string(),
    field: z.string(),
    from: z.unknown(),
    to: z.unknown(),
    description: z.string(),
  }),
  // A read that found no repository in scope: nothing to judge, and no unreadable fact either.
  z.object({ type: z.literal('empty') }),
]);

const policy = z
  .object({
    /** The fewest approvals the default branch must require. */
    minimumApprovals: z.number().int().min(0).default(1),
    /** Bypass actors (as listed, e.g. "OrganizationAdmin (always)") the company accepts. */
    acceptedBypassActors: z.array(z.string()).default([]),
  })
  .strict();
type Policy = z.infer<typeof policy>;

const LOSS_IS_WEAKER = new Set(['protected', 'dismissStaleReviews', 'enforceAdmins']);
const GAIN_IS_WEAKER = new Set(['forcePushesAllowed', 'deletionsAllowed']);

/** Whether a change between two observations weakens protection, from the auditor's side. */
export function weakens(field: string, from: unknown, to: unknown): boolean {
  if (typeof from === 'number' && typeof to === 'number') return to < from;
  if (typeof from === 'boolean' && typeof to === 'boolean')
    return (LOSS_IS_WEAKER.has(field) && from && !to) || (GAIN_IS_WEAKER.has(field) && !from && to);
  if (Array.isArray(from) && Array.isArray(to)) {
    if (field === 'bypassActors') return to.some((value: unknown) => !from.includes(value));
    if (field === 'requiredStatusChecks') return from.some((value: unknown) => !to.includes(value));
  }
  return false;
}

/** The repository is each finding's subject: the same gap on the next day's observation is one condition. */
function observationFindings(repo: string, observed: z.infer<typeof state>, rules: Policy): ItemFinding[] {
  const finding = (code: keyof typeof CODES, detail: string = codeMeaning(CODES[code])): ItemFinding => ({
    code,
    description: `${repo}: ${detail}`,
    subject: repo,
  });
  if (!observed.protected) return [finding('default_branch_unprotected')];
  const found: ItemFinding[] = [];
  if (observed.requiredApprovals < rules.minimumApprovals)
    found.push(
      finding(
        'approvals_not_required',
        rules.minimumApprovals === 1
          ? CODES.approvals_not_required
          : `merging requires ${observed.requiredApprovals} approval(s), the policy requires ${rules.minimumApprovals}`,
      ),
    );
  if (observed.forcePushesAllowed) found.push(finding('force_pushes_allowed'));
  // Stores written before `classicProtection` was recorded: classic protection exists when no ruleset does.
  const classic = observed.classicProtection ?? observed.rulesets.length === 0;
  if (classic && !observed.enforceAdmins) found.push(finding('admin_bypass'));
  const always = observed.bypassActors.filter(
    (actor) => actor.endsWith('(always)') && !rules.acceptedBypassActors.includes(actor),
  );
  if (always.length > 0)
    found.push(finding('ruleset_bypass_always', `${CODES.ruleset_bypass_always}: ${always.join(', ')}`));
  return found;
}

export const branchProtection = defineCheck<Policy>({
  id: 'branch-protection',
  version: 1,
  title: 'Default branch protection',
  description:
    'Every in-scope repository protected its default branch on every observed day: approvals required, force pushes blocked, no administrator or ruleset bypass, and no weakening went unnoticed.',
  criteria: ['CC8.1'],
  isoControls: ['A.8.9', 'A.8.32'],
  streams: [STREAM],
  codes: CODES,
  policy,
  judge: judgeEachItem(STREAM, factsSchema, (fact, rules: Policy) => {
    const facts = fact.payload;
    if (facts.type === 'observation') return observationFindings(facts.repo, facts.state, rules);
    if (facts.type === 'empty') return [];
    return weakens(facts.field, facts.from, facts.to)
      ? [{ code: 'protection_weakened', description: facts.description, subject: facts.repo }]
      : [];
  }),
});
