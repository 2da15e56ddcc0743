import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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
import { splitTrailFile, type FilterName } from '../../connectors/aws/trail-split.js';
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
// Records that compress as real ones do (some 5:1), so a file of them passes 1 MB gzipped and is streamed.
const bulky = (n: number) => record(n, { responseElements: { token: randomBytes(400).toString('base64') } });

/** Every batch of a split, as records, and how it ended. */
async function splitAll(
  bytes: Uint8Array,
  keep: ((raw: unknown) => boolean) | undefined,
  options: { skipBelow?: number; batchChars?: number; filter?: FilterName } = {},
) {
  const records: { raw: unknown; index: number; surrogateEscape: boolean }[] = [];
  const batches: number[] = [];
  const end = await splitTrailFile(bytes, {
    keep,
    ...options,
    emit: (batch) => {
      const raws = JSON.parse(batch.json) as unknown[];
      batches.push(batch.json.length);
      raws.forEach((raw, n) =>
        records.push({ raw, index: batch.indexes[n] as number, surrogateEscape: batch.escapes.includes(n) }),
      );
    },
  });
  return { end, records, batches };
}

describe('splitting a trail file a record at a time', () => {
  test('gives the records JSON.parse gives, in order, small and streamed, gzipped or not', async () => {
    for (const count of [1, 40, 12_000]) {
      const records = Array.from({ length: count }, (_, n) => record(n));
      const text = file(records);
      for (const bytes of [Buffer.from(text), gzipSync(text)]) {
        const split = await splitAll(bytes, undefined);
        expect(split.end).toEqual({ kind: 'end', recipients: { [ACCOUNT]: count } });
        expect(split.records.map((r) => r.raw)).toEqual(records);
        expect(split.records.map((r) => r.index)).toEqual(records.map((_, n) => n));
      }
    }
  });

  test('keeps only what the filter keeps, with each record’s position in the file', async () => {
    const records = Array.from({ length: 30 }, (_, n) => record(n));
    const split = await splitAll(gzipSync(file(records)), mayBeAccessChange);
    expect(split.records.map((r) => r.index)).toEqual(records.map((_, n) => n).filter((n) => n % 3 === 0));
  });

  test('judged on its top-level names without parsing, a record is kept exactly as when it is parsed', async () => {
    const iam = '"eventSource":"iam.amazonaws.com","eventName":"DeleteUser"';
    const texts = [
      `{${iam},"recipientAccountId":"${ACCOUNT}"}`,
      '{"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","recipientAccountId":"1"}',
      // Escaped names and values, repeated keys (the last counts), names that are not strings, nested ones.
      '{"event\\u0053ource":"iam.amazonaws.com","eventSource":"ec2.amazonaws.com","eventName":"DeleteUser"}',
      '{"eventSource":"iam.amazonaws.com","eventName":"Delete\\u0055ser"}',
      '{"eventSource":"iam.amazon\\"aws.com","eventName":"DeleteUser"}',
      `{"eventSource":"ec2.amazonaws.com",${iam}}`,
      `{${iam},"eventName":7}`,
      `{${iam},"eventName":{"eventName":"x"}}`,
      '{"eventSource":"ec2.amazonaws.com","requestParameters":{"eventSource":"iam.amazonaws.com","eventName":"DeleteUser"},"eventName":"RunInstances"}',
      `{"toString":"x","__proto__":"y",${iam},"recipientAccountId":{"id":"2"}}`,
      '{"recipientAccountId":"3","recipientAccountId":"4","eventName":"DeleteUser"}',
    ];
    const bytes = Buffer.from(`{"Records":[${texts.join(',')}]}`);
    const parsed = await splitAll(bytes, mayBeAccessChange);
    const judged = await splitAll(bytes, mayBeAccessChange, { filter: 'accessChange' });
    expect(judged.records.map((r) => r.index)).toEqual(parsed.records.map((r) => r.index));
    expect(judged.end).toEqual(parsed.end);
    expect(parsed.records.map((r) => r.index)).toEqual([0, 3, 5, 6, 7, 9, 10]);
  });

  test('a big file comes in bounded batches, each cut only once the one before was taken', async () => {
    const records = Array.from({ length: 20_000 }, (_, n) => bulky(n));
    const bytes = gzipSync(file(records));
    expect(bytes.byteLength).toBeGreaterThan(1024 * 1024); // streamed (above 256 KB), not inflated in one call
    let held: (() => void) | undefined;
    let emitted = 0;
    let largest = 0;
    let signal: (() => void) | undefined;
    const splitting = splitTrailFile(bytes, {
      keep: undefined,
      batchChars: 100_000,
      emit: (batch) => {
        emitted += 1;
        largest = Math.max(largest, batch.json.length);
        signal?.();
        return new Promise<void>((resolve) => (held = resolve));
      },
    });
    for (;;) {
      const emittedNow = new Promise<'batch'>((resolve) => (signal = () => resolve('batch')));
      if ((await Promise.race([emittedNow, splitting.then(() => 'end' as const)])) === 'end') break;
      const count = emitted;
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      // Nothing further is cut while the batch handed on is not taken.
      expect(emitted).toBe(count);
      held?.();
    }
    expect(await splitting).toMatchObject({ kind: 'end' });
    expect(emitted).toBeGreaterThan(10);
    // A batch ends after the record that passed the limit; one piece of text holds many records.
    expect(largest).toBeLessThan(100_000 + 256 * 1024);
  });

  test('a big file cut short gives its whole records before the cut, then fails; a read again skips them', async () => {
    const records = Array.from({ length: 20_000 }, (_, n) => bulky(n));
    const gz = gzipSync(file(records));
    const cut = await splitAll(gz.subarray(0, Math.floor(gz.length / 2)), undefined, { batchChars: 100_000 });
    expect(cut.end).toMatchObject({
      kind: 'failed',
      problem: expect.stringMatching(/unexpected end of file/i),
    });
    expect(cut.records.length).toBeGreaterThan(1000);
    expect(cut.records.map((r) => r.raw)).toEqual(records.slice(0, cut.records.length));
    const scanned = cut.end.kind === 'failed' ? cut.end.scanned : 0;
    expect(scanned).toBe(cut.records.length);
    const again = await splitAll(gz, undefined, { skipBelow: scanned });
    expect(again.end).toMatchObject({ kind: 'end' });
    expect([...cut.records, ...again.records].map((r) => r.raw)).toEqual(records);
  });

  test('a small file cut short is unreadable, whole; a file not laid out as CloudTrail writes it is read whole', async () => {
    const gz = gzipSync(file(Array.from({ length: 500 }, (_, n) => record(n))));
    const cut = await splitAll(gz.subarray(0, gz.length - 40), undefined);
    expect(cut.end).toMatchObject({ kind: 'failed' });
    expect(cut.records).toEqual([]);
    expect(
      (await splitAll(Buffer.from(file([record(1), record(2)]).slice(0, -30)), undefined)).end,
    ).toMatchObject({ kind: 'failed' });
    for (const text of [
      '{"Other":1,"Records":[]}',
      '{"Records":[1,{"a":1}]}',
      '{"Records":[{"a":1}],"more":2}',
    ])
      expect((await splitAll(Buffer.from(text), undefined)).end.kind).toBe('whole');
  });

  test('a lone surrogate escape is flagged on its record only', async () => {
    const text = `{"Records":[${JSON.stringify(record(1))},{"eventID":"bad","userAgent":"\\ud800"}]}`;
    const split = await splitAll(Buffer.from(text), undefined);
    expect(split.records.map((r) => r.surrogateEscape)).toEqual([false, true]);
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
  expect(outcome.error ?? outcome.status).toBe('succeeded');
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
