import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { appRunner } from '../../src/app.js';
import { CollectProducer } from '../../src/collection/collect-producer.js';
import { appPlanner } from '../../src/collection/planner.js';
import { appWorkerPool, type WorkerPool } from '../../src/collection/worker-pool.js';
import { continuityChecker } from '../../src/continuity/service-part.js';
import { RedisLimiter } from '../../src/limiter.js';
import { createRedis } from '../../src/queue/redis.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { StreamState } from '../../src/store/stream-state.js';
import { DAY, HOUR, type Window } from '../../src/time.js';
import { testApp, waitFor } from './app.js';
import { D0, dayText, hrExports, steppingClock, type BrokenExport } from './in-order.js';
import { dropStore, freshStoreUrl } from './stores.js';

export const HR = 'hr-workforce';
export const day = (n: number): Window => ({ start: D0 + n * DAY, end: D0 + (n + 1) * DAY });

/**
 * The HR drop directory with `days` dated exports behind the service's parts over real Redis, BullMQ and
 * SQLite; the service comes back an hour after the last day closed, so every day is due at once.
 */
export async function hrWorld(days: number, broken: Record<number, BrokenExport> = {}) {
  const url = freshStoreUrl('sqlite');
  const dir = hrExports(days, broken);
  const app: App = await testApp({
    raw: { audit: { start: dayText(0) }, connectors: { 'hr-file': { directory: dir } } },
    storeUrl: url,
    clock: steppingClock(D0 + days * DAY + HOUR),
  });
  const connection = createRedis(app.config.redis.url);
  const producer = new CollectProducer(connection, app.config);
  const store = await app.store();
  const planner = appPlanner(app, store, producer);
  const stream = app.registry.stream(HR);
  const ledger = new RunLedger(store);
  let pool: WorkerPool | undefined;
  const settled = async (n: number) =>
    (await ledger.settledWindows(HR, day(n).start, day(n).end)).covers(day(n));
  return {
    app,
    store,
    planner,
    producer,
    ledger,
    /** The service's workers: each settled window asks the planner for the stream's next one. */
    async startWorkers(options: { planNext: boolean }) {
      pool = await appWorkerPool(app, connection, options);
      pool.start();
    },
    async stopWorkers() {
      await pool?.close();
      pool = undefined;
    },
    /** Collects one day at once with the real runner, as a worker would, outside the queue. */
    async collectNow(n: number) {
      const runner = await appRunner(app, new RedisLimiter(connection, app.config.redis.prefix));
      return runner.collect({ stream, window: day(n), trigger: 'schedule', attempt: 1 });
    },
    /** The day's export put right (as an operator would after it failed). */
    repairExport(n: number) {
      const name = `bamboohr-${dayText(n)}.csv`;
      copyFileSync(path.join(hrExports(days), name), path.join(dir, name));
    },
    /** The continuity check of the service: judges the gaps and repairs what it can. */
    check: () => continuityChecker(app, store, producer).check(),
    /** Job ids of the stream still queued, running or between retries. */
    async hrJobs() {
      const jobs = await producer.queue('hr-file').getJobs(['waiting', 'active', 'delayed', 'prioritized']);
      return jobs.map((job) => job.id).sort();
    },
    settled,
    async waitSettled(n: number, timeoutMs = 30_000) {
      await waitFor(() => settled(n), `day ${n} settled`, timeoutMs);
    },
    async cursorDays() {
      const { cursor } = await new StreamState(store).get(HR);
      const kept = (cursor?.workforce ?? {}) as { latest?: { day: string }; previous?: { day: string } };
      return { latest: kept.latest?.day, previous: kept.previous?.day };
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

export type HrWorld = Awaited<ReturnType<typeof hrWorld>>;
