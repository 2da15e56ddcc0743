import { afterEach, describe, expect, it } from 'vitest';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { CollectProducer } from '../../src/collection/collect-producer.js';
import { createRedis } from '../../src/queue/redis.js';
import { startService, type RunningService } from '../../src/service.js';
import { DAY, gridWindows, HOUR } from '../../src/time.js';
import { checker, collectHistory, openHarness, succeeded, waitFor, type Harness } from './harness.js';

const TODAY = Date.UTC(2026, 6, 1);
const STREAM = 'fakesrc-trail';
const days = gridWindows(TODAY - 120 * DAY, TODAY, DAY);
const OLD = days[20]!; // 100 days ago: past LookupEvents' 90 days
const RECENT = days[110]!;

describe('a gap older than 90 days', () => {
  let harness: Harness | undefined;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    await harness?.close();
    service = undefined;
  });

  // PostgreSQL once: seeding 118 days through the runner is the slow part there.
  it.each([
    ['sqlite', 'lookup'],
    ['sqlite', 's3'],
    ['postgres', 'lookup'],
  ] as const)('on %s from a %s source', async (kind, source) => {
    harness = await openHarness(kind, {
      start: TODAY + HOUR,
      source,
      raw: {
        audit: { start: '2026-03-03' },
        streams: { 'fakesrc-changes': { enabled: false }, 'fakesrc-logs': { enabled: false } },
      },
    });
    const { app, store } = harness;
    await collectHistory(
      harness,
      STREAM,
      days.filter((day) => day !== OLD && day !== RECENT),
    );
    const connection = createRedis(app.config.redis.url);
    const producer = new CollectProducer(connection, app.config);
    service = await startService(app, 'worker');

    const result = await checker(app, store, producer)();
    const repaired = source === 'lookup' ? [RECENT] : [OLD, RECENT];
    expect(result.repair).toEqual({ enqueued: repaired.length, findings: source === 'lookup' ? 1 : 0 });
    await waitFor(async () => (await succeeded(store, STREAM)).size === 118 + repaired.length, 'the repair');

    const report = await buildContinuityReport(
      store,
      app.registry,
      { start: TODAY - 120 * DAY, end: TODAY },
      harness.clock.now,
      { streams: [STREAM] },
    );
    const entry = report.streams[0]!;
    if (source === 'lookup') {
      // Unrecoverable: recorded as a finding in the ledger, with the retention's reason.
      expect(entry.gaps).toEqual([
        {
          ...OLD,
          cause: 'unrecoverable',
          errorCode: 'SOURCE_RETENTION_EXCEEDED',
          recoverable: false,
          reason: 'the source no longer holds it: CloudTrail LookupEvents keeps 90 days of management events',
        },
      ]);
      const finding = await store.db
        .selectFrom('runs')
        .selectAll()
        .where('status', '=', 'unrecoverable')
        .executeTakeFirstOrThrow();
      expect(finding).toMatchObject({
        window_start: OLD.start,
        trigger: 'repair',
        error_code: 'SOURCE_RETENTION_EXCEEDED',
      });
      expect(report.complete).toBe(false);
    } else {
      expect(entry.gaps).toEqual([]);
      expect(report.complete).toBe(true);
    }
    // A second check finds nothing left to do.
    expect((await checker(app, store, producer)()).repair).toEqual({ enqueued: 0, findings: 0 });
    await producer.close();
    connection.disconnect();
  });
});
