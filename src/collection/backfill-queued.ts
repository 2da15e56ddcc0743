import { QueueEvents } from 'bullmq';
import { appRunner, type App } from '../app.js';
import type { BackfillOptions, Planned } from './backfill.js';
import { RedisLimiter } from '../limiter.js';
import { CollectProducer } from './collect-producer.js';
import { collectQueueName } from './job-id.js';
import { createRedis } from '../queue/redis.js';
import { WorkerPool } from './worker-pool.js';
import { RunLedger } from '../store/run-ledger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rounds of re-enqueueing windows that the queue reported finished but the ledger does not show settled. */
const LEDGER_ROUNDS = 3;

/**
 * A backfill through BullMQ: this process works the queues too (so may other workers), and waits for every
 * job. The queue is transport only: after it drains, the ledger is asked which windows are still neither
 * collected nor failed (a job given up as stalled after its worker died twice, a job lost with Redis) and
 * those are enqueued again under a new id, a bounded number of times.
 */
export async function runQueued(
  app: App,
  planned: readonly Planned[],
  options: BackfillOptions,
  startedAt: number,
  earlier: ReadonlySet<string>,
): Promise<void> {
  if (planned.length === 0) return;
  const connection = createRedis(app.config.redis.url);
  const producer = new CollectProducer(connection, app.config);
  const store = await app.store();
  const ledger = new RunLedger(store);
  const runner = await appRunner(app, new RedisLimiter(connection, app.config.redis.prefix));
  const pool = new WorkerPool({
    connection,
    config: app.config,
    registry: app.registry,
    runner,
    logger: app.logger,
    jobs: app.jobs,
  });
  const connectorIds = [...new Set(planned.map((entry) => entry.stream.connector.id))];
  const eventConnections = connectorIds.map(() => connection.duplicate());
  const events = connectorIds.map(
    (id, index) =>
      new QueueEvents(collectQueueName(id), {
        connection: eventConnections[index]!,
        prefix: app.config.redis.prefix,
      }),
  );
  const total = planned.length;
  let done = 0;
  const pending = new Map<string, Planned>();
  const settle = (id: string) => {
    if (pending.delete(id)) options.onProgress?.(++done, total);
  };
  const enqueue = async (entries: readonly Planned[], suffix: string | undefined) => {
    const ids = await producer.enqueue(
      entries.map(({ stream, window }) => ({
        stream,
        window,
        trigger: 'backfill' as const,
        ...(suffix ? { idSuffix: suffix } : {}),
      })),
    );
    ids.forEach((id, index) => pending.set(id, entries[index]!));
    return ids;
  };

  /** Whether the ledger holds a settled run, or a failed run of this backfill, for the window. */
  const accountedFor = async (entry: Planned): Promise<boolean> => {
    const settled = await ledger.settledWindows(entry.stream.id, entry.window.start, entry.window.end);
    if (settled.covers(entry.window)) return true;
    const runs = await ledger.forStream(entry.stream.id, entry.window.start, entry.window.end, ['failed']);
    return runs.some((run) => !earlier.has(run.id));
  };

  try {
    await Promise.all(events.map((queueEvents) => queueEvents.waitUntilReady()));
    for (const queueEvents of events) {
      queueEvents.on('completed', ({ jobId }) => settle(jobId));
      queueEvents.on('failed', ({ jobId }) => {
        const entry = pending.get(jobId);
        if (!entry) return;
        void producer
          .queue(entry.stream.connector.id)
          .getJobState(jobId)
          .then((state) => state === 'failed' && settle(jobId));
      });
    }
    pool.start();
    await enqueue(planned, options.force ? `force${startedAt}` : undefined);
    // Jobs kept from an earlier run: a completed one counts, a failed one is tried again.
    for (const [id, entry] of [...pending]) {
      const job = await producer.queue(entry.stream.connector.id).getJob(id);
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed') settle(id);
      else if (state === 'failed') await job?.retry('failed');
    }
    for (let round = 1; ; round += 1) {
      while (pending.size > 0) {
        await sleep(500);
        // Events can be missed across a Redis restart: poll the survivors now and then.
        for (const [id, entry] of [...pending].slice(0, 200)) {
          const state = await producer.queue(entry.stream.connector.id).getJobState(id);
          if (state === 'completed' || state === 'failed') settle(id);
          else if (state === 'unknown') {
            // The job vanished (Redis flushed): the ledger decides whether it must be enqueued again.
            pending.delete(id);
            if (await accountedFor(entry)) options.onProgress?.(++done, total);
            else await enqueue([entry], `lost${app.clock()}`);
          }
        }
      }
      const unaccounted: Planned[] = [];
      for (const entry of planned) if (!(await accountedFor(entry))) unaccounted.push(entry);
      if (unaccounted.length === 0 || round > LEDGER_ROUNDS) break;
      app.logger.warn(
        { windows: unaccounted.length, round },
        'queue finished windows the ledger does not show collected: enqueueing them again',
      );
      done -= unaccounted.length;
      await enqueue(unaccounted, `again${round}-${startedAt}`);
    }
  } finally {
    await pool.close();
    await Promise.all(events.map((queueEvents) => queueEvents.close()));
    for (const eventConnection of eventConnections) eventConnection.disconnect();
    await producer.close();
    connection.disconnect();
  }
}
