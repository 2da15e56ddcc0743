import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { signingString } from '../../connectors/aws/digests/signing.js';
import { cloudtrailDigestsStream, type DigestItem } from '../../connectors/aws/streams/cloudtrail-digests.js';
import { HOUR } from '../../src/time.js';
import { fakeClock } from '../support/app.js';
import { freshStore } from '../support/stores.js';
import { awsRunner, storedPopulation, streamInstance } from './runner-support.js';
import { ACCOUNT, awsClient, awsSection, collectAll } from './support.js';

/**
 * A digest in the format AWS documents ("CloudTrail digest file structure"), signed in the test with a
 * generated RSA key as the AWS CLI's own tests do, read from a directory copy of the bucket with
 * ListPublicKeys answered at the HTTP level.
 */
const AWS = 'http://aws.test';
const BUCKET = 'amzn-s3-demo-bucket';
const REGION = 'us-east-2';
const WINDOW = { start: Date.UTC(2015, 7, 17, 14), end: Date.UTC(2015, 7, 17, 14) + HOUR };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const der = publicKey.export({ format: 'der', type: 'pkcs1' });
const fingerprint = createHash('md5').update(der).digest('hex');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const digestKey = (stamp: string) =>
  `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/2015/08/17/${ACCOUNT}_CloudTrail-Digest_${REGION}_your-trail-name_${REGION}_${stamp}.json.gz`;

function writeDigest(dir: string, key: string, body: Record<string, unknown>, signature?: string) {
  const json = Buffer.from(JSON.stringify(body, null, 2));
  const toSign = signingString(body as never, json);
  const value = signature ?? sign('sha256', Buffer.from(toSign), privateKey).toString('hex');
  const file = path.join(dir, key);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, gzipSync(json));
  writeFileSync(
    `${file}.metadata.json`,
    JSON.stringify({ signature: value, 'signature-algorithm': 'SHA256withRSA' }),
  );
  return { hash: sha256(json), signature: value, toSign };
}

