import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { mayBeAccessChange } from '../../connectors/aws/events.js';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { splitTrailFile } from '../../connectors/aws/trail-split.js';
import { HOUR } from '../../src/time.js';
import { fakeClock } from '../support/app.js';
import { freshStore } from '../support/stores.js';
import { dirCollector, storedPopulation } from './runner-support.js';
import { ACCOUNT } from './support.js';

const START = Date.UTC(2026, 0, 10, 12);
const COUNT = 4000;
/** The record in the middle that is malformed (an access change without an eventID). */
const BROKEN = 7 * 286;

// One big trail file, as CloudTrail writes it: some 2 MB of records that compress poorly (so it is well
// over the size inflated in one call, and inflated in many pieces), of varied lengths so piece boundaries
// fall in every part of a record, with escapes and multi-byte UTF-8 on both sides of them.
const isWrite = (n: number) => n % 7 === 0;
const userName = (n: number) => `leaver-${n}-日本é🙂-"q"`;
function record(n: number): Record<string, unknown> {
  const pad = Array.from({ length: 1 + (n % 17) }, (_, k) =>
    createHash('sha256').update(`${n}:${k}`).digest('base64'),
  ).join('');
  const common = {
    eventTime: new Date(START + n * 500).toISOString(),
    awsRegion: 'us-east-1',
    recipientAccountId: ACCOUNT,
    userAgent: `agent "quoted" \\ } { ] [ ${'é'.repeat(n % 5)} ${pad}`,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice` },
  };
  if (!isWrite(n))
    return {
      eventID: `read-${n}`,
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      ...common,
    };
  return {
    ...(n === BROKEN ? {} : { eventID: `w-${n}` }),
    eventSource: 'iam.amazonaws.com',
    eventName: 'DeleteUser',
    ...common,
    requestParameters: { userName: userName(n) },
  };
}

function bigFile(dir: string, minute: string, cut?: (gz: Buffer) => Buffer): string {
  const folder = path.join(dir, `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/01/10`);
  mkdirSync(folder, { recursive: true });
  const where = path.join(folder, `${ACCOUNT}_CloudTrail_us-east-1_20260110T${minute}Z_big.json.gz`);
  const records = Array.from({ length: COUNT }, (_, n) => record(n));
  const gz = gzipSync(JSON.stringify({ Records: records }));
  expect(gz.byteLength).toBeGreaterThan(2 ** 20);
  writeFileSync(where, cut ? cut(gz) : gz);
  return where;
}

async function collectDir(dir: string) {
  const { store } = await freshStore('sqlite');
  const collect = dirCollector(store, dir, fakeClock(START + 2 * HOUR));
  const window = { start: START, end: START + HOUR };
  const outcome = await collect(accessChangesStream as never, window);
  const stored = await storedPopulation(store, accessChangesStream.id, window.start, window.end);
  const rejects = await store.db.selectFrom('rejects').selectAll().execute();
  return { store, outcome, stored, rejects };
}

const writes = Array.from({ length: COUNT }, (_, n) => n).filter((n) => isWrite(n) && n !== BROKEN);

test('a big file read in many pieces: every record exactly, a malformed one rejected with its index', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-bigfile-'));
  const file = bigFile(dir, '1215');
  const { store, outcome, stored, rejects } = await collectDir(dir);

  expect(outcome.error ?? outcome.status).toBe('succeeded');
  expect(outcome.counts).toMatchObject({ new: writes.length, skipped: 1 });
  expect(stored.map((item) => item.key).sort()).toEqual(writes.map((n) => `w-${n}`).sort());
  // Text on both sides of every piece boundary decodes as written.
  for (const item of stored) {
    const n = Number(item.key.slice(2));
    expect(item.payload.target).toBe(`user:${userName(n)}`);
  }
  expect(rejects).toHaveLength(1);
  expect(rejects[0]).toMatchObject({ kind: 'record', reason: 'record has no eventID' });
  expect(rejects[0]?.source).toBe(`${file} record ${BROKEN}`);
  expect(rejects[0]?.raw).toContain(userName(BROKEN).replace(/"/g, '\\"'));
  await store.close();
});

test('a big file cut short: the whole records before the cut are kept, the file rejected, the window partial', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-bigcut-'));
  const file = bigFile(dir, '1215', (gz) => gz.subarray(0, Math.floor(gz.length * 0.3)));
  const { store, outcome, stored, rejects } = await collectDir(dir);

  expect(outcome.error).toBeUndefined();
  expect(outcome.status).toBe('partial');
  const keys = stored.map((item) => item.key).sort();
  // A prefix of the file's writes, none of them twice (the reads again hand on only what follows).
  expect(keys.length).toBeGreaterThan(50);
  expect(keys.length).toBeLessThan(writes.length / 2);
  expect(keys).toEqual(
    writes
      .slice(0, keys.length)
      .map((n) => `w-${n}`)
      .sort(),
  );
  expect(rejects.map((row) => [row.kind, row.source])).toEqual([['file', file]]);
  expect(rejects[0]?.reason).toMatch(/trail file unreadable: unexpected end of file/i);
  await store.close();
});

test('a big file with a record that is not JSON part way: the records before it, then the read fails', async () => {
  const records = Array.from({ length: COUNT }, (_, n) => JSON.stringify(record(n)));
  // Cut as a record (its braces balance) but not JSON: the kept records parse alone, so this one fails.
  records[BROKEN] = records[BROKEN]!.replace('"eventSource"', 'eventSource');
  const gz = gzipSync(`{"Records":[${records.join(',')}]}`);
  const kept: number[] = [];
  const end = await splitTrailFile(gz, {
    keep: mayBeAccessChange,
    filter: 'accessChange',
    batchChars: 20_000,
    emit: (batch) => void kept.push(...batch.indexes),
  });
  expect(end).toMatchObject({ kind: 'failed', problem: expect.stringMatching(/JSON/), scanned: BROKEN + 1 });
  expect(kept).toEqual(writes.filter((n) => n < BROKEN));
});
