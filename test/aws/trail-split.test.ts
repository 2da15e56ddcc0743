import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { awsConfigSchema } from '../../connectors/aws/config.js';
import { createAwsClient } from '../../connectors/aws/client.js';
import { mayBeAccessChange } from '../../connectors/aws/events.js';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { splitTrailFile } from '../../connectors/aws/trail-split.js';
import { CollectionRunner } from '../../src/collection/runner.js';
import { LocalLimiter } from '../../src/limiter.js';
import { HOUR } from '../../src/time.js';
import { fakeClock } from '../support/app.js';
import { freshStore } from '../support/stores.js';
import { streamInstance } from './runner-support.js';
import { ACCOUNT, TEST_ENV } from './support.js';

const START = Date.UTC(2026, 0, 10, 12);

// Strings a naive splitter gets wrong: escaped quotes and backslashes, braces and brackets inside strings.
const record = (n: number, extra: Record<string, unknown> = {}) => ({
  eventID: `id-${n}`,
  eventTime: new Date(START + n * 1000).toISOString(),
  eventSource: n % 3 === 0 ? 'iam.amazonaws.com' : 'ec2.amazonaws.com',
  eventName: n % 3 === 0 ? 'DeleteUser' : 'DescribeInstances',
  awsRegion: 'us-east-1',
  recipientAccountId: ACCOUNT,
  userAgent: `agent "quoted" \\ back\\slash } { ] [ ${'x'.repeat(n % 50)}`,
  requestParameters: {
    filter: [{ name: 'a\\"b', values: ['{', '}', '[]'] }],
    nested: { deep: [[1, 2], []] },
  },
  ...extra,
});
const file = (records: unknown[]) => JSON.stringify({ Records: records });

describe('splitting a trail file a record at a time', () => {
  test('gives the records JSON.parse gives, in order, small and streamed, gzipped or not', async () => {
    for (const count of [1, 40, 12_000]) {
      const records = Array.from({ length: count }, (_, n) => record(n));
      const text = file(records);
      for (const bytes of [Buffer.from(text), gzipSync(text)]) {
        const split = await splitTrailFile(bytes, undefined);
        expect(split?.ok).toBe(true);
        if (!split?.ok) continue;
        expect(split.records.map((r) => r.raw)).toEqual(records);
        expect(split.records.map((r) => r.index)).toEqual(records.map((_, n) => n));
        expect(split.recipients).toEqual({ [ACCOUNT]: count });
      }
    }
  });

  test('keeps only what the filter keeps, with each record’s position in the file', async () => {
    const records = Array.from({ length: 30 }, (_, n) => record(n));
    const split = await splitTrailFile(gzipSync(file(records)), mayBeAccessChange);
    expect(split?.ok && split.records.map((r) => r.index)).toEqual(
      records.map((_, n) => n).filter((n) => n % 3 === 0),
    );
  });

  test('a file cut short is unreadable; a file not laid out as CloudTrail writes it is read whole', async () => {
    const gz = gzipSync(file(Array.from({ length: 500 }, (_, n) => record(n))));
    const cut = await splitTrailFile(gz.subarray(0, gz.length - 40), undefined);
    expect(cut).toMatchObject({ ok: false });
    expect(
      await splitTrailFile(Buffer.from(file([record(1), record(2)]).slice(0, -30)), undefined),
    ).toMatchObject({ ok: false });
    expect(await splitTrailFile(Buffer.from('{"Other":1,"Records":[]}'), undefined)).toBeUndefined();
    expect(await splitTrailFile(Buffer.from('{"Records":[1,{"a":1}]}'), undefined)).toBeUndefined();
    expect(await splitTrailFile(Buffer.from('{"Records":[{"a":1}],"more":2}'), undefined)).toBeUndefined();
  });

  test('a lone surrogate escape is flagged on its record only', async () => {
    const text = `{"Records":[${JSON.stringify(record(1))},{"eventID":"bad","userAgent":"\\ud800"}]}`;
    const split = await splitTrailFile(Buffer.from(text), undefined);
    expect(split?.ok && split.records.map((r) => r.surrogateEscape)).toEqual([false, true]);
  });
});

test('trail files whose records name another account: skipped, and a warning names both accounts', async () => {
  const OTHER = '210987654321';
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-mismatch-'));
  const folder = path.join(dir, `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/01/10`);
  mkdirSync(folder, { recursive: true });
  const records = Array.from({ length: 9 }, (_, n) =>
    record(n, {
      recipientAccountId: n < 6 ? OTHER : ACCOUNT,
      eventTime: new Date(START + n * 60_000).toISOString(),
    }),
  );
  writeFileSync(
    path.join(folder, `${ACCOUNT}_CloudTrail_us-east-1_20260110T1215Z_f.json.gz`),
    gzipSync(file(records)),
  );

  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const config = awsConfigSchema.parse({
    accounts: [{ id: ACCOUNT, regions: ['us-east-1'], cloudtrail: { source: 'dir', path: dir } }],
  });
  const { store } = await freshStore('sqlite');
  const runner = new CollectionRunner({
    store,
    logger,
    clock: fakeClock(START + 2 * HOUR),
    limiter: new LocalLimiter(),
    clients: async () => createAwsClient(config, TEST_ENV),
  });
  const outcome = await runner.collect({
    stream: streamInstance(accessChangesStream as never, config),
    window: { start: START, end: START + HOUR },
    trigger: 'backfill',
    attempt: 1,
  });
  expect(outcome.status).toBe('succeeded');
  // Only the configured account's own access changes (ids 6 of 6..8) are evidence.
  expect(outcome.counts.new).toBe(1);
  const warning = lines.find((line) => line.code === 'TRAIL_ACCOUNT_MISMATCH');
  expect(warning).toMatchObject({
    configuredAccount: ACCOUNT,
    recordAccounts: { [OTHER]: 6 },
    ownRecords: 3,
  });
  expect(String(warning?.msg)).toContain(ACCOUNT);
  expect(String(warning?.msg)).toContain(OTHER);
  await store.close();
});
