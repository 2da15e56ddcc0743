import { z } from 'zod';
import { defineAdapter } from '../account.js';

const schema = z.looseObject({
  kind: z.string(),
  account: z.string().optional(),
  userName: z.string().optional(),
  emails: z.array(z.string()).optional(),
  assignments: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
});

export const awsIdentityCenterAdapter = defineAdapter({
  stream: 'aws-identity-center-state',
  schema,
  toAccounts: (payload) =>
    payload.kind !== 'user' || payload.userName === undefined
      ? []
      : [
          {
            system: 'AWS IAM Identity Center',
            accountId: payload.userName,
            emails: payload.emails ?? [],
            logins: [payload.userName],
            externalIds: [],
            status: null,
            privileged: (payload.groups ?? []).some((group) => /admin/i.test(group)),
            mfa: null,
            lastLogin: null,
          },
        ],
});
