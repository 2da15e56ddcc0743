import { QueueEvents } from 'bullmq';
import type { App } from '../app.js';
import type { BackfillOptions, Planned } from './backfill.js';
import { CollectProducer } from './collect-producer.js';
import { collectQueueName } from './job-id.js';
import { createRedis } from '../queue/redis.js';
import { appWorkerPool } from './worker-pool.js';
import { windowRounds } from './window-rounds.js';
import { RunLedger } from '../store/run-ledger.js';
import type { QueuedTrigger } from '../store/schema.js';

/** Rounds of re-enqueueing windows that the queue reported finished but the ledger does not show settled. */
const LEDGER_ROUNDS = 3;

export interface QueueSession {
  /**
   * Enqueues the windows and resolves once every job has finished and the ledger shows each window
   * settled (or failed in this session); windows the queue lost are enqueued again, a bounded number of
   * times. The queue is transport only: the ledger, never the queue, says what is done.
   */
  collect(planned: readonly Planned[], options?: SessionCollectOptions): Promise<void>;
  close(): Promise<void>;
}

export interface SessionCollectOptions {
  readonly trigger?: QueuedTrigger;
  /** Appended to every job id (`--force`: run windows again although their jobs are still kept). */
  readonly idSuffix?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Runs in the ledger before this collection: a failed one of them does not settle a window. */
  readonly earlier?: ReadonlySet<string>;
}

/**
 * Works the connectors' queues in this process (other workers may too) until closed: one Redis
 * connection, worker pool and set of queue listeners for as many collections as the caller makes, so
 * a simulated service can collect tick after tick without paying for them each time.
 */
export async function openQueueSession(
  app: App,
  connectorIds: readonly string[] = app.registry.connectors.map((instance) => instance.connector.id),
): Promise<QueueSession> {
  const connection = createRedis(app.config.redis.url);
  const producer = new CollectProducer(connection, app.config);
  const ledger = new RunLedger(await app.store());
  const pool = await appWorkerPool(app, connection);
  const eventConnections = connectorIds.map(() => connection.duplicate());
  const events = connectorIds.map(
    (id, index) =>
      new QueueEvents(collectQueueName(id), {
        connection: eventConnections[index]!,
        prefix: app.config.redis.prefix,
      }),
  );
  let current: { settle(id: string): void; failed(id: string): void } | undefined;
  const close = async () => {
    await pool.close();
    await Promise.all(events.map((queueEvents) => queueEvents.close()));
    for (const eventConnection of eventConnections) eventConnection.disconnect();
    await producer.close();
    connection.disconnect();
  };
  try {
    await Promise.all(events.map((queueEvents) => queueEvents.waitUntilReady()));
    for (const queueEvents of events) {
      queueEvents.on('completed', ({ jobId }) => current?.settle(jobId));
      queueEvents.on('failed', ({ jobId }) => current?.failed(jobId));
    }
    pool.start();
  } catch (error) {
    await close();
    throw error;
  }

  async function collect(planned: readonly Planned[], options: SessionCollectOptions = {}): Promise<void> {
    if (planned.length === 0) return;
    const earlier = options.earlier ?? new Set<string>();
    const total = planned.length;
    let done = 0;
    const pending = new Map<string, Planned>();
    let wake: (() => void) | undefined;
    const settle = (id: string) => {
      if (!pending.delete(id)) return;
      options.onProgress?.(++done, total);
      if (pending.size === 0) wake?.();
    };
    current = {
      settle,
      failed(id) {
        const entry = pending.get(id);
        if (!entry) return;
        void producer
          .queue(entry.stream.connector.id)
          .getJobState(id)
          .then((state) => state === 'failed' && settle(id));
      },
    };
    const enqueue = async (entries: readonly Planned[], suffix: string | undefined) => {
      const ids = await producer.enqueue(
        entries.map(({ stream, window }) => ({
          stream,
          window,
          trigger: options.trigger ?? ('backfill' as const),
          ...(suffix ? { idSuffix: suffix } : {}),
        })),
      );
      ids.forEach((id, index) => pending.set(id, entries[index]!));
      return ids;
    };

    /** Whether the ledger holds a settled run, or a failed run of this collection, for the window. */
    const accountedFor = async (entry: Planned): Promise<boolean> => {
      const settled = await ledger.settledWindows(entry.stream.id, entry.window.start, entry.window.end);
      if (settled.covers(entry.window)) return true;
      const runs = await ledger.forStream(entry.stream.id, entry.window.start, entry.window.end, ['failed']);
      return runs.some((run) => !earlier.has(run.id));
    };

    try {
      await enqueue(planned, options.idSuffix);
      // Jobs kept from an earlier run: a completed one counts, a failed one is tried again.
      for (const [id, entry] of [...pending]) {
        const job = await producer.queue(entry.stream.connector.id).getJob(id);
        const state = job ? await job.getState() : 'unknown';
        if (state === 'completed') settle(id);
        else if (state === 'failed') await job?.retry('failed');
      }
      for (let round = 1; ; round += 1) {
        while (pending.size > 0) {
          // Woken as soon as the last job completes; the poll below is for events missed across a restart.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 500);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
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
        await enqueue(unaccounted, `again${round}-${app.clock()}`);
      }
    } finally {
      current = undefined;
    }
  }

  return { collect, close };
}

/**
 * A backfill through BullMQ: this process works the queues too (so may any other worker) and waits for
 * every job; see `QueueSession.collect` for how the ledger, not the queue, decides what is done.
 */
export async function runQueued(
  app: App,
  planned: readonly Planned[],
  options: BackfillOptions,
  startedAt: number,
  earlier: ReadonlySet<string>,
): Promise<void> {
  if (planned.length === 0) return;
  const session = await openQueueSession(app, [
    ...new Set(planned.map((entry) => entry.stream.connector.id)),
  ]);
  try {
    let before = 0;
    for (const round of windowRounds(planned)) {
      const offset = before;
      const progress = options.onProgress;
      await session.collect(round, {
        earlier,
        ...(options.force ? { idSuffix: `force${startedAt}` } : {}),
        ...(progress ? { onProgress: (done: number) => progress(offset + done, planned.length) } : {}),
      });
      before += round.length;
    }
  } finally {
    await session.close();
  }
}
