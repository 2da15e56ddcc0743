import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { securityReasons } from '../../connectors/aws/events.js';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { logSamplesStream } from '../../connectors/aws/streams/log-samples.js';
import { securityEventsStream } from '../../connectors/aws/streams/security-events.js';
import { trailStatusStream } from '../../connectors/aws/streams/trail-status.js';
import { EvidenceError } from '../../src/errors.js';
import { HOUR } from '../../src/time.js';
import { ACCOUNT, awsClient, awsSection, collectAll } from './support.js';
import { accessChangeOutcome } from '../../checks/access-change-outcome.js';
import { trailConfiguration } from '../../checks/trail-configuration.js';
import { codesByKey } from '../support/memory-facts.js';

// Every AWS call here goes through the real SDK (signing, retries, parsing) to nock at the HTTP level.
const AWS = 'http://aws.test';
const START = Date.UTC(2026, 0, 10, 12);
const WINDOW = { start: START, end: START + HOUR };
const lookupClient = () => awsClient(awsSection({ url: AWS, regions: ['us-east-1'] }));

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const target = (operation: string) => (headers: Record<string, string | string[]>) =>
  String(headers['x-amz-target']).endsWith(`.${operation}`);

function record(id: string, at: number, name: string, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    eventID: id,
    eventTime: new Date(at).toISOString(),
    eventName: name,
    eventSource: 'iam.amazonaws.com',
    awsRegion: 'us-east-1',
    recipientAccountId: ACCOUNT,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice' },
    requestParameters: { userName: 'bob', groupName: 'admins' },
    responseElements: null,
    ...extra,
  };
}
const lookupPage = (records: ReturnType<typeof record>[], next?: string) => ({
  Events: records.map((r) => ({
    EventId: r.eventID,
    EventName: r.eventName,
    EventTime: Date.parse(r.eventTime) / 1000,
    CloudTrailEvent: JSON.stringify(r),
  })),
  ...(next ? { NextToken: next } : {}),
});
const jsonError = (type: string, message: string) => ({ __type: type, message });

