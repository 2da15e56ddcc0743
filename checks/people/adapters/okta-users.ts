import { z } from 'zod';
import { defineAdapter } from '../account.js';

const schema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  login: z.string().optional(),
  email: z.string().nullable().optional(),
  status: z.string().optional(),
  adminRoles: z.array(z.string()).optional(),
  lastLogin: z.string().nullable().optional(),
  factors: z.array(z.object({ status: z.string() }).loose()).optional(),
});

export const oktaUsersAdapter = defineAdapter({
  stream: 'okta-users',
  schema,
  toAccounts: (payload) =>
    payload.type !== 'observation' || payload.login === undefined
      ? []
      : [
          {
            system: 'Okta',
            accountId: payload.login,
            emails: payload.email ? [payload.email] : [],
            logins: [payload.login],
            externalIds: payload.id ? [payload.id] : [],
            status: payload.status ?? null,
            privileged: (payload.adminRoles ?? []).length > 0,
            mfa: payload.factors ? payload.factors.some((factor) => factor.status === 'ACTIVE') : null,
            lastLogin: payload.lastLogin ?? null,
          },
        ],
});
