import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { continuityServicePart, type ContinuityPart } from '../../src/continuity/service-part.js';
import { Planner } from '../../src/collection/planner.js';
import { CollectProducer } from '../../src/collection/collect-producer.js';
import { createRedis } from '../../src/queue/redis.js';
import { servicePartFactories, startService } from '../../src/service.js';
import { HOUR } from '../../src/time.js';
import { checker, openHarness, succeeded, waitFor, type Harness } from './harness.js';
import { WebhookReceiver } from './webhook-receiver.js';

const T0 = Date.UTC(2026, 2, 1);
const STREAM = 'fakesrc-changes';
const parts: ContinuityPart[] = [];
// The product registers the part in registerServiceParts (with the HTTP part); here only the checker runs.
servicePartFactories.push((app, context) => {
  const part = continuityServicePart(app, context) as ContinuityPart;
  parts.push(part);
  return part;
});

describe('worker stopped for six hours (SQLite, real Redis and BullMQ)', () => {
  let harness: Harness;
  const webhook = new WebhookReceiver();
  beforeAll(async () => {
    await webhook.start();
    harness = await openHarness('sqlite', {
      start: T0 + 3 * HOUR + 60_000,
      raw: {
        audit: { start: '2026-03-01' },
        streams: { 'fakesrc-logs': { enabled: false }, 'fakesrc-trail': { enabled: false } },
        alerts: { webhook: { url: webhook.url, format: 'json' } },
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await webhook.stop();
  });

  it('reports one 6h never-attempted gap, alerts once, repairs after restart and closes with a recovery', async () => {
    const { app, store, clock } = harness;
    const connection = createRedis(app.config.redis.url);
    const producer = new CollectProducer(connection, app.config);
    const planner = new Planner({
      store,
      registry: app.registry,
      producer,
      config: app.config,
      clock: clock.read,
      logger: app.logger,
    });

    // Three hours collected normally.
    await planner.tick();
    let service = await startService(app, 'worker');
    await waitFor(async () => (await succeeded(store, STREAM)).size === 3, 'the first three hours');
    await service.stop();

    // The worker is down for six hours; the checker's cron fires meanwhile.
    // (19 minutes past the hour: the last missed window has been due longer than the repair's grace.)
    clock.advance(6 * HOUR + 18 * 60_000);
    const outage = await checker(app, store, producer)();
    expect(outage.findings.map((finding) => finding.kind)).toEqual(['stopped']);
    const during = await buildContinuityReport(
      store,
      app.registry,
      { start: T0, end: T0 + 9 * HOUR },
      clock.now,
    );
    expect(during.complete).toBe(false);
    expect(during.streams[0]!.gaps).toEqual([
      expect.objectContaining({
        start: T0 + 3 * HOUR,
        end: T0 + 9 * HOUR,
        cause: 'never_attempted',
        recoverable: true,
      }),
    ]);
    expect(webhook.received).toEqual([
      expect.objectContaining({
        event: 'alert.opened',
        alert: expect.objectContaining({ stream: STREAM, kind: 'stopped' }),
      }),
    ]);

    // Restart (a new process over the same store and Redis): its start-up check must not notify again.
    const restarted = await harness.reopen();
    service = await startService(restarted, 'worker');
    await waitFor(async () => (await succeeded(store, STREAM)).size === 9, 'the six missed hours repaired');
    const repairs = await store.db
      .selectFrom('runs')
      .select('window_start')
      .where('trigger', '=', 'repair')
      .where('status', '=', 'succeeded')
      .execute();
    expect(repairs.map((run) => run.window_start).sort()).toEqual(
      [3, 4, 5, 6, 7, 8].map((hour) => T0 + hour * HOUR),
    );
    expect(webhook.received).toHaveLength(1);

    clock.advance(20 * 60_000);
    const after = await parts[parts.length - 1]!.check();
    expect(after?.findings).toEqual([]);
    const report = await buildContinuityReport(
      store,
      restarted.registry,
      { start: T0, end: T0 + 9 * HOUR },
      clock.now,
    );
    expect(report.complete).toBe(true);
    expect(report.streams[0]!.gaps).toEqual([]);
    expect(webhook.received.map((body) => body.event)).toEqual(['alert.opened', 'alert.recovered']);
    expect(String(webhook.received[1]!.text)).toMatch(/RECOVERED, fakesrc-changes runs again/);
    const alerts = await store.db.selectFrom('alerts').selectAll().execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'stopped', status: 'closed', closed_at: clock.now });
    // The webhook URL is a secret: no log line carries it.
    expect(JSON.stringify(harness.logs.lines)).not.toContain('SECRETxTOKEN');
    expect(harness.logs.messages().filter((message) => message.includes('is STOPPED'))).toHaveLength(1);

    await service.stop();
    await producer.close();
    connection.disconnect();
  });
});
