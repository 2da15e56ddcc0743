import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CollectProducer } from '../../src/collection/collect-producer.js';
import { collectJobId } from '../../src/collection/job-id.js';
import { appPlanner } from '../../src/collection/planner.js';
import { continuityChecker } from '../../src/continuity/service-part.js';
import { appWorkerPool, type WorkerPool } from '../../src/collection/worker-pool.js';
import { createRedis } from '../../src/queue/redis.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { DAY, HOUR, alignDown, type Window } from '../../src/time.js';
import { connector as fakeConnector } from '../fixtures/fake-connector.js';
import { testApp, waitFor } from '../support/app.js';
import {
  D0,
  dayText,
  diffsByDay,
  hrExports,
  runsInOrder,
  steppingClock,
  type BrokenExport,
} from '../support/in-order.js';
import { dropStore, freshStoreUrl } from '../support/stores.js';

const DAYS = 5;
const HR = 'hr-workforce';
/** The service comes back five days after the audit start: days 0..4 are due. */
const BACK = D0 + DAYS * DAY + HOUR;

/** The HR drop directory (and optionally the fake connector) behind a planner, with workers when asked. */
async function world(options: {
  broken?: Record<number, BrokenExport>;
  withFake?: boolean;
  oneFile?: boolean;
}) {
  const url = freshStoreUrl('sqlite');
  const dir = hrExports(DAYS, options.broken);
  const app: App = await testApp({
    raw: {
      audit: { start: dayText(0) },
      connectors: {
        // One export file holds only the present: the days before the last can no longer be read.
        'hr-file': options.oneFile
          ? { file: path.join(dir, `bamboohr-${dayText(0)}.csv`) }
          : { directory: dir },
        ...(options.withFake ? { fake: { baseUrl: 'http://127.0.0.1:9' } } : {}),
      },
      ...(options.withFake ? { streams: { 'fake-members': { enabled: false } } } : {}),
    },
    storeUrl: url,
    connectors: options.withFake ? [fakeConnector] : [],
    clock: steppingClock(BACK),
  });
  const connection = createRedis(app.config.redis.url);
  const producer = new CollectProducer(connection, app.config);
  const store = await app.store();
  const planner = appPlanner(app, store, producer);
  let pool: WorkerPool | undefined;
  return {
    app,
    store,
    planner,
    producer,
    async startWorkers() {
      pool = await appWorkerPool(app, connection);
      pool.start();
    },
    async close() {
      await pool?.close();
      await producer.close();
      connection.disconnect();
      await app.close();
      await dropStore(url);
    },
  };
}

type World = Awaited<ReturnType<typeof world>>;

/** Ticks until the last day has a settled run; returns the HR windows each tick enqueued. */
async function tickUntilLastDaySettled(w: World): Promise<(readonly Window[])[]> {
  const ledger = new RunLedger(w.store);
  const last = { start: D0 + (DAYS - 1) * DAY, end: D0 + DAYS * DAY };
  const ticks: (readonly Window[])[] = [];
  await waitFor(
    async () => {
      const planned = await w.planner.tick();
      ticks.push(planned.find((entry) => entry.stream === HR)?.windows ?? []);
      return (await ledger.settledWindows(HR, last.start, last.end)).covers(last);
    },
    'the last day collected',
    60_000,
  );
  return ticks;
}

/** The windows the ticks handed out, each once, in the order they first appeared. */
const handedOut = (ticks: readonly (readonly Window[])[]) => [
  ...new Set(ticks.flat().map((window) => Math.round((window.start - D0) / DAY))),
];

