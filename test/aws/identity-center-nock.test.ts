import nock from 'nock';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { identityCenterStateStream } from '../../connectors/aws/streams/identity-center-state.js';
import { ACCOUNT, awsClient, awsSection, collectAll } from './support.js';

// Identity Store and SSO Admin over awsJson1_1, through the real SDK (signing, retries) to nock.
const AWS = 'http://aws.test';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const STORE = 'd-1234567890';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

/** Matches a JSON call by its X-Amz-Target and a body predicate. */
function call(operation: string, body: (value: Record<string, unknown>) => boolean = () => true) {
  return nock(AWS, { reqheaders: { 'x-amz-target': (value) => value.endsWith(`.${operation}`) } }).post(
    '/',
    (value: Record<string, unknown>) => body(value),
  );
}

describe('IAM Identity Center', () => {
  test('reads every NextToken page with the configured instance, retries throttling, names users, groups and assignments', async () => {
    const section = awsSection({
      account: {
        identityCenter: { instanceArn: INSTANCE, identityStoreId: STORE },
        endpoints: { identitystore: AWS, ssoAdmin: AWS },
      },
    });
    call('ListUsers').reply(
      400,
      { __type: 'ThrottlingException', message: 'Rate exceeded' },
      { 'x-amzn-errortype': 'ThrottlingException' },
    );
    call('ListUsers', (b) => b.IdentityStoreId === STORE && b.NextToken === undefined).reply(200, {
      Users: [{ UserId: 'u1', UserName: 'ada@acme.test', Emails: [{ Value: 'ada@acme.test' }] }],
      NextToken: 'p2',
    });
    call('ListUsers', (b) => b.NextToken === 'p2').reply(200, {
      Users: [
        { UserId: 'u2', UserName: 'bob@acme.test', DisplayName: 'Bob', Emails: [{ Value: 'bob@acme.test' }] },
      ],
    });
    call('ListGroups').reply(200, { Groups: [{ GroupId: 'g1', DisplayName: 'Admins' }] });
    call('ListGroupMemberships', (b) => b.GroupId === 'g1').reply(200, {
      GroupMemberships: [{ GroupId: 'g1', MemberId: { UserId: 'u2' } }],
    });
    call('ListPermissionSets', (b) => b.InstanceArn === INSTANCE).reply(200, {
      PermissionSets: [`${INSTANCE}/ps-1`],
    });
    call('DescribePermissionSet').reply(200, {
      PermissionSet: { Name: 'AdministratorAccess', SessionDuration: 'PT1H' },
    });
    call('ListAccountsForProvisionedPermissionSet').reply(200, { AccountIds: [ACCOUNT] });
    call('ListAccountAssignments', (b) => b.AccountId === ACCOUNT).reply(200, {
      AccountAssignments: [
        { AccountId: ACCOUNT, PrincipalType: 'GROUP', PrincipalId: 'g1' },
        { AccountId: ACCOUNT, PrincipalType: 'USER', PrincipalId: 'u1' },
      ],
    });
    const day = { start: Date.UTC(2026, 0, 10), end: Date.UTC(2026, 0, 11) };
    const { items } = await collectAll(identityCenterStateStream, day, awsClient(section));
    expect(items.map((item) => item.key)).toEqual([
      `2026-01-10/${ACCOUNT}/user/ada@acme.test`,
      `2026-01-10/${ACCOUNT}/user/bob@acme.test`,
      `2026-01-10/${ACCOUNT}/group/Admins`,
      `2026-01-10/${ACCOUNT}/permission-set/AdministratorAccess`,
      `2026-01-10/${ACCOUNT}/assignment/${ACCOUNT}/AdministratorAccess/GROUP/Admins`,
      `2026-01-10/${ACCOUNT}/assignment/${ACCOUNT}/AdministratorAccess/USER/ada@acme.test`,
    ]);
    expect(items[0]?.payload).toMatchObject({
      emails: ['ada@acme.test'],
      assignments: [`${ACCOUNT}/AdministratorAccess`],
    });
    expect(items[1]?.payload).toMatchObject({ groups: ['Admins'] });
  });

  test('an Identity Center read and found empty is one quiet item saying so, not no item at all', async () => {
    const section = awsSection({
      account: {
        identityCenter: { instanceArn: INSTANCE, identityStoreId: STORE },
        endpoints: { identitystore: AWS, ssoAdmin: AWS },
      },
    });
    call('ListUsers').reply(200, { Users: [] });
    call('ListGroups').reply(200, { Groups: [] });
    call('ListPermissionSets').reply(200, { PermissionSets: [] });
    const day = { start: Date.UTC(2026, 0, 10), end: Date.UTC(2026, 0, 11) };
    const { items } = await collectAll(identityCenterStateStream, day, awsClient(section));
    const read = `IAM Identity Center of ${ACCOUNT} read: no users, groups, permission sets or assignments`;
    expect(items).toEqual([
      {
        key: `2026-01-10/${ACCOUNT}/#empty`,
        occurredAt: day.start,
        quiet: true,
        payload: {
          kind: 'empty',
          account: ACCOUNT,
          day: '2026-01-10',
          description: read,
        },
      },
    ]);
    expect(identityCenterStateStream.itemSchema.safeParse(items[0]?.payload).success).toBe(true);
    const row = (identityCenterStateStream.populationColumns ?? []).map((column) => column.value(items[0]!));
    expect(row).toEqual(['2026-01-10', ACCOUNT, 'empty', null, null, read]);
  });

  test('no instance from ListInstances is a fatal coded error', async () => {
    const section = awsSection({
      account: { identityCenter: {}, endpoints: { identitystore: AWS, ssoAdmin: AWS } },
    });
    call('ListInstances').reply(200, { Instances: [] });
    const day = { start: Date.UTC(2026, 0, 10), end: Date.UTC(2026, 0, 11) };
    await expect(collectAll(identityCenterStateStream, day, awsClient(section))).rejects.toMatchObject({
      code: 'AWS_IDENTITY_CENTER_NOT_FOUND',
      retry: 'fatal',
    });
  });
});
