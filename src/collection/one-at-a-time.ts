import { DelayedError, type Job } from 'bullmq';
import type { Registry } from '../registry.js';
import type { Clock } from '../time.js';
import type { CollectJobData } from './collect-job.js';
import type { CollectProducer } from './collect-producer.js';
import { readable } from './runner.js';

type Processor<R> = (job: Job<CollectJobData>, token?: string, signal?: AbortSignal) => Promise<R>;

/**
 * The last guard for a stream whose windows go in order: a job that would read the source while another
 * window of the stream is being read (a repair, a backfill or a second planner that raced the first) waits
 * and tries again, so two windows never diff against one cursor, whoever enqueued them. BullMQ marks a job
 * active before its processor runs, so of two jobs that start together at least one sees the other; both
 * may wait, and the random share of the wait parts them. Windows the source no longer holds are only
 * recorded and go at once.
 */
export function oneWindowAtATime<R>(
  processor: Processor<R>,
  deps: { registry: Registry; producer: CollectProducer; clock: Clock; retryMs: number },
): Processor<R> {
  return async (job, token, signal) => {
    const stream = deps.registry.streams.find((candidate) => candidate.id === job.data.stream);
    if (stream?.definition.windowsInOrder && token) {
      const now = deps.clock();
      const reads = (window: { start: number; end: number }) =>
        readable(stream.retention, window, stream.cadenceMs, now).ok;
      if (reads({ start: job.data.windowStart, end: job.data.windowEnd })) {
        const active = await deps.producer.unfinished(stream, ['active']);
        if (active.some((other) => other.id !== job.id && reads(other.window))) {
          // The queue's own timer: a delay, not a judgement on the clock.
          await job.moveToDelayed(Date.now() + deps.retryMs * (1 + Math.random()), token);
          throw new DelayedError();
        }
      }
    }
    return processor(job, token, signal);
  };
}
