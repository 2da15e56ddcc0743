import type { SandboxClassicProtection, SandboxRuleset } from './access-model.js';

/** GET /repos/{owner}/{repo}/branches/{branch}/protection */
export function branchProtection(api: string, repo: string, branch: string, p: SandboxClassicProtection) {
  const url = `${api}/repos/${repo}/branches/${branch}/protection`;
  return {
    url,
    required_status_checks: {
      url: `${url}/required_status_checks`,
      strict: true,
      contexts: p.requiredChecks,
      checks: p.requiredChecks.map((context) => ({ context, app_id: null })),
      contexts_url: `${url}/required_status_checks/contexts`,
    },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_pull_request_reviews: {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: p.dismissStale,
      require_code_owner_reviews: false,
      required_approving_review_count: p.requiredApprovals,
      require_last_push_approval: false,
    },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: p.allowForcePushes },
    allow_deletions: { enabled: p.allowDeletions },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
  };
}

function rules(r: SandboxRuleset) {
  return [
    {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: r.requiredApprovals,
        dismiss_stale_reviews_on_push: r.dismissStale,
        require_code_owner_review: false,
        require_last_push_approval: false,
        required_review_thread_resolution: false,
      },
    },
    {
      type: 'required_status_checks',
      parameters: {
        required_status_checks: r.requiredChecks.map((context) => ({ context })),
        strict_required_status_checks_policy: true,
      },
    },
    ...(r.blockForcePushes ? [{ type: 'non_fast_forward' }] : []),
    ...(r.blockDeletions ? [{ type: 'deletion' }] : []),
  ];
}

/** GET /repos/{owner}/{repo}/rules/branches/{branch}: the rules in force on the branch, with their ruleset. */
export function branchRules(repo: string, r: SandboxRuleset) {
  return rules(r).map((rule) => ({
    ...rule,
    ruleset_source_type: 'Repository',
    ruleset_source: repo,
    ruleset_id: r.id,
  }));
}

/** GET /repos/{owner}/{repo}/rulesets/{ruleset_id} */
export function repositoryRuleset(repo: string, r: SandboxRuleset) {
  return {
    id: r.id,
    name: r.name,
    target: 'branch',
    source_type: 'Repository',
    source: repo,
    enforcement: 'active',
    bypass_actors: r.bypassActors,
    current_user_can_bypass: 'never',
    conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
    rules: rules(r),
  };
}
