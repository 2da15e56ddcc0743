import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { collectJobId, collectQueueName } from '../../src/collection/job-id.js';

/** What BullMQ says about the jobs of some windows: a diagnostic for a FAIL reason, never a verdict. */
export async function jobStates(
  redisUrl: string,
  prefix: string,
  windows: readonly { stream: string; start: number; end: number }[],
): Promise<string[]> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(collectQueueName('github'), { connection, prefix });
  try {
    const states: string[] = [];
    for (const window of windows) {
      const id = collectJobId(window.stream, window);
      const job = await queue.getJob(id);
      const state = job ? await job.getState() : 'absent';
      states.push(`${id}: ${state}${job?.failedReason ? ` (${job.failedReason})` : ''}`);
    }
    return states;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
