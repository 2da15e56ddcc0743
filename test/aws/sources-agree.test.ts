import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { logSamplesStream } from '../../connectors/aws/streams/log-samples.js';
import { securityEventsStream } from '../../connectors/aws/streams/security-events.js';
import { decodeTrailFile, deliveredAt } from '../../connectors/aws/trail-files.js';
import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';
import type { CollectedItem } from '../../src/stream.js';
import { DAY, HOUR } from '../../src/time.js';
import { fakeClock } from '../support/app.js';
import { dropStore, freshStore } from '../support/stores.js';
import { awsRunner, storedPopulation, streamInstance } from './runner-support.js';
import { awsClient, awsSection, collectAll } from './support.js';

const NOW = Date.UTC(2026, 2, 20, 18, 0);
let sandbox: AwsSandbox;
let dir: string;
const sections: Record<string, Record<string, unknown>> = {};
let window: { start: number; end: number };

beforeAll(async () => {
  sandbox = await startAwsSandbox({ seed: 11, now: NOW, days: 100 });
  dir = mkdtempSync(path.join(tmpdir(), 'ew-trail-'));
  await sandbox.writeTrailFiles(dir);
  const url = sandbox.url;
  sections.lookup = awsSection({ url, cloudtrail: { source: 'lookup' } });
  sections.s3 = awsSection({ url, cloudtrail: { source: 's3', bucket: sandbox.bucket } });
  sections.dir = awsSection({ url, cloudtrail: { source: 'dir', path: dir } });
  // 24 hours around the moment a leaver's MFA device was removed (an access change and a security event),
  // inside LookupEvents' 90 days.
  const removal = sandbox.groundTruth.events.find(
    (r) => r.eventName === 'DeactivateMFADevice' && Date.parse(r.eventTime) > NOW - 85 * DAY,
  );
  const start = Math.floor(Date.parse(String(removal?.eventTime)) / HOUR) * HOUR - 12 * HOUR;
  window = { start, end: start + DAY };
});
afterAll(() => sandbox?.stop());

const byKey = (items: CollectedItem<unknown>[]) => [...items].sort((a, b) => a.key.localeCompare(b.key));

test('LookupEvents, S3 trail files and a local directory give identical populations', async () => {
  const expected = sandbox.groundTruth.events.filter((r) => {
    const at = Date.parse(r.eventTime);
    return at >= window.start && at < window.end;
  });
  // The window edges are exact: an event on the start is in, one on the end is out.
  expect(expected.some((r) => Date.parse(r.eventTime) === window.start)).toBe(true);
  expect(sandbox.groundTruth.events.some((r) => Date.parse(r.eventTime) === window.end)).toBe(true);

  for (const stream of [accessChangesStream, securityEventsStream, logSamplesStream]) {
    const results: Record<string, CollectedItem<unknown>[]> = {};
    for (const source of ['lookup', 's3', 'dir']) {
      results[source] = byKey(
        (await collectAll(stream as never, window, awsClient(sections[source] as never))).items,
      );
    }
    expect(results.s3, stream.id).toEqual(results.lookup);
    expect(results.dir, stream.id).toEqual(results.lookup);
    expect(results.lookup?.length, stream.id).toBeGreaterThan(0);
    if (stream === accessChangesStream) {
      const want = sandbox.groundTruth.accessChanges.filter((c) =>
        expected.some((r) => r.eventID === c.eventId),
      );
      expect(results.lookup?.map((item) => item.key).sort()).toEqual(want.map((c) => c.eventId).sort());
    }
    if (stream === logSamplesStream) {
      const total = (results.lookup ?? []).reduce(
        (sum, item) => sum + (item.payload as { eventCount: number }).eventCount,
        0,
      );
      expect(total).toBe(expected.length);
    }
  }
});

test('the trail files read for the window repeat events, and each is counted once', async () => {
  const records: string[] = [];
  for (const file of sandbox.trailFiles()) {
    const at = deliveredAt(file.key) as number;
    if (at < window.start - 60_000 || at >= window.end + HOUR) continue;
    for (const record of (
      decodeTrailFile(file.key, file.body) as { Records: { eventID: string; eventTime: string }[] }
    ).Records) {
      const time = Date.parse(record.eventTime);
      if (time >= window.start && time < window.end) records.push(record.eventID);
    }
  }
  expect(records.length).toBeGreaterThan(new Set(records).size);
  const { items } = await collectAll(logSamplesStream as never, window, awsClient(sections.dir as never));
  const counted = items.reduce((sum, item) => sum + (item.payload as { eventCount: number }).eventCount, 0);
  expect(counted).toBe(new Set(records).size);
});

test('a window older than 90 days is unrecoverable through LookupEvents, readable from trail files', async () => {
  const { store } = await freshStore('sqlite');
  const clock = fakeClock(NOW);
  const old = { start: NOW - 95 * DAY, end: NOW - 95 * DAY + HOUR };
  const lookup = awsRunner(store, sections.lookup as never, clock);
  const lost = await lookup.runner.collect({
    stream: streamInstance(accessChangesStream as never, lookup.config),
    window: old,
    trigger: 'backfill',
    attempt: 1,
  });
  expect(lost.status).toBe('unrecoverable');
  const row = await store.db
    .selectFrom('runs')
    .selectAll()
    .where('id', '=', lost.runId)
    .executeTakeFirstOrThrow();
  expect(JSON.stringify(row)).toContain('CloudTrail LookupEvents keeps 90 days of management events');
  const files = awsRunner(store, sections.dir as never, clock);
  const read = await files.runner.collect({
    stream: streamInstance(accessChangesStream as never, files.config),
    window: old,
    trigger: 'backfill',
    attempt: 1,
  });
  expect(read.status).toBe('succeeded');
  await store.close();
});

test('PostgreSQL: access changes stored from LookupEvents equal those stored from the directory', async () => {
  const pg = await freshStore('postgres');
  const sqlite = await freshStore('sqlite');
  try {
    const clock = fakeClock(NOW);
    for (const [store, source] of [
      [pg.store, 'lookup'],
      [sqlite.store, 'dir'],
    ] as const) {
      const { runner, config } = awsRunner(store, sections[source] as never, clock);
      const outcome = await runner.collect({
        stream: streamInstance(accessChangesStream as never, config),
        window,
        trigger: 'backfill',
        attempt: 1,
      });
      expect(outcome.status, outcome.error?.message).toBe('succeeded');
    }
    const strip = (rows: Awaited<ReturnType<typeof storedPopulation>>) =>
      rows
        .map(({ key, occurredAt, payload }) => ({ key, occurredAt, payload }))
        .sort((a, b) => a.key.localeCompare(b.key));
    const fromPg = strip(await storedPopulation(pg.store, accessChangesStream.id, window.start, window.end));
    expect(fromPg.length).toBeGreaterThan(0);
    expect(fromPg).toEqual(
      strip(await storedPopulation(sqlite.store, accessChangesStream.id, window.start, window.end)),
    );
  } finally {
    await pg.store.close();
    await sqlite.store.close();
    await dropStore(pg.url);
  }
});
