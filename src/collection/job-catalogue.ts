import type { Job } from 'bullmq';
import type { CollectJobDeps, CollectJobResult } from '../../jobs/collect.js';
import type { CheckResult, ContinuityCheckDeps } from '../../jobs/continuity-check.js';
import type { CollectJobData } from './collect-job.js';

/** Every job the queues carry, with its data and result types. */
export interface JobTypes {
  collect: { data: CollectJobData; result: CollectJobResult; deps: CollectJobDeps };
}

export type JobName = keyof JobTypes;

type ProcessorFactory<N extends JobName> = (
  deps: JobTypes[N]['deps'],
) => (job: Job<JobTypes[N]['data']>, token?: string, signal?: AbortSignal) => Promise<JobTypes[N]['result']>;

/**
 * The job processors of `jobs/`, one file each, handed to the core by the composition root (`src/app.ts`):
 * nothing else imports `jobs/`. A job name without a processor is a compile error.
 */
export type JobCatalogue = { [N in JobName]: ProcessorFactory<N> } & {
  /** The continuity check runs in-process on its own schedule, not through a queue. */
  continuityCheck: (deps: ContinuityCheckDeps) => () => Promise<CheckResult>;
};
