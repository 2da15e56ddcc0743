import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';

/** The environment variable that may hold the service account JSON key instead of a file. */
export const GOOGLE_KEY_ENV = 'GOOGLE_SERVICE_ACCOUNT_KEY';

/** `connectors.google-workspace`: the tenant, the admin to impersonate, and where the service account key is. */
export const googleWorkspaceConfigSchema = z
  .object({
    /** The admin the service account impersonates through domain-wide delegation. */
    subject: z.email('expected the email of a Workspace admin to impersonate'),
    /** `my_customer` (the service account's own tenant) or a customer id such as C03az79cb. */
    customer: z.string().min(1).default('my_customer'),
    /** The service account JSON key file; or the GOOGLE_SERVICE_ACCOUNT_KEY environment variable (the JSON). */
    keyFile: z.string().min(1).optional(),
    /** OAuth token endpoint (the local sandbox); defaults to the key's token_uri, then Google's. */
    tokenUrl: z.url('expected an http(s) URL').optional(),
    /** Root of the Directory and Reports APIs (the local sandbox); Google's by default. */
    rootUrl: z.url('expected an http(s) URL').optional(),
    /** Users and activities per page (Directory allows 500, Reports 1000). */
    pageSize: z.number().int().min(1).max(500).default(500),
    ...queueSettingsShape,
  })
  .strict();

export type GoogleWorkspaceConfig = z.infer<typeof googleWorkspaceConfigSchema>;

/** Read-only scopes, the least the streams need. */
export const GOOGLE_WORKSPACE_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.reports.audit.readonly',
];
