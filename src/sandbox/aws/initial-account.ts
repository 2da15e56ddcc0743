import { newUser, POLICY, emptyState, type SandboxState } from './iam-model.js';

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

/** The account as it stands when the generated period begins: four people, three groups, two roles. */
export function initialState(account: string, start: number): SandboxState {
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
  const people: [string, string, boolean][] = [
    ['alice', 'admins', true],
    ['bob', 'developers', true],
    ['carol', 'developers', false],
    ['dave', 'readonly', true],
  ];
  for (const [name, group, mfa] of people) {
    const user = newUser(name, start - 400 * DAY);
    user.groups.add(group);
    user.passwordSetAt = start - 300 * DAY;
    user.mfa = mfa;
    state.users.set(name, user);
  }
  state.users.get('bob')?.keys.push({
    id: 'AKIAOLDKEYBOB0000001',
    createdAt: start - 200 * DAY,
    active: true,
    lastUsed: start - DAY,
  });
  return state;
}
