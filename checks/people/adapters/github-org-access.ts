import { z } from 'zod';
import { defineAdapter } from '../account.js';

// Loose on purpose: only what links an account; samlIdentity where the org uses SAML SSO.
const schema = z.looseObject({
  type: z.string(),
  login: z.string().optional(),
  kind: z.string().optional(),
  role: z.string().optional(),
  twoFactor: z.string().optional(),
  samlIdentity: z.string().nullable().optional(),
});

export const githubOrgAccessAdapter = defineAdapter({
  stream: 'github-org-access',
  schema,
  toAccounts: (payload) =>
    payload.type !== 'observation' || payload.login === undefined
      ? []
      : [
          {
            system: payload.kind === 'outside_collaborator' ? 'GitHub (outside collaborator)' : 'GitHub',
            accountId: payload.login,
            emails: [],
            logins: [payload.login],
            externalIds: payload.samlIdentity ? [payload.samlIdentity] : [],
            status: payload.role ?? null,
            privileged: payload.role === undefined ? null : payload.role === 'admin',
            mfa: payload.twoFactor === 'enabled' ? true : payload.twoFactor === 'disabled' ? false : null,
            lastLogin: null,
          },
        ],
});
