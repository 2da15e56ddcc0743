import { z } from 'zod';
import { defineAdapter } from '../account.js';

const schema = z.looseObject({
  kind: z.string(),
  account: z.string().optional(),
  name: z.string().optional(),
  attachedPolicies: z.array(z.string()).optional(),
  effectivePolicies: z.array(z.string()).optional(),
  /** IAM user tags, where the IAM-state facts carry them. */
  tags: z.record(z.string(), z.string()).optional(),
});

/** IAM users; the person's email comes from a tag (`email` or the configured key) where one is set. */
export function awsIamStateAdapter(emailTag: string) {
  return defineAdapter({
    stream: 'aws-iam-state',
    schema,
    toAccounts: (payload) => {
      if (payload.kind !== 'user' || payload.name === undefined) return [];
      const tagged = payload.tags?.[emailTag];
      const policies = [...(payload.attachedPolicies ?? []), ...(payload.effectivePolicies ?? [])];
      return [
        {
          system: 'AWS IAM',
          accountId: `${payload.account ?? ''}/${payload.name}`,
          emails: tagged ? [tagged] : [],
          logins: [payload.name],
          externalIds: [],
          status: null,
          privileged: policies.some((policy) => /AdministratorAccess|IAMFullAccess/.test(policy)),
          mfa: null,
          lastLogin: null,
        },
      ];
    },
  });
}
