import type { Job } from 'bullmq';
import { collectProcessor, type CollectJobDeps, type CollectJobResult } from '../../jobs/collect.js';
import type { CollectJobData } from './collect-job.js';

/** Every job the queues carry, with its data and result types. */
export interface JobTypes {
  collect: { data: CollectJobData; result: CollectJobResult; deps: CollectJobDeps };
}

export type JobName = keyof JobTypes;

type ProcessorFactory<N extends JobName> = (
  deps: JobTypes[N]['deps'],
) => (job: Job<JobTypes[N]['data']>, token?: string, signal?: AbortSignal) => Promise<JobTypes[N]['result']>;

/** A job name without a processor here is a compile error. */
export const jobCatalogue: { [N in JobName]: ProcessorFactory<N> } = {
  collect: collectProcessor,
};
