import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';
import { durationSchema } from '../../src/time.js';

const repoName = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/name"');

/** `connectors.github`: which organisation and repositories are in scope, and how to reach GitHub. */
export const githubConfigSchema = z
  .object({
    org: z.string().min(1, 'expected the GitHub organisation login'),
    /** An explicit list; when absent every non-archived repository of the org is in scope. */
    repos: z.array(repoName).optional(),
    /** Glob patterns on the repository name (without owner); `*` and `?` only. */
    include: z.array(z.string().min(1)).optional(),
    exclude: z.array(z.string().min(1)).optional(),
    /** GitHub Enterprise Server (`https://ghe.example.com/api/v3`) or the local sandbox. */
    baseUrl: z.url('expected an http(s) URL').optional(),
    /** A file holding the token, instead of the GITHUB_TOKEN environment variable. */
    tokenFile: z.string().min(1).optional(),
    app: z
      .object({
        appId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'expected a numeric id')]),
        privateKeyFile: z.string().min(1),
        installationId: z.union([
          z.number().int().positive(),
          z.string().regex(/^\d+$/, 'expected a numeric id'),
        ]),
      })
      .strict()
      .optional(),
    /**
     * Least time between GraphQL queries. Octokit's default (1s, what GitHub asks for mutations) is kept
     * unless set; "0s" suits the local sandbox.
     */
    graphqlInterval: durationSchema.optional(),
    ...queueSettingsShape,
  })
  .strict();

export type GithubConfig = z.infer<typeof githubConfigSchema>;
