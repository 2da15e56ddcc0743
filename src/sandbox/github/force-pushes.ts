import type { SandboxCommit, SandboxRepository } from './org-model.js';
import { fakeSha } from './random.js';

/** A push that rewrote a branch, as the org's audit log records it. */
export interface SandboxForcePush {
  repo: string;
  id: number;
  before: string;
  after: string;
  ref: string;
  actor: string;
  at: number;
}

/**
 * One force push to the default branch of a repository, mid-history (a production change the audit log
 * must surface), and one to a feature branch (not production, must not count).
 */
export function plantForcePushes(first: SandboxRepository): SandboxForcePush[] {
  const middle = first.commits[Math.floor(first.commits.length / 2)] as SandboxCommit;
  return [
    {
      repo: first.fullName,
      id: 9001,
      before: fakeSha('rewritten'),
      after: middle.sha,
      ref: 'refs/heads/main',
      actor: 'frank',
      at: middle.committedAt + 1_000,
    },
    {
      repo: first.fullName,
      id: 9002,
      before: fakeSha('feature-old'),
      after: fakeSha('feature-new'),
      ref: 'refs/heads/feature-x',
      actor: 'bob',
      at: middle.committedAt + 2_000,
    },
  ];
}
