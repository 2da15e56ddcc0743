import type { Company } from '../company/index.js';
import { membersAt, membershipChanges, type SandboxMember } from './membership.js';
import type { SandboxRepository } from './org-model.js';

export type { ExpectedAccessChange, SandboxMember } from './membership.js';

export interface SandboxCollaborator {
  login: string;
  twoFactor: boolean;
  repos: { repo: string; permission: 'pull' | 'push' | 'admin' }[];
}

export interface SandboxClassicProtection {
  requiredApprovals: number;
  dismissStale: boolean;
  requiredChecks: string[];
  enforceAdmins: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
}

export interface SandboxRuleset {
  id: number;
  name: string;
  requiredApprovals: number;
  dismissStale: boolean;
  requiredChecks: string[];
  blockForcePushes: boolean;
  blockDeletions: boolean;
  bypassActors: {
    actor_id: number | null;
    actor_type: 'OrganizationAdmin' | 'RepositoryRole' | 'Team';
    bypass_mode: 'always' | 'pull_request';
  }[];
}

export interface SandboxProtection {
  classic: SandboxClassicProtection | null;
  ruleset: SandboxRuleset | null;
}

/** Access and protection at one moment. */
export interface SnapshotState {
  members: SandboxMember[];
  outsideCollaborators: SandboxCollaborator[];
  protections: Map<string, SandboxProtection>;
}

export interface ExpectedProtectionChange {
  repo: string;
  field: string;
  from: unknown;
  to: unknown;
  weakened: boolean;
}

const strong: SandboxClassicProtection = {
  requiredApprovals: 1,
  dismissStale: true,
  requiredChecks: ['build', 'test'],
  enforceAdmins: true,
  allowForcePushes: false,
  allowDeletions: false,
};

/**
 * Members follow the company (joiners, leavers, admin changes: see membership.ts). Protections change at
 * `changesAt`: the first repository's required approvals drop from 2 to 0; the third repository's default
 * branch is not protected at all. The outside collaborator belongs to no person.
 */
export function buildSnapshotModel(
  repositories: readonly SandboxRepository[],
  company: Company,
  changesAt: number,
) {
  const inScope = repositories.filter((repo) => !repo.archived);
  const collaboratorRepo = (inScope[1] ?? inScope[0]) as SandboxRepository;
  const outsideCollaborators: SandboxCollaborator[] = [
    {
      login: 'kim-contractor',
      twoFactor: true,
      repos: [{ repo: collaboratorRepo.fullName, permission: 'push' }],
    },
  ];
  const protections = new Map<string, SandboxProtection>();
  inScope.forEach((repo, index) => {
    if (index === 0)
      protections.set(repo.fullName, { classic: { ...strong, requiredApprovals: 2 }, ruleset: null });
    else if (index === 1)
      protections.set(repo.fullName, {
        classic: null,
        ruleset: {
          id: 501,
          name: 'production',
          requiredApprovals: 1,
          dismissStale: true,
          requiredChecks: ['build', 'test'],
          blockForcePushes: true,
          blockDeletions: true,
          bypassActors: [{ actor_id: null, actor_type: 'OrganizationAdmin', bypass_mode: 'always' }],
        },
      });
    else if (index === 2) protections.set(repo.fullName, { classic: null, ruleset: null });
    else protections.set(repo.fullName, { classic: { ...strong }, ruleset: null });
  });
  const before = { outsideCollaborators, protections };

  const first = inScope[0] as SandboxRepository;
  const afterProtections = new Map(protections);
  afterProtections.set(first.fullName, { classic: { ...strong, requiredApprovals: 0 }, ruleset: null });
  const after = { outsideCollaborators, protections: afterProtections };
  const stateAt = (at: number): SnapshotState => ({
    members: membersAt(company, at),
    ...(at >= changesAt ? after : before),
  });
  const protectionChanges: ExpectedProtectionChange[] = [
    { repo: first.fullName, field: 'requiredApprovals', from: 2, to: 0, weakened: true },
  ];
  const flagsOf = (state: SnapshotState) => ({
    access: [
      ...state.members
        .filter((m) => !m.twoFactor)
        .map((m) => ({ login: m.login, code: 'member_without_2fa' })),
      ...state.outsideCollaborators
        .filter((c) => !c.twoFactor)
        .map((c) => ({ login: c.login, code: 'member_without_2fa' })),
    ],
    protection: [...state.protections].flatMap(([repo, p]) => {
      if (!p.classic && !p.ruleset) return [{ repo, code: 'default_branch_unprotected' }];
      const approvals = Math.max(p.classic?.requiredApprovals ?? 0, p.ruleset?.requiredApprovals ?? 0);
      return [
        ...(approvals === 0 ? [{ repo, code: 'approvals_not_required' }] : []),
        ...(p.classic && !p.classic.enforceAdmins ? [{ repo, code: 'admin_bypass' }] : []),
        ...(p.ruleset?.bypassActors.some((actor) => actor.bypass_mode === 'always')
          ? [{ repo, code: 'ruleset_bypass_always' }]
          : []),
      ];
    }),
  });
  return {
    stateAt,
    accessChanges: membershipChanges(company),
    protectionChanges,
    /** The flags a correct connector raises on the state at a moment. */
    flagsAt: (at: number) => flagsOf(stateAt(at)),
    expectedBefore: flagsOf(stateAt(changesAt - 1)),
    expectedAfter: flagsOf(stateAt(changesAt)),
  };
}

export type SnapshotModel = ReturnType<typeof buildSnapshotModel>;