/** The previous digest, the documented sample digest chained to it, and the log file it lists. */
function bucketCopy(options: { badSignature?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-digest-fixture-'));
  const logKey = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2015/08/17/${ACCOUNT}_CloudTrail_${REGION}_20150817T1445Z_UgXsyU7s4jkPy0Fs.json.gz`;
  const log = Buffer.from(
    JSON.stringify({ Records: [{ eventID: 'e1', eventTime: '2015-08-17T14:42:27Z' }] }),
  );
  mkdirSync(path.dirname(path.join(dir, logKey)), { recursive: true });
  writeFileSync(path.join(dir, logKey), gzipSync(log));
  const previousKey = digestKey('20150817T140131Z');
  const previous = writeDigest(dir, previousKey, {
    awsAccountId: ACCOUNT,
    digestStartTime: '2015-08-17T13:01:31Z',
    digestEndTime: '2015-08-17T14:01:31Z',
    digestS3Bucket: BUCKET,
    digestS3Object: previousKey,
    digestPublicKeyFingerprint: fingerprint,
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: null,
    oldestEventTime: null,
    previousDigestS3Bucket: null,
    previousDigestS3Object: null,
    previousDigestHashValue: null,
    previousDigestHashAlgorithm: null,
    previousDigestSignature: null,
    logFiles: [],
  });
  const key = digestKey('20150817T150131Z');
  const sample = writeDigest(
    dir,
    key,
    {
      awsAccountId: ACCOUNT,
      digestStartTime: '2015-08-17T14:01:31Z',
      digestEndTime: '2015-08-17T15:01:31Z',
      digestS3Bucket: BUCKET,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: '2015-08-17T14:52:27Z',
      oldestEventTime: '2015-08-17T14:42:27Z',
      previousDigestS3Bucket: BUCKET,
      previousDigestS3Object: previousKey,
      previousDigestHashValue: previous.hash,
      previousDigestHashAlgorithm: 'SHA-256',
      previousDigestSignature: previous.signature,
      logFiles: [
        {
          s3Bucket: BUCKET,
          s3Object: logKey,
          hashValue: sha256(log),
          hashAlgorithm: 'SHA-256',
          newestEventTime: '2015-08-17T14:52:27Z',
          oldestEventTime: '2015-08-17T14:42:27Z',
        },
      ],
    },
    options.badSignature ? 'ab'.repeat(256) : undefined,
  );
  return { dir, key, logKey, previous, sample };
}

/** ListPublicKeys as CloudTrail answers it (JSON protocol; the blob carries base64 text of the DER). */
function publicKeys(value: string) {
  nock(AWS)
    .post('/', undefined, { reqheaders: { 'x-amz-target': (v) => v.endsWith('.ListPublicKeys') } })
    .reply(
      200,
      {
        PublicKeyList: [
          {
            Value: value,
            ValidityStartTime: 1439000000,
            ValidityEndTime: 1441000000,
            Fingerprint: fingerprint,
          },
        ],
      },
      { 'content-type': 'application/x-amz-json-1.1' },
    );
}

async function collect(dir: string) {
  const client = awsClient(
    awsSection({ url: AWS, regions: [REGION], cloudtrail: { source: 'dir', path: dir } }),
  );
  const { items } = await collectAll(cloudtrailDigestsStream, WINDOW, client);
  return items.map((item) => item.payload as DigestItem);
}

test('the signing string is the one validate-logs rebuilds', () => {
  const { key, previous, sample } = bucketCopy();
  expect(sample.toSign.split('\n')).toEqual([
    '2015-08-17T15:01:31Z',
    `${BUCKET}/${key}`,
    sample.hash,
    previous.signature,
  ]);
  expect(previous.toSign.endsWith('\nnull')).toBe(true);
});

test.each([
  [
    'base64 text of the DER (as the AWS CLI decodes it)',
    Buffer.from(der.toString('base64')).toString('base64'),
  ],
  ['the DER itself', der.toString('base64')],
])('a documented digest verifies: key given as %s', async (_, value) => {
  const { dir, key, logKey, previous } = bucketCopy();
  publicKeys(value);
  const items = await collect(dir);
  const digest = items.find((item) => item.kind === 'digest');
  expect(digest).toMatchObject({
    kind: 'digest',
    foundKey: key,
    digestStartTime: '2015-08-17T14:01:31Z',
    signature: { verified: true, publicKeyFound: true, algorithm: 'SHA256withRSA', problem: null },
    previousDigest: { found: true, sha256: previous.hash, signature: previous.signature },
    logFiles: [{ s3Object: logKey, found: true, readProblem: null }],
  });
  if (digest?.kind !== 'digest') throw new Error('no digest');
  expect(digest.logFiles[0]?.foundSha256).toBe(digest.logFiles[0]?.hashValue);
  const hour = items.find((item) => item.kind === 'hour' && item.region === REGION);
  expect(hour?.logFiles).toEqual([{ key: logKey, deliveredAt: '2015-08-17T14:45:00.000Z' }]);
});

test("a signature that is not the key holder's does not verify", async () => {
  const { dir } = bucketCopy({ badSignature: true });
  publicKeys(der.toString('base64'));
  const digest = (await collect(dir)).find((item) => item.kind === 'digest');
  expect(digest).toMatchObject({ signature: { verified: false, publicKeyFound: true } });
});

test('a digest that is not gzip is rejected as a file with its reason; the window goes on, partial', async () => {
  const { dir, key } = bucketCopy();
  const corrupt = digestKey('20150817T143000Z');
  writeFileSync(path.join(dir, corrupt), 'not a digest');
  publicKeys(der.toString('base64'));
  const { store } = await freshStore('sqlite');
  const { runner, config } = awsRunner(
    store,
    awsSection({ url: AWS, regions: [REGION], cloudtrail: { source: 'dir', path: dir } }),
    fakeClock(WINDOW.end + 3 * HOUR),
  );
  const outcome = await runner.collect({
    stream: streamInstance(cloudtrailDigestsStream as never, config),
    window: WINDOW,
    trigger: 'backfill',
    attempt: 1,
  });
  // Partial until the file reads: continuity shows the window as a recoverable gap.
  expect(outcome.status).toBe('partial');
  const stored = await storedPopulation(store, cloudtrailDigestsStream.id, WINDOW.start, WINDOW.end);
  expect(stored.map((item) => item.key)).toContain(`digest/${key}`);
  const rejects = await store.db.selectFrom('rejects').selectAll().execute();
  expect(rejects).toHaveLength(1);
  expect(JSON.stringify(rejects[0])).toContain('digest is not gzip');
  expect(JSON.stringify(rejects[0])).toContain(corrupt);
});
