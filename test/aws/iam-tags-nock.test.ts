import nock from 'nock';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { iamStateStream } from '../../connectors/aws/streams/iam-state.js';
import { ACCOUNT, awsClient, awsSection, collectAll } from './support.js';

const AWS = 'http://aws.test';
beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const user = (name: string, tags: string) =>
  `<member><UserName>${name}</UserName><Arn>arn:aws:iam::${ACCOUNT}:user/${name}</Arn><GroupList/><AttachedManagedPolicies/><UserPolicyList/>${tags}</member>`;

describe('IAM user tags', () => {
  test('a tagged user carries its tags in the IAM-state facts; an untagged one has no tags field', async () => {
    const body = `<UserDetailList>${user('alice', '<Tags><member><Key>email</Key><Value>alice@acme.test</Value></member></Tags>')}${user('ci', '')}</UserDetailList><IsTruncated>false</IsTruncated>`;
    nock(AWS)
      .post('/', (b: Record<string, string>) => b.Action === 'GetAccountAuthorizationDetails')
      .reply(
        200,
        `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult>${body}</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`,
      );
    const day = { start: Date.UTC(2026, 0, 10), end: Date.UTC(2026, 0, 11) };
    const { items } = await collectAll(iamStateStream, day, awsClient(awsSection({ url: AWS })));
    const users = items.filter((item) => item.payload.kind === 'user');
    expect(users.map((item) => [item.key, 'tags' in item.payload ? item.payload.tags : 'none'])).toEqual([
      [`2026-01-10/${ACCOUNT}/user/alice`, { email: 'alice@acme.test' }],
      [`2026-01-10/${ACCOUNT}/user/ci`, 'none'],
    ]);
  });
});
