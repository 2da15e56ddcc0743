import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { logSamplesStream } from '../../connectors/aws/streams/log-samples.js';
import { HOUR } from '../../src/time.js';
import { fakeClock } from '../support/app.js';
import { freshStore } from '../support/stores.js';
import { dirCollector, storedPopulation } from './runner-support.js';
import { ACCOUNT } from './support.js';

const START = Date.UTC(2026, 0, 10, 12);

test('a directory export: layout and loose files, duplicates once, a malformed record counted as skipped', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-export-'));
  const folder = path.join(dir, `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/01/10`);
  mkdirSync(folder, { recursive: true });
  const event = (id: string, minute: number, extra: Record<string, unknown> = {}) => ({
    eventID: id,
    eventTime: new Date(START + minute * 60_000).toISOString(),
    eventName: 'DeleteUser',
    eventSource: 'iam.amazonaws.com',
    awsRegion: 'us-east-1',
    recipientAccountId: ACCOUNT,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice` },
    requestParameters: { userName: `leaver-${id}` },
    ...extra,
  });
  const file = (minute: string, records: unknown[], gz: boolean) =>
    writeFileSync(
      path.join(folder, `${ACCOUNT}_CloudTrail_us-east-1_20260110T${minute}Z_f.json${gz ? '.gz' : ''}`),
      gz ? gzipSync(JSON.stringify({ Records: records })) : JSON.stringify({ Records: records }),
    );
  file('1215', [event('a', 1), event('b', 10)], true);
  file(
    '1250',
    [
      event('b', 10),
      event('c', 45),
      { eventTime: new Date(START + 46 * 60_000).toISOString(), eventName: 'DeleteUser' },
      // Not an access change: skipped by name here, reported by the stream that counts every event.
      {
        eventTime: new Date(START + 47 * 60_000).toISOString(),
        eventName: 'DescribeInstances',
        eventSource: 'ec2.amazonaws.com',
      },
    ],
    false,
  );
  copyFileSync(
    new URL('../fixtures/aws/loose-export.json', import.meta.url),
    path.join(dir, 'loose-export.json'),
  );

  const { store } = await freshStore('sqlite');
  const collect = dirCollector(store, dir, fakeClock(START + 2 * HOUR));
  const window = { start: START, end: START + HOUR };
  const outcome = await collect(accessChangesStream as never, window);
  expect(outcome.status).toBe('succeeded');
  expect(outcome.counts).toMatchObject({ new: 4, skipped: 1 });
  const stored = await storedPopulation(store, accessChangesStream.id, window.start, window.end);
  expect(stored.map((item) => item.key).sort()).toEqual(['a', 'b', 'c', 'loose-1']);
  const rejects = await store.db.selectFrom('rejects').selectAll().execute();
  expect(rejects).toHaveLength(1);
  expect(rejects[0]?.reason).toBe('record has no eventID');
  expect(rejects[0]?.source).toContain('_20260110T1250Z_f.json record 2');
  expect(rejects[0]?.raw).toContain('DeleteUser');

  const samples = await collect(logSamplesStream as never, window);
  expect(samples.counts.skipped).toBe(2);
  const sampleRejects = await store.db
    .selectFrom('rejects')
    .select('source')
    .where('stream', '=', logSamplesStream.id)
    .execute();
  expect(sampleRejects.map((row) => row.source).sort()).toEqual([
    expect.stringContaining('_20260110T1250Z_f.json record 2'),
    expect.stringContaining('_20260110T1250Z_f.json record 3'),
  ]);
  await store.close();
});
