import { defineConnector } from '../../src/stream.js';
import { githubManifest } from './manifest.js';
import { describeGithub } from './system-description.js';
import type { GithubClient } from './client.js';
import type { GithubConfig } from './config.js';
import { branchProtection } from './branch-protection.js';
import { orgAccess } from './org-access.js';
import { productionChanges } from './production-changes.js';

/** GitHub: production changes (CC8.1), branch protection (CC8.1) and org access (CC6.1-CC6.3). */
export const githubConnector = defineConnector<GithubConfig, GithubClient>({
  ...githubManifest,
  // Octokit loads only when a client is made: `streams`, `catalog` and `--help` never pay for it.
  createClient: async (config, env) =>
    (await import('./client.js')).createGithubClient(
      config,
      env,
      config.graphqlInterval === undefined ? {} : { graphqlSpacingMs: config.graphqlInterval },
    ),
  systemDescription: describeGithub,
  streams: [productionChanges, branchProtection, orgAccess],
});

export const connector = githubConnector;
