import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';

/** `connectors.okta`: which Okta org, and how to authenticate (API token, or an OAuth 2.0 service app). */
export const oktaConfigSchema = z
  .object({
    /** `https://acme.okta.com` (or the local sandbox). */
    orgUrl: z.url('expected the Okta org URL, e.g. https://acme.okta.com'),
    /** A file holding the API token, instead of the OKTA_API_TOKEN environment variable. */
    tokenFile: z.string().min(1).optional(),
    /** An OAuth 2.0 service app (client credentials with a private key JWT) instead of an API token. */
    oauth: z
      .object({
        clientId: z.string().min(1, 'expected the service app client id'),
        /** PEM private key file; or the OKTA_PRIVATE_KEY environment variable. */
        privateKeyFile: z.string().min(1).optional(),
        keyId: z.string().min(1).optional(),
        scopes: z
          .array(z.string().min(1))
          .default(['okta.users.read', 'okta.logs.read', 'okta.groups.read', 'okta.factors.read']),
      })
      .strict()
      .optional(),
    /** Users and log events per page (Okta allows 200 users and 1000 log events). */
    pageSize: z.number().int().min(1).max(1000).default(200),
    /** Whether to read each user's factors and admin roles (one call each per user). */
    factors: z.boolean().default(true),
    roles: z.boolean().default(true),
    ...queueSettingsShape,
  })
  .strict();

export type OktaConfig = z.infer<typeof oktaConfigSchema>;
