import { z } from 'zod';
import { defineAdapter } from '../account.js';

// Loose on purpose: only what links and describes an account; aliases are the person's other addresses.
const schema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  primaryEmail: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  suspended: z.boolean().optional(),
  archived: z.boolean().optional(),
  isAdmin: z.boolean().optional(),
  isDelegatedAdmin: z.boolean().optional(),
  isEnrolledIn2Sv: z.boolean().optional(),
  lastLoginTime: z.string().nullable().optional(),
});

export const googleWorkspaceUsersAdapter = defineAdapter({
  stream: 'google-workspace-users',
  schema,
  toAccounts: (payload) =>
    payload.type !== 'observation' || payload.primaryEmail === undefined
      ? []
      : [
          {
            system: 'Google Workspace',
            accountId: payload.primaryEmail,
            emails: [payload.primaryEmail, ...(payload.aliases ?? [])],
            logins: [payload.primaryEmail],
            externalIds: payload.id ? [payload.id] : [],
            status: payload.archived ? 'ARCHIVED' : payload.suspended ? 'SUSPENDED' : 'ACTIVE',
            privileged: Boolean(payload.isAdmin || payload.isDelegatedAdmin),
            mfa: payload.isEnrolledIn2Sv ?? null,
            lastLogin: payload.lastLoginTime ?? null,
          },
        ],
});