describe('the planner and a stream whose windows go in order (real Redis, BullMQ and SQLite)', () => {
  const worlds: World[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.close();
  });

  it('after five days of downtime collects the HR days strictly in day order, each after the one before settled', async () => {
    const w = await world({});
    worlds.push(w);
    await w.startWorkers();
    const ticks = await tickUntilLastDaySettled(w);
    expect(ticks.every((windows) => windows.length <= 1)).toBe(true);
    expect(handedOut(ticks)).toEqual([0, 1, 2, 3, 4]);
    expect(await runsInOrder(w.store, HR, DAYS)).toEqual(
      [0, 1, 2, 3, 4].map((day) => ({ day, runs: ['succeeded#1'] })),
    );
    // Each day was compared with the day before it, so each names exactly that day's hire.
    expect(await diffsByDay(w.store, HR, DAYS)).toEqual({
      [dayText(1)]: { since: dayText(0), hires: ['201'] },
      [dayText(2)]: { since: dayText(1), hires: ['202'] },
      [dayText(3)]: { since: dayText(2), hires: ['203'] },
      [dayText(4)]: { since: dayText(3), hires: ['204'] },
    });
  }, 90_000);

  it('passes over a day once its attempts all failed (retriable or fatal), and the next days follow in order', async () => {
    const w = await world({ broken: { 1: 'empty', 2: 'unknown-layout' } });
    worlds.push(w);
    await w.startWorkers();
    const ticks = await tickUntilLastDaySettled(w);
    expect(ticks.every((windows) => windows.length <= 1)).toBe(true);
    expect(handedOut(ticks)).toEqual([0, 1, 2, 3, 4]);
    // queue.attempts is 3 in tests: the empty export is read three times, the unknown layout once (fatal).
    expect(await runsInOrder(w.store, HR, DAYS)).toEqual([
      { day: 0, runs: ['succeeded#1'] },
      { day: 1, runs: ['failed#1', 'failed#2', 'failed#3'] },
      { day: 2, runs: ['failed#1'] },
      { day: 3, runs: ['succeeded#1'] },
      { day: 4, runs: ['succeeded#1'] },
    ]);
    // Day 3 is compared with the last day observed, day 0: its diff names the hires of days 1 to 3.
    expect((await diffsByDay(w.store, HR, DAYS))[dayText(3)]).toEqual({
      since: dayText(0),
      hires: ['201', '202', '203'],
    });
    // The failed days stay gaps for continuity and repair: the planner does not hand them out again.
    const after = await w.planner.tick();
    expect(after.find((entry) => entry.stream === HR)).toBeUndefined();
    const { check } = continuityChecker(w.app, w.store, w.producer);
    const checked = await check();
    const gaps = checked.streams.find((entry) => entry.stream === HR)?.gaps ?? [];
    expect(gaps.filter((gap) => gap.cause === 'failed').map((gap) => [gap.start, gap.end])).toEqual([
      [D0 + DAY, D0 + 2 * DAY],
      [D0 + 2 * DAY, D0 + 3 * DAY],
    ]);
    // One failed day of the stream is read again per check, so two repairs never diff against one cursor.
    expect(checked.repair.enqueued).toBe(1);
  }, 90_000);

  it('holds the next day while one is in flight, enqueues a day Redis lost again, and leaves other streams as they were', async () => {
    const w = await world({ withFake: true });
    worlds.push(w);
    // No workers: whatever is enqueued stays in flight.
    const fake = w.app.registry.stream('fake-changes');
    const horizon = alignDown(BACK - fake.sourceLagMs, fake.cadenceMs);
    const allHours = (horizon - D0) / fake.cadenceMs;
    const day0 = { start: D0, end: D0 + DAY };
    const hrJobs = async () =>
      (await w.producer.queue('hr-file').getJobs(['waiting', 'active', 'delayed'])).map((job) => job.id);

    const first = await w.planner.tick();
    expect(first.find((entry) => entry.stream === 'fake-changes')?.windows).toHaveLength(allHours);
    expect(first.find((entry) => entry.stream === HR)?.windows).toEqual([day0]);
    expect(await hrJobs()).toEqual([collectJobId(HR, day0)]);

    const second = await w.planner.tick();
    expect(second.find((entry) => entry.stream === 'fake-changes')?.windows).toHaveLength(allHours);
    expect(second.find((entry) => entry.stream === HR)?.windows).toEqual([day0]);
    expect(await hrJobs()).toEqual([collectJobId(HR, day0)]);

    // The continuity check leaves the days not yet handed out to the planner: repaired, they would run beside day 0.
    const { check } = continuityChecker(w.app, w.store, w.producer);
    const checked = await check();
    const hrGaps = checked.streams.find((entry) => entry.stream === HR)?.gaps ?? [];
    expect(hrGaps.some((gap) => gap.cause === 'never_attempted' && gap.end > D0 + DAY)).toBe(true);
    expect(checked.repair.enqueued).toBe(0);
    expect(await hrJobs()).toEqual([collectJobId(HR, day0)]);

    // Redis loses the job before it ran: the day is not settled, so the next tick enqueues it again.
    await w.producer.queue('hr-file').obliterate({ force: true });
    expect(await hrJobs()).toEqual([]);
    const third = await w.planner.tick();
    expect(third.find((entry) => entry.stream === HR)?.windows).toEqual([day0]);
    expect(await hrJobs()).toEqual([collectJobId(HR, day0)]);
  }, 60_000);

  it('hands out the days a single export file can no longer show together with the present one: none of them reads the file', async () => {
    const w = await world({ oneFile: true });
    worlds.push(w);
    const days = [0, 1, 2, 3, 4].map((day) => ({ start: D0 + day * DAY, end: D0 + (day + 1) * DAY }));
    const first = await w.planner.tick();
    expect(first.find((entry) => entry.stream === HR)?.windows).toEqual(days);
    await w.startWorkers();
    const ledger = new RunLedger(w.store);
    await waitFor(
      async () =>
        (await ledger.settledWindows(HR, D0, D0 + DAYS * DAY)).covers({ start: D0, end: D0 + DAYS * DAY }),
      'the five days settled',
    );
    const runs = await ledger.forStream(HR, D0, D0 + DAYS * DAY);
    expect(
      runs.map((run) => [Math.round((run.window_start - D0) / DAY), run.status, run.error_code]),
    ).toEqual([
      [0, 'unrecoverable', 'SNAPSHOT_MISSED'],
      [1, 'unrecoverable', 'SNAPSHOT_MISSED'],
      [2, 'unrecoverable', 'SNAPSHOT_MISSED'],
      [3, 'unrecoverable', 'SNAPSHOT_MISSED'],
      [4, 'succeeded', null],
    ]);
  }, 60_000);
});
