import { z } from 'zod';

/** The default branch's protection as an auditor reads it, merged from classic protection and rulesets. */
export const protectionStateSchema = z.object({
  protected: z.boolean(),
  requiredApprovals: z.number().int(),
  dismissStaleReviews: z.boolean(),
  requiredStatusChecks: z.array(z.string()),
  enforceAdmins: z.boolean(),
  forcePushesAllowed: z.boolean(),
  deletionsAllowed: z.boolean(),
  bypassActors: z.array(z.string()),
  rulesets: z.array(z.number().int()),
  /** Whether classic branch protection exists (its enforce-admins setting applies only then). */
  classicProtection: z.boolean().optional(),
});
export type ProtectionState = z.infer<typeof protectionStateSchema>;

export const classicProtectionSchema = z.object({
  required_status_checks: z
    .object({ contexts: z.array(z.string()) })
    .nullable()
    .optional(),
  enforce_admins: z.object({ enabled: z.boolean() }).optional(),
  required_pull_request_reviews: z
    .object({
      dismiss_stale_reviews: z.boolean(),
      required_approving_review_count: z.number().int().optional(),
    })
    .optional(),
  allow_force_pushes: z.object({ enabled: z.boolean() }).optional(),
  allow_deletions: z.object({ enabled: z.boolean() }).optional(),
});
export type ClassicProtection = z.infer<typeof classicProtectionSchema>;

export const branchRuleSchema = z.object({
  type: z.string(),
  ruleset_id: z.number().int(),
  parameters: z
    .object({
      required_approving_review_count: z.number().int().optional(),
      dismiss_stale_reviews_on_push: z.boolean().optional(),
      required_status_checks: z.array(z.object({ context: z.string() })).optional(),
    })
    .optional(),
});
export type BranchRule = z.infer<typeof branchRuleSchema>;

export const rulesetSchema = z.object({
  id: z.number().int(),
  bypass_actors: z
    .array(
      z.object({
        actor_id: z.number().int().nullable().optional(),
        actor_type: z.string(),
        bypass_mode: z.string().optional(),
      }),
    )
    .optional(),
});

export function protectionState(
  classic: ClassicProtection | null,
  rules: readonly BranchRule[],
  bypassActors: readonly string[],
): ProtectionState {
  const ruleOf = (type: string) => rules.filter((rule) => rule.type === type);
  const reviewRules = ruleOf('pull_request');
  const checks = new Set([
    ...(classic?.required_status_checks?.contexts ?? []),
    ...ruleOf('required_status_checks').flatMap((rule) =>
      (rule.parameters?.required_status_checks ?? []).map((check) => check.context),
    ),
  ]);
  const isProtected = classic !== null || rules.length > 0;
  return {
    protected: isProtected,
    requiredApprovals: Math.max(
      classic?.required_pull_request_reviews?.required_approving_review_count ?? 0,
      ...reviewRules.map((rule) => rule.parameters?.required_approving_review_count ?? 0),
    ),
    dismissStaleReviews:
      (classic?.required_pull_request_reviews?.dismiss_stale_reviews ?? false) ||
      reviewRules.some((rule) => rule.parameters?.dismiss_stale_reviews_on_push === true),
    requiredStatusChecks: [...checks].sort(),
    enforceAdmins: classic?.enforce_admins?.enabled ?? false,
    forcePushesAllowed:
      !(classic && !classic.allow_force_pushes?.enabled) && ruleOf('non_fast_forward').length === 0,
    deletionsAllowed: !(classic && !classic.allow_deletions?.enabled) && ruleOf('deletion').length === 0,
    bypassActors: [...new Set(bypassActors)].sort(),
    rulesets: [...new Set(rules.map((rule) => rule.ruleset_id))].sort((a, b) => a - b),
    classicProtection: classic !== null,
  };
}

export interface ProtectionChange {
  field: keyof ProtectionState;
  from: unknown;
  to: unknown;
  description: string;
}

const LABELS: Record<Exclude<keyof ProtectionState, 'classicProtection'>, string> = {
  protected: 'protection',
  requiredApprovals: 'required approvals',
  dismissStaleReviews: 'stale review dismissal',
  requiredStatusChecks: 'required status checks',
  enforceAdmins: 'enforcement for admins',
  forcePushesAllowed: 'force pushes allowed',
  deletionsAllowed: 'deletions allowed',
  bypassActors: 'bypass actors',
  rulesets: 'rulesets',
};

/** Field-by-field differences between two observations, described; whether one weakens is the checks' call. */
export function protectionChanges(
  before: ProtectionState,
  after: ProtectionState,
  repo: string,
): ProtectionChange[] {
  const changes: ProtectionChange[] = [];
  for (const field of Object.keys(LABELS) as (keyof typeof LABELS)[]) {
    const from = before[field];
    const to = after[field];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    let verb = 'changed';
    if (typeof from === 'number' && typeof to === 'number') verb = to < from ? 'lowered' : 'raised';
    else if (typeof from === 'boolean' && typeof to === 'boolean') verb = to ? 'turned on' : 'turned off';
    const show = (value: unknown) => (Array.isArray(value) ? `[${value.join(', ')}]` : String(value));
    changes.push({
      field,
      from,
      to,
      description: `${LABELS[field]} ${verb} from ${show(from)} to ${show(to)} on ${repo}`,
    });
  }
  return changes;
}
