import { afterAll, describe, expect, it } from 'vitest';
import { Planner } from '../../src/collection/planner.js';
import { CollectProducer } from '../../src/collection/collect-producer.js';
import { createRedis } from '../../src/queue/redis.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { fakeClock, silentLogger, testApp } from '../support/app.js';
import { freshStoreUrl } from '../support/stores.js';
import { connector as fakeConnector } from '../fixtures/fake-connector.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 4, 10, 12);

async function plannerWorld() {
  const clock = fakeClock(T0);
  const app = await testApp({
    raw: {
      connectors: { fake: { baseUrl: 'http://127.0.0.1:9' } },
      schedule: { initialLookback: '1h' },
      streams: { 'fake-members': { enabled: false } },
    },
    storeUrl: freshStoreUrl('sqlite'),
    connectors: [fakeConnector],
    clock,
  });
  const connection = createRedis(app.config.redis.url);
  const producers: CollectProducer[] = [];
  const store = await app.store();
  const make = () => {
    const producer = new CollectProducer(connection, app.config);
    producers.push(producer);
    return new Planner({
      store,
      registry: app.registry,
      producer,
      config: app.config,
      clock,
      logger: silentLogger,
    });
  };
  return {
    app,
    clock,
    store,
    make,
    queue: () => producers[0]!.queue('fake'),
    async close() {
      for (const producer of producers) await producer.close();
      connection.disconnect();
      await app.close();
    },
  };
}

describe('planner', () => {
  const worlds: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const world of worlds) await world.close();
  });

  it('after three hours of downtime enqueues exactly the three missed hourly windows', async () => {
    const world = await plannerWorld();
    worlds.push(world);
    const planner = world.make();
    const first = await planner.tick();
    expect(first).toEqual([{ stream: 'fake-changes', windows: [{ start: T0 - HOUR, end: T0 }] }]);
    // The window got collected; then the service was down for three hours.
    const ledger = new RunLedger(world.store);
    const id = await ledger.start({
      stream: 'fake-changes',
      window: { start: T0 - HOUR, end: T0 },
      trigger: 'schedule',
      attempt: 1,
      now: T0,
    });
    await ledger.succeed(id, 'fake-changes', { new: 0, unchanged: 0, changed: 0, skipped: 0 }, T0, undefined);
    world.clock.advance(3 * HOUR + 5 * 60_000);
    const planned = await planner.tick();
    expect(planned).toEqual([
      {
        stream: 'fake-changes',
        windows: [
          { start: T0, end: T0 + HOUR },
          { start: T0 + HOUR, end: T0 + 2 * HOUR },
          { start: T0 + 2 * HOUR, end: T0 + 3 * HOUR },
        ],
      },
    ]);
    const jobs = await world.queue().getJobs(['waiting']);
    expect(jobs.map((job) => job.id).sort()).toEqual(
      [
        `collect.fake-changes.${T0 - HOUR}.${T0}`,
        `collect.fake-changes.${T0}.${T0 + HOUR}`,
        `collect.fake-changes.${T0 + HOUR}.${T0 + 2 * HOUR}`,
        `collect.fake-changes.${T0 + 2 * HOUR}.${T0 + 3 * HOUR}`,
      ].sort(),
    );
  });

  it('two planners ticking at once enqueue each window once', async () => {
    const world = await plannerWorld();
    worlds.push(world);
    await world.make().tick(); // seeds the watermark one hour back and enqueues that window
    world.clock.advance(5 * HOUR);
    const [a, b] = await Promise.all([world.make().tick(), world.make().tick()]);
    // Nothing ran in between, so both see the same six due windows (the first one again included).
    expect(a[0]?.windows).toHaveLength(6);
    expect(b[0]?.windows).toEqual(a[0]?.windows);
    const jobs = await world.queue().getJobs(['waiting']);
    expect(jobs).toHaveLength(6);
    expect(new Set(jobs.map((job) => job.id)).size).toBe(6);
  });
});