describe('CloudTrail LookupEvents streams', () => {
  test('access changes: throttling retried, pages followed, window edges exact, failed calls kept', async () => {
    nock(AWS)
      .post('/', undefined, { reqheaders: { 'x-amz-target': (v) => v.endsWith('.LookupEvents') } })
      .reply(400, jsonError('ThrottlingException', 'Rate exceeded'));
    nock(AWS)
      .post(
        '/',
        (body: { StartTime: number; EndTime: number; NextToken?: string }) =>
          body.StartTime === START / 1000 && body.EndTime === (START + HOUR) / 1000 && !body.NextToken,
      )
      .reply(
        200,
        lookupPage(
          [
            record('e-end', START + HOUR, 'AddUserToGroup'),
            record('e-2', START + 30 * 60_000, 'AddUserToGroup'),
            record('read', START + 60_000, 'ListUsers'),
          ],
          'page-2',
        ),
      );
    nock(AWS)
      .post('/', (body: { NextToken?: string }) => body.NextToken === 'page-2')
      .reply(500, jsonError('InternalFailure', 'boom'));
    nock(AWS)
      .post('/', (body: { NextToken?: string }) => body.NextToken === 'page-2')
      .reply(
        200,
        lookupPage([
          record('e-1', START, 'AttachUserPolicy', {
            errorCode: 'AccessDenied',
            requestParameters: { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          }),
          record('e-1', START, 'AttachUserPolicy'),
        ]),
      );
    const { items } = await collectAll(accessChangesStream, WINDOW, lookupClient());
    expect(items.map((item) => item.key)).toEqual(['e-2', 'e-1']);
    expect(items[0]?.payload).toMatchObject({
      eventName: 'AddUserToGroup',
      actor: `arn:aws:iam::${ACCOUNT}:user/alice`,
      target: 'user:bob group:admins',
      effective: true,
    });
    expect(items[1]?.payload).toMatchObject({
      effective: false,
      errorCode: 'AccessDenied',
      target: 'user:bob policy:arn:aws:iam::aws:policy/AdministratorAccess',
    });
    const codes = await codesByKey(accessChangeOutcome, accessChangesStream.id, items);
    expect(codes.get(items[1]!.key)).toEqual(['ACCESS_CHANGE_FAILED']);
  });

  test('a revoked key is fatal with a clear code', async () => {
    nock(AWS)
      .post('/')
      .reply(
        400,
        jsonError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
      );
    const error = await collectAll(accessChangesStream, WINDOW, lookupClient()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvidenceError);
    expect(error).toMatchObject({ code: 'AWS_UNRECOGNIZED_CLIENT', retry: 'fatal' });
  });

  test('persistent throttling ends the window as retriable, never as empty', async () => {
    nock(AWS).post('/').times(4).reply(400, jsonError('ThrottlingException', 'Rate exceeded'));
    const error = await collectAll(accessChangesStream, WINDOW, lookupClient()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retry: 'retriable' });
  });

  test('security events and log samples: root use, failed sign-in, StopLogging; a silent hour is quiet', async () => {
    const signin = {
      eventSource: 'signin.amazonaws.com',
      eventType: 'AwsConsoleSignIn',
      requestParameters: null,
    };
    const events = [
      record('root', START + 5 * 60_000, 'ConsoleLogin', {
        ...signin,
        userIdentity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` },
        responseElements: { ConsoleLogin: 'Success' },
        additionalEventData: { MFAUsed: 'Yes' },
      }),
      record('fail', START + 6 * 60_000, 'ConsoleLogin', {
        ...signin,
        responseElements: { ConsoleLogin: 'Failure' },
        errorMessage: 'Failed authentication',
      }),
      record('nomfa', START + 7 * 60_000, 'ConsoleLogin', {
        ...signin,
        responseElements: { ConsoleLogin: 'Success' },
        additionalEventData: { MFAUsed: 'No' },
      }),
      record('stop', START + 8 * 60_000, 'StopLogging', {
        eventSource: 'cloudtrail.amazonaws.com',
        requestParameters: { name: 'main' },
      }),
      record('stop-try', START + 9 * 60_000, 'StopLogging', {
        eventSource: 'cloudtrail.amazonaws.com',
        errorCode: 'AccessDenied',
      }),
      record('plain', START + 10 * 60_000, 'ListUsers'),
    ];
    nock(AWS).post('/').reply(200, lookupPage(events));
    const security = await collectAll(securityEventsStream, WINDOW, lookupClient());
    expect(
      security.items.map((item) => [
        item.key,
        securityReasons(item.payload)
          .map((reason) => reason.code)
          .join(','),
      ]),
    ).toEqual([
      ['root', 'ROOT_ACCOUNT_USED'],
      ['fail', 'CONSOLE_LOGIN_FAILED'],
      ['nomfa', 'CONSOLE_LOGIN_WITHOUT_MFA'],
      ['stop', 'LOGGING_STOPPED'],
      ['stop-try', 'LOGGING_STOPPED_ATTEMPT'],
    ]);
    nock(AWS).post('/').reply(200, lookupPage(events));
    const twoHours = { start: START, end: START + 2 * HOUR };
    const samples = await collectAll(logSamplesStream, twoHours, lookupClient());
    expect(samples.items.map((item) => [item.key, item.payload.eventCount, item.quiet ?? false])).toEqual([
      [`${ACCOUNT}/us-east-1/2026-01-10T12:00:00.000Z`, 6, false],
      [`${ACCOUNT}/us-east-1/2026-01-10T13:00:00.000Z`, 0, true],
    ]);
  });
});

describe('trail status and trail files in S3', () => {
  test('trail status: 5xx retried, logging off and missing validation flagged; AccessDenied fatal', async () => {
    const trail = {
      Name: 'main',
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
      HomeRegion: 'us-east-1',
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: false,
    };
    nock(AWS)
      .post('/', undefined, { reqheaders: { 'x-amz-target': target('DescribeTrails') as never } })
      .reply(503, jsonError('ServiceUnavailable', 'later'));
    nock(AWS)
      .post('/', undefined, { reqheaders: { 'x-amz-target': target('DescribeTrails') as never } })
      .reply(200, { trailList: [trail] });
    nock(AWS)
      .post('/', (b: { Name?: string }) => b.Name === trail.TrailARN)
      .reply(200, { IsLogging: false, LatestDeliveryTime: START / 1000, StopLoggingTime: START / 1000 });
    const { items } = await collectAll(trailStatusStream, WINDOW, lookupClient());
    const codes = await codesByKey(trailConfiguration, trailStatusStream.id, items);
    expect(codes.get(items[0]!.key)).toEqual(['LOGGING_OFF', 'LOG_FILE_VALIDATION_OFF']);
    expect(items[0]?.payload).toMatchObject({
      isLogging: false,
      multiRegion: true,
      latestDeliveryTime: new Date(START).toISOString(),
    });
    nock(AWS).post('/').reply(400, jsonError('AccessDeniedException', 'not authorized'));
    const error = await collectAll(trailStatusStream, WINDOW, lookupClient()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AWS_ACCESS_DENIED', retry: 'fatal' });
  });

  test('S3 source: listing pages followed, SlowDown retried, duplicates across files removed', async () => {
    const s3Client = () =>
      awsClient(
        awsSection({
          url: AWS,
          regions: ['us-east-1'],
          cloudtrail: { source: 's3', bucket: 'trail', prefix: 'org' },
        }),
      );
    const folder = `org/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/01/10/`;
    const key = (minute: string) => `${folder}${ACCOUNT}_CloudTrail_us-east-1_20260110T${minute}Z_x.json.gz`;
    const list = (keys: string[], token?: string) =>
      `<ListBucketResult><Name>trail</Name>${keys.map((k) => `<Contents><Key>${k}</Key></Contents>`).join('')}<IsTruncated>${token ? 'true' : 'false'}</IsTruncated>${token ? `<NextContinuationToken>${token}</NextContinuationToken>` : ''}</ListBucketResult>`;
    const file = (records: unknown[]) => gzipSync(JSON.stringify({ Records: records }));
    const a = record('a', START + 60_000, 'CreateUser');
    const b = record('b', START + 20 * 60_000, 'DeleteUser');
    nock(AWS)
      .get('/trail/')
      .query((q) => q.prefix === folder && !q['continuation-token'])
      .reply(503, '<Error><Code>SlowDown</Code><Message>slow</Message></Error>');
    nock(AWS)
      .get('/trail/')
      .query((q) => q.prefix === folder && !q['continuation-token'])
      .reply(200, list([key('1210'), key('1230')], 't2'));
    nock(AWS)
      .get('/trail/')
      .query((q) => q['continuation-token'] === 't2')
      .reply(200, list([key('1305'), key('1410')]));
    nock(AWS)
      .get(`/trail/${key('1210')}`)
      .query(true)
      .reply(200, file([record('old', START - 5 * 60_000, 'CreateUser'), a]));
    nock(AWS)
      .get(`/trail/${key('1230')}`)
      .query(true)
      .reply(200, file([a, b]));
    nock(AWS)
      .get(`/trail/${key('1305')}`)
      .query(true)
      .reply(200, file([b, record('late', START + HOUR, 'CreateUser')]));
    // 14:10 is more than an hour after the window: never fetched.
    const { items } = await collectAll(accessChangesStream, WINDOW, s3Client());
    expect(items.map((item) => item.key)).toEqual(['a', 'b']);
    nock(AWS)
      .get('/trail/')
      .query(true)
      .reply(403, '<Error><Code>InvalidAccessKeyId</Code><Message>no such key</Message></Error>');
    const error = await collectAll(accessChangesStream, WINDOW, s3Client()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AWS_INVALID_ACCESS_KEY_ID', retry: 'fatal' });
  });
  test("S3 source: an organisation trail's layout, AWSLogs/<organisation id>/<account>/", async () => {
    const orgClient = () =>
      awsClient(
        awsSection({
          url: AWS,
          regions: ['us-east-1'],
          cloudtrail: { source: 's3', bucket: 'trail', organizationId: 'o-a1b2c3d4e5' },
        }),
      );
    const folder = `AWSLogs/o-a1b2c3d4e5/${ACCOUNT}/CloudTrail/us-east-1/2026/01/10/`;
    const key = `${folder}${ACCOUNT}_CloudTrail_us-east-1_20260110T1215Z_x.json.gz`;
    nock(AWS)
      .get('/trail/')
      .query((q) => q.prefix === folder)
      .reply(
        200,
        `<ListBucketResult><Name>trail</Name><Contents><Key>${key}</Key></Contents><IsTruncated>false</IsTruncated></ListBucketResult>`,
      );
    nock(AWS)
      .get(`/trail/${key}`)
      .query(true)
      .reply(200, gzipSync(JSON.stringify({ Records: [record('org', START + 60_000, 'CreateUser')] })));
    const { items } = await collectAll(accessChangesStream, WINDOW, orgClient());
    expect(items.map((item) => item.key)).toEqual(['org']);
    expect(() =>
      awsClient(awsSection({ cloudtrail: { source: 's3', bucket: 'trail', organizationId: 'acme' } })),
    ).toThrow(/expected an AWS Organizations id like/);
  });
});
