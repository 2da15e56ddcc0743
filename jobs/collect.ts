import { RateLimitError, UnrecoverableError, type Job } from 'bullmq';
import { RateLimitedError } from '../src/errors.js';
import { collectJobSchema, type CollectJobData } from '../src/collection/collect-job.js';
import type { Registry } from '../src/registry.js';
import type { CollectOutcome, CollectionRunner } from '../src/collection/runner.js';

export interface CollectJobDeps {
  readonly registry: Registry;
  readonly runner: CollectionRunner;
  /** Pauses the queue this job came from (BullMQ manual rate limit). */
  readonly rateLimit: (ms: number) => Promise<void>;
}

export type CollectJobResult = Pick<CollectOutcome, 'runId' | 'status' | 'counts'>;

/**
 * Collects one window. Retriable errors are rethrown for BullMQ's backoff, fatal ones end the job as
 * UnrecoverableError (no retry storm), and a source rate limit delays the queue instead of failing.
 */
export function collectProcessor(deps: CollectJobDeps) {
  return async (
    job: Job<CollectJobData>,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<CollectJobResult> => {
    const data = collectJobSchema.parse(job.data);
    const outcome = await deps.runner.collect({
      stream: deps.registry.stream(data.stream),
      window: { start: data.windowStart, end: data.windowEnd },
      trigger: data.trigger,
      attempt: job.attemptsMade + 1,
      jobId: job.id,
      ...(signal ? { signal } : {}),
    });
    const error = outcome.error;
    if (outcome.status === 'failed' && error) {
      if (error instanceof RateLimitedError) {
        await deps.rateLimit(error.retryAfterMs);
        throw new RateLimitError();
      }
      if (error.retry === 'fatal') throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw new Error(`${error.code}: ${error.message}`, { cause: error });
    }
    return { runId: outcome.runId, status: outcome.status, counts: outcome.counts };
  };
}
