import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Planner } from '../../src/collection/planner.js';
import { CollectProducer } from '../../src/collection/collect-producer.js';
import { createRedis } from '../../src/queue/redis.js';
import { startService, type RunningService } from '../../src/service.js';
import { HOUR } from '../../src/time.js';
import { checker, openHarness, succeeded, waitFor, type Harness } from './harness.js';
import { WebhookReceiver } from './webhook-receiver.js';

const T0 = Date.UTC(2026, 5, 1);
const CHECK_INTERVAL = 5 * 60_000;

describe('a credential error on one stream (PostgreSQL, real Redis and BullMQ)', () => {
  let harness: Harness;
  let service: RunningService | undefined;
  const webhook = new WebhookReceiver();
  beforeAll(async () => {
    await webhook.start();
    harness = await openHarness('postgres', {
      start: T0 + HOUR + 60_000,
      raw: {
        audit: { start: '2026-06-01' },
        streams: { 'fakesrc-trail': { enabled: false } },
        alerts: { webhook: { url: webhook.url, format: 'json' } },
      },
    });
  });
  afterAll(async () => {
    await service?.stop();
    await harness.close();
    await webhook.stop();
  });

  it('opens a failing alert within one check interval while the other stream keeps collecting', async () => {
    const { app, store, clock, source } = harness;
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
    const check = checker(app, store, producer);
    const failures = async () =>
      (
        await store.db
          .selectFrom('runs')
          .select('id')
          .where('stream', '=', 'fakesrc-logs')
          .where('status', '=', 'failed')
          .execute()
      ).length;
    service = await startService(app, 'worker');
    source.behaviour.set('fakesrc-logs', 'unauthorized');

    await planner.tick();
    await waitFor(
      async () =>
        (
          await store.db
            .selectFrom('runs')
            .select('id')
            .where('status', 'in', ['succeeded', 'failed'])
            .execute()
        ).length === 2,
      'the first hour of both streams',
    );
    clock.advance(CHECK_INTERVAL);
    const first = await check();
    expect(first.findings).toEqual([
      expect.objectContaining({
        stream: 'fakesrc-logs',
        kind: 'failing',
        detail: expect.objectContaining({ lastErrorCode: 'AUTH_INVALID', credential: 'AUTH_INVALID' }),
      }),
    ]);
    expect(webhook.received).toEqual([
      expect.objectContaining({
        event: 'alert.opened',
        alert: expect.objectContaining({ stream: 'fakesrc-logs', kind: 'failing' }),
        text: expect.stringMatching(/fakesrc-logs is FAILING: credential error AUTH_INVALID/),
      }),
    ]);

    // The next hours: the healthy stream keeps collecting, the failing one keeps failing (one alert).
    clock.set(T0 + 2 * HOUR + 60_000);
    await planner.tick();
    await waitFor(
      async () => (await succeeded(store, 'fakesrc-changes')).size === 2 && (await failures()) === 2,
      'the second hour',
    );
    clock.advance(CHECK_INTERVAL);
    const second = await check();
    expect(second.notifications).toEqual([]);
    // The first failed hour is re-enqueued (trigger repair) and, the token still revoked, fails again.
    expect(second.repair.enqueued).toBe(1);
    await waitFor(async () => (await failures()) === 3, 'the repair attempt');

    // The credential is fixed: the next window succeeds, the repair re-collects the failed hours, and the alert closes.
    source.behaviour.set('fakesrc-logs', 'active');
    clock.set(T0 + 3 * HOUR + 60_000);
    await planner.tick();
    await waitFor(
      async () =>
        (await succeeded(store, 'fakesrc-logs')).size === 1 &&
        (await succeeded(store, 'fakesrc-changes')).size === 3,
      'the third hour',
    );
    clock.advance(CHECK_INTERVAL);
    const healed = await check();
    expect(healed.notifications.map((note) => `${note.stream} ${note.kind} ${note.event}`)).toEqual([
      'fakesrc-logs failing recovered',
    ]);
    expect(healed.repair.enqueued).toBe(2);
    await waitFor(
      async () => (await succeeded(store, 'fakesrc-logs')).size === 3,
      'the failed hours repaired',
    );
    expect(webhook.received.map((body) => body.event)).toEqual(['alert.opened', 'alert.recovered']);
    expect((await succeeded(store, 'fakesrc-changes')).size).toBe(3);

    await producer.close();
    connection.disconnect();
  });
});
