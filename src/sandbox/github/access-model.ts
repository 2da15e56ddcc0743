import type { SandboxRepository } from './org-model.js';

export interface SandboxMember {
  login: string;
  role: 'admin' | 'member';
  twoFactor: boolean;
}

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

/** Access and protection at one moment: before or after the planted changes. */
export interface SnapshotState {
  members: SandboxMember[];
  outsideCollaborators: SandboxCollaborator[];
  protections: Map<string, SandboxProtection>;
}

export interface ExpectedAccessChange {
  login: string;
  change: 'joined' | 'left' | 'role_changed';
  from?: string;
  to?: string;
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
 * Members, collaborators and protections before and after `changesAt`: dave leaves, erin becomes an admin,
 * judy joins, and the first repository's required approvals drop from 2 to 0. grace never enabled 2FA;
 * the third repository's default branch is not protected at all.
 */
export function buildSnapshotModel(repositories: readonly SandboxRepository[]) {
  const inScope = repositories.filter((repo) => !repo.archived);
  const members: SandboxMember[] = [
    { login: 'alice', role: 'admin', twoFactor: true },
    { login: 'bob', role: 'admin', twoFactor: true },
    { login: 'carol', role: 'member', twoFactor: true },
    { login: 'dave', role: 'member', twoFactor: true },
    { login: 'erin', role: 'member', twoFactor: true },
    { login: 'frank', role: 'member', twoFactor: true },
    { login: 'grace', role: 'member', twoFactor: false },
    { login: 'heidi', role: 'member', twoFactor: true },
  ];
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
  const before: SnapshotState = { members, outsideCollaborators, protections };

  const first = inScope[0] as SandboxRepository;
  const afterProtections = new Map(protections);
  afterProtections.set(first.fullName, { classic: { ...strong, requiredApprovals: 0 }, ruleset: null });
  const after: SnapshotState = {
    members: [
      ...members
        .filter((member) => member.login !== 'dave')
        .map((member) => (member.login === 'erin' ? { ...member, role: 'admin' as const } : member)),
      { login: 'judy', role: 'member', twoFactor: true },
    ],
    outsideCollaborators,
    protections: afterProtections,
  };
  const accessChanges: ExpectedAccessChange[] = [
    { login: 'dave', change: 'left' },
    { login: 'erin', change: 'role_changed', from: 'member', to: 'admin' },
    { login: 'judy', change: 'joined' },
  ];
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
    before,
    after,
    accessChanges,
    protectionChanges,
    expectedBefore: flagsOf(before),
    expectedAfter: flagsOf(after),
  };
}

export type SnapshotModel = ReturnType<typeof buildSnapshotModel>;
