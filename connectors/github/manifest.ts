import { defineManifest, type StreamMetadata } from '../../src/stream.js';
import { githubConfigSchema, type GithubConfig } from './config.js';

// What `streams` and `catalog` read: the connector and its streams in the auditor's words, without the code
// that collects them (index.ts adds that), so listing them loads no client, payload schema or SDK.

/** The streams, keyed by id; each stream's definition spreads its entry. */
export const githubStreams = {
  'github-production-changes': {
    id: 'github-production-changes',
    description:
      'Every commit that reached the default branch of each in-scope repository, and every force push',
    kind: 'events',
    population:
      'Every commit that reached the default branch of each in-scope GitHub repository in the period, with every merged pull request containing it (into any branch) and its reviews, and its checks, plus every force push to a default branch.',
    evidenceName: 'Production_Changes',
    criteria: ['CC8.1'],
    isoControls: ['A.8.32'],
    cadence: '1d',
    silenceThreshold: '14d',
    sourceLag: '10m',
    // History pages by commit, 35 a point, whatever the span: a month a window, not thirty day reads.
    backfillSpan: '30d',
  },
  'github-branch-protection': {
    id: 'github-branch-protection',
    description: 'Default-branch protection and rulesets of each in-scope repository, and changes to them',
    kind: 'snapshot',
    population:
      'One daily observation of the default-branch protection and rulesets of every in-scope repository, and every change between consecutive observations.',
    evidenceName: 'Branch_Protection',
    criteria: ['CC8.1'],
    isoControls: ['A.8.9', 'A.8.32'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0s',
  },
  'github-org-access': {
    id: 'github-org-access',
    description:
      'Members and outside collaborators of the organisation with role and 2FA, and joiners, leavers and role changes',
    kind: 'snapshot',
    population:
      'One daily observation of every member (with role) and outside collaborator (with repository permissions) of the GitHub organisation and their 2FA status, and every joiner, leaver and role change between observations.',
    evidenceName: 'GitHub_Org_Access',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.15', 'A.5.18', 'A.8.2', 'A.8.5'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0s',
  },
} satisfies Record<string, StreamMetadata>;

/** GitHub: production changes (CC8.1), branch protection (CC8.1) and org access (CC6.1-CC6.3). */
export const githubManifest = defineManifest<GithubConfig>({
  id: 'github',
  description: 'GitHub organisation: production changes, branch protection and org access',
  configSchema: githubConfigSchema,
  // 401 and 403 become the core's AUTH_INVALID / AUTH_FORBIDDEN; a missing token is AUTH_MISSING.
  credentialErrorCodes: [],
  secretEnvVars: ['GITHUB_TOKEN', 'GITHUB_APP_PRIVATE_KEY'],
  streams: Object.values(githubStreams),
});
