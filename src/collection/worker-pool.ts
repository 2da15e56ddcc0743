import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { appRunner, type App } from '../app.js';
import type { EvidenceConfig } from '../config/schema.js';
import { queueSettingsOf } from '../connector-settings.js';
import type { JobCatalogue } from './job-catalogue.js';
import type { Registry } from '../registry.js';
import type { CollectionRunner } from './runner.js';
import type { CollectJobData } from './collect-job.js';
import { collectQueueName } from './job-id.js';
import { RedisLimiter } from '../limiter.js';
import { CollectProducer } from './collect-producer.js';
import { oneWindowAtATime } from './one-at-a-time.js';
import { appPlanner } from './planner.js';
import type { Clock } from '../time.js';

/** Told when a job has settled an attempt (succeeded, or failed for now or for good). */
export type SettledListener = (stream: string) => Promise<unknown>;

/** One BullMQ worker per configured connector, with that connector's concurrency and rate limit. */
export class WorkerPool {
  private readonly workers: Worker<CollectJobData>[] = [];
  private readonly connections: Redis[] = [];

  constructor(
    private readonly deps: {
      connection: Redis;
      config: EvidenceConfig;
      registry: Registry;
      runner: CollectionRunner;
      logger: Logger;
      jobs: JobCatalogue;
      clock: Clock;
      /** Reads which windows of a stream are being collected; closed with the pool. */
      producer: CollectProducer;
      /** The service's: asks the planner for the next window of a stream whose windows go in order. */
      listener?: SettledListener;
    },
  ) {}

  start(): void {
    for (const instance of this.deps.registry.connectors) {
      const settings = queueSettingsOf(instance.config);
      const holder: { worker?: Worker<CollectJobData> } = {};
      const processor = oneWindowAtATime(
        this.deps.jobs.collect({
          registry: this.deps.registry,
          runner: this.deps.runner,
          rateLimit: async (ms) => holder.worker?.rateLimit(ms),
        }),
        {
          registry: this.deps.registry,
          producer: this.deps.producer,
          clock: this.deps.clock,
          retryMs: this.deps.config.queue.backoffMs,
        },
      );
      const worker = new Worker<CollectJobData>(collectQueueName(instance.connector.id), processor, {
        connection: this.connection(),
        prefix: this.deps.config.redis.prefix,
        concurrency: settings.concurrency,
        lockDuration: this.deps.config.queue.lockDurationMs,
        stalledInterval: this.deps.config.queue.stalledIntervalMs,
        // A worker that dies twice on the same window should not make BullMQ give the job up: collecting a
        // window again is idempotent, and the backfill re-checks the ledger for anything given up anyway.
        maxStalledCount: 5,
        ...(settings.rateLimit
          ? { limiter: { max: settings.rateLimit.max, duration: settings.rateLimit.durationMs } }
          : {}),
      });
      worker.on('failed', (job, error) => {
        this.deps.logger.warn(
          { jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
          'collect job attempt failed',
        );
      });
      worker.on('completed', (job) => this.settled(job.data.stream));
      worker.on('failed', (job) => job && this.settled(job.data.stream));
      worker.on('error', (error) => this.deps.logger.error({ err: error.message }, 'worker error'));
      holder.worker = worker;
      this.workers.push(worker);
    }
  }

  private settled(stream: string): void {
    this.deps.listener?.(stream).catch((error: unknown) => {
      // The next planner tick enqueues the window anyway: a lost nudge only costs time.
      this.deps.logger.warn({ stream, err: (error as Error).message }, 'next window not enqueued');
    });
  }

  /** A blocking connection of its own per worker; BullMQ does not close connections it was given. */
  private connection(): Redis {
    const connection = this.deps.connection.duplicate();
    this.connections.push(connection);
    return connection;
  }

  /** Waits for active jobs to finish: nothing half-written, an unfinished window is retried elsewhere. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.deps.producer.close();
    for (const connection of this.connections) connection.disconnect();
  }
}

/**
 * The app's worker pool on `connection`, its rate limits shared through Redis. Not started yet. With
 * `planNext` (the service), each settled window of a stream whose windows go in order enqueues that
 * stream's next due window at once (`Planner.next`); a backfill plans its own rounds and leaves it off.
 */
export async function appWorkerPool(
  app: App,
  connection: Redis,
  options: { planNext?: boolean } = {},
): Promise<WorkerPool> {
  const runner = await appRunner(app, new RedisLimiter(connection, app.config.redis.prefix));
  const producer = new CollectProducer(connection, app.config);
  let listener: SettledListener | undefined;
  if (options.planNext) {
    const planner = appPlanner(app, await app.store(), producer);
    listener = (stream) => planner.next(stream);
  }
  return new WorkerPool({
    ...(listener ? { listener } : {}),
    producer,
    clock: app.clock,
    connection,
    config: app.config,
    registry: app.registry,
    runner,
    logger: app.logger,
    jobs: app.jobs,
  });
}
