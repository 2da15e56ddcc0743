import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EvidenceConfig } from '../config/schema.js';
import type { StreamInstance } from '../registry.js';
import type { QueuedTrigger } from '../store/schema.js';
import type { Window } from '../time.js';
import type { CollectJobData } from './collect-job.js';
import { collectJobId, collectJobIdPrefix, collectQueueName } from './job-id.js';

export interface EnqueueRequest {
  readonly stream: StreamInstance;
  readonly window: Window;
  readonly trigger: QueuedTrigger;
  /** Appended to the job id to run a window again although a job for it is still kept (`--force`, repair). */
  readonly idSuffix?: string;
}

/** BullMQ states of a job that has not finished: it waits, runs, or waits out its backoff before a retry. */
const UNFINISHED_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
const UNFINISHED = new Set<string>(UNFINISHED_STATES);

/** A job of a stream that has not finished: its window, and whether it is the planner's own (no suffix). */
export interface UnfinishedJob {
  readonly id: string;
  readonly window: Window;
  readonly own: boolean;
}

/** Adds collect jobs to the connector's queue with deterministic ids, backoff and retention. */
export class CollectProducer {
  private readonly queues = new Map<string, Queue<CollectJobData>>();

  constructor(
    private readonly connection: Redis,
    private readonly config: EvidenceConfig,
  ) {}

  queue(connectorId: string): Queue<CollectJobData> {
    let queue = this.queues.get(connectorId);
    if (!queue) {
      queue = new Queue<CollectJobData>(collectQueueName(connectorId), {
        connection: this.connection,
        prefix: this.config.redis.prefix,
      });
      this.queues.set(connectorId, queue);
    }
    return queue;
  }

  allQueues(): Queue<CollectJobData>[] {
    return [...this.queues.values()];
  }

  /** Returns the job ids; an id that already exists in the queue is not added again. */
  async enqueue(requests: readonly EnqueueRequest[]): Promise<string[]> {
    const byConnector = new Map<string, EnqueueRequest[]>();
    for (const request of requests) {
      const list = byConnector.get(request.stream.connector.id) ?? [];
      list.push(request);
      byConnector.set(request.stream.connector.id, list);
    }
    const ids: string[] = [];
    const { attempts, backoffMs, keepCompleted } = this.config.queue;
    for (const [connectorId, list] of byConnector) {
      const jobs = list.map((request) => {
        const jobId = collectJobId(request.stream.id, request.window, request.idSuffix);
        ids.push(jobId);
        return {
          name: 'collect',
          data: {
            stream: request.stream.id,
            windowStart: request.window.start,
            windowEnd: request.window.end,
            trigger: request.trigger,
          },
          opts: {
            jobId,
            attempts,
            backoff: { type: 'exponential', delay: backoffMs },
            removeOnComplete: { age: Math.ceil(keepCompleted / 1_000) },
            removeOnFail: { age: Math.ceil(keepCompleted / 1_000) },
          },
        };
      });
      for (let index = 0; index < jobs.length; index += 500) {
        await this.queue(connectorId).addBulk(jobs.slice(index, index + 500));
      }
    }
    return ids;
  }

  /**
   * Whether the window's own job (the planner's id, no suffix) has not finished: queued, running or between
   * retries. A job that completed, gave up, or vanished with Redis is not in flight.
   */
  async inFlight(stream: StreamInstance, window: Window): Promise<boolean> {
    const state = await this.queue(stream.connector.id).getJobState(collectJobId(stream.id, window));
    return UNFINISHED.has(state);
  }

  /**
   * Every unfinished job of the stream, under any id (the planner's, a repair's, a backfill's), read from
   * the job ids alone (`collectJobId`), so the queue's other streams cost one id each and no job body.
   */
  async unfinished(
    stream: StreamInstance,
    states: readonly (typeof UNFINISHED_STATES)[number][] = UNFINISHED_STATES,
  ): Promise<UnfinishedJob[]> {
    const ids = await this.queue(stream.connector.id).getRanges([...states], 0, -1);
    const prefix = collectJobIdPrefix(stream.id);
    const jobs: UnfinishedJob[] = [];
    for (const id of ids) {
      if (!id.startsWith(prefix)) continue;
      const [start, end, ...suffix] = id.slice(prefix.length).split('.');
      if (!start || !end) continue;
      jobs.push({ id, window: { start: Number(start), end: Number(end) }, own: suffix.length === 0 });
    }
    return jobs;
  }

  async close(): Promise<void> {
    await Promise.all(this.allQueues().map((queue) => queue.close()));
  }
}
