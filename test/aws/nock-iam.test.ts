import nock from 'nock';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { credentialReportStream } from '../../connectors/aws/streams/credential-report.js';
import { iamStateStream } from '../../connectors/aws/streams/iam-state.js';
import { ACCOUNT, awsClient, awsSection, collectAll } from './support.js';
import { iamCredentials } from '../../checks/iam-credentials.js';
import { codesByKey } from '../support/memory-facts.js';

// IAM over the query protocol, through the real SDK (signing, retries, XML parsing) to nock.
const AWS = 'http://aws.test';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

function iamXml(action: string, body: string) {
  return `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`;
}
const iamError = (code: string, message: string) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
// nock hands form-encoded bodies over parsed.
const action = (name: string) => (body: Record<string, string>) => body.Action === name;

describe('IAM', () => {
  const user = (name: string, groups: string[]) =>
    `<member><UserName>${name}</UserName><Arn>arn:aws:iam::${ACCOUNT}:user/${name}</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><GroupList>${groups.map((g) => `<member>${g}</member>`).join('')}</GroupList><AttachedManagedPolicies/><UserPolicyList/></member>`;
  const group = `<member><GroupName>admins</GroupName><Arn>arn:aws:iam::${ACCOUNT}:group/admins</Arn><AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies><GroupPolicyList/></member>`;
  const day = { start: Date.UTC(2026, 0, 10), end: Date.UTC(2026, 0, 11) };
  const next = { start: day.end, end: day.end + 86_400_000 };

  test('IAM state: every page read, throttling and 5xx retried, the diff names the privilege gained', async () => {
    const details = (body: string) => iamXml('GetAccountAuthorizationDetails', body);
    nock(AWS)
      .post('/', action('GetAccountAuthorizationDetails'))
      .reply(400, iamError('Throttling', 'Rate exceeded'));
    nock(AWS)
      .post('/', (b: Record<string, string>) => action('GetAccountAuthorizationDetails')(b) && !b.Marker)
      .reply(
        200,
        details(
          `<UserDetailList>${user('alice', [])}</UserDetailList><IsTruncated>true</IsTruncated><Marker>m1</Marker>`,
        ),
      );
    nock(AWS)
      .post('/', (b: Record<string, string>) => b.Marker === 'm1')
      .reply(503, iamError('ServiceUnavailable', 'try later'));
    nock(AWS)
      .post('/', (b: Record<string, string>) => b.Marker === 'm1')
      .reply(200, details(`<GroupDetailList>${group}</GroupDetailList><IsTruncated>false</IsTruncated>`));
    const client = awsClient(awsSection({ url: AWS }));
    const first = await collectAll(iamStateStream, day, client);
    expect(first.items.map((item) => item.key)).toEqual([
      `2026-01-10/${ACCOUNT}/user/alice`,
      `2026-01-10/${ACCOUNT}/group/admins`,
    ]);
    nock(AWS)
      .post('/', action('GetAccountAuthorizationDetails'))
      .reply(
        200,
        details(
          `<UserDetailList>${user('alice', ['admins'])}${user('carol', [])}</UserDetailList><GroupDetailList>${group}</GroupDetailList><IsTruncated>false</IsTruncated>`,
        ),
      );
    const second = await collectAll(iamStateStream, next, client, first.cursor);
    const changes = second.items
      .filter((item) => item.payload.kind === 'change')
      .map((item) => item.payload.kind === 'change' && item.payload.description);
    expect(changes).toEqual([
      'user alice was added to group admins',
      'user alice gained AdministratorAccess via group admins',
      'user carol appeared with no policies',
    ]);
  });

  test('IAM state: an account read and found empty is one quiet item saying so, and the next day diffs against it', async () => {
    const details = (body: string) => iamXml('GetAccountAuthorizationDetails', body);
    nock(AWS)
      .post('/', action('GetAccountAuthorizationDetails'))
      .reply(200, details('<IsTruncated>false</IsTruncated>'));
    const client = awsClient(awsSection({ url: AWS }));
    const first = await collectAll(iamStateStream, day, client);
    const read = `IAM of ${ACCOUNT} read: no users, groups, roles or customer managed policies`;
    expect(first.items).toEqual([
      {
        key: `2026-01-10/${ACCOUNT}/#empty`,
        occurredAt: day.start,
        quiet: true,
        payload: { kind: 'empty', account: ACCOUNT, day: '2026-01-10', description: read },
      },
    ]);
    const row = (iamStateStream.populationColumns ?? []).map((column) => column.value(first.items[0]!));
    expect(row).toEqual(['2026-01-10', ACCOUNT, 'empty', null, null, read]);
    nock(AWS)
      .post('/', action('GetAccountAuthorizationDetails'))
      .reply(
        200,
        details(`<UserDetailList>${user('carol', [])}</UserDetailList><IsTruncated>false</IsTruncated>`),
      );
    const second = await collectAll(iamStateStream, next, client, first.cursor);
    expect(second.items.map((item) => [item.key, item.quiet])).toEqual([
      [`2026-01-11/${ACCOUNT}/user/carol`, undefined],
      [`2026-01-11/${ACCOUNT}/change/user/carol/joiner/created`, undefined],
    ]);
  });

  test('IAM state: an invalid key is fatal with a clear code', async () => {
    nock(AWS)
      .post('/')
      .reply(403, iamError('InvalidClientTokenId', 'The security token included in the request is invalid.'));
    const error = await collectAll(iamStateStream, day, awsClient(awsSection({ url: AWS }))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'AWS_INVALID_CLIENT_TOKEN_ID', retry: 'fatal' });
  });

  test('credential report: in progress, expired, regenerated; every row parsed and flagged', async () => {
    const generate = (state: string) => iamXml('GenerateCredentialReport', `<State>${state}</State>`);
    const csv = [
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
      `<root_account>,arn:aws:iam::${ACCOUNT}:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
      `alice,arn:aws:iam::${ACCOUNT}:user/alice,2024-01-01T00:00:00+00:00,true,2026-01-09T00:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,true,true,2025-12-01T00:00:00+00:00,2026-01-09T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
      `carol,arn:aws:iam::${ACCOUNT}:user/carol,2024-01-01T00:00:00+00:00,true,2025-10-01T00:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,false,true,2025-06-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    ].join('\n');
    nock(AWS).post('/', action('GenerateCredentialReport')).reply(200, generate('STARTED'));
    nock(AWS).post('/', action('GenerateCredentialReport')).reply(200, generate('COMPLETE'));
    nock(AWS).post('/', action('GetCredentialReport')).reply(410, iamError('ReportExpired', 'expired'));
    nock(AWS).post('/', action('GenerateCredentialReport')).reply(200, generate('COMPLETE'));
    nock(AWS).post('/', action('GetCredentialReport')).reply(400, iamError('Throttling', 'Rate exceeded'));
    nock(AWS)
      .post('/', action('GetCredentialReport'))
      .reply(
        200,
        iamXml(
          'GetCredentialReport',
          `<Content>${Buffer.from(csv).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-01-10T06:00:00Z</GeneratedTime>`,
        ),
      );
    const { items } = await collectAll(credentialReportStream, day, awsClient(awsSection({ url: AWS })));
    const codes = await codesByKey(iamCredentials, credentialReportStream.id, items);
    const flags = Object.fromEntries(items.map((item) => [item.payload.user, codes.get(item.key) ?? []]));
    expect(flags).toEqual({
      '<root_account>': [],
      alice: [],
      carol: ['CONSOLE_USER_WITHOUT_MFA', 'CREDENTIAL_UNUSED', 'ACCESS_KEY_OLD', 'CREDENTIAL_UNUSED'],
    });
    expect(items.find((item) => item.payload.user === 'carol')?.payload.accessKeys[0]?.ageDays).toBe(223);
  });
});
