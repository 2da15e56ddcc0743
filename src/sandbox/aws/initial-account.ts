import type { Company } from '../company/index.js';
import { POLICY, emptyState, type SandboxState } from './iam-model.js';
import { initialPeopleUsers } from './people-iam.js';

const DAY = 86_400_000;

export const TRUST_ACCOUNT = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
export const TRUST_OIDC = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
      },
    ],
  });

/**
 * The account as it stands when the generated period begins: the company's people employed by then (each
 * IAM user tagged with the work email), an orphan user, three groups, two roles.
 */
export function initialState(
  account: string,
  start: number,
  company: Company,
  emailTag: string,
): SandboxState {
  const state = emptyState();
  state.groups.set('admins', { attached: new Set([POLICY('AdministratorAccess')]) });
  state.groups.set('developers', { attached: new Set([POLICY('PowerUserAccess')]) });
  state.groups.set('readonly', { attached: new Set([POLICY('ReadOnlyAccess')]) });
  state.roles.set('deploy', {
    trust: TRUST_OIDC(account),
    attached: new Set([`arn:aws:iam::${account}:policy/ci-deploy`]),
  });
  state.roles.set('audit-readonly', {
    trust: TRUST_ACCOUNT(account),
    attached: new Set([POLICY('SecurityAudit')]),
  });
  state.policies.set(`arn:aws:iam::${account}:policy/ci-deploy`, {
    name: 'ci-deploy',
    versions: [
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }],
      }),
    ],
    defaultVersion: 1,
  });
  for (const user of initialPeopleUsers(company, start, emailTag)) state.users.set(user.name, user);
  state.users.get('bob')?.keys.push({
    id: 'AKIAOLDKEYBOB0000001',
    createdAt: start - 200 * DAY,
    active: true,
    lastUsed: start - DAY,
  });
  return state;
}
