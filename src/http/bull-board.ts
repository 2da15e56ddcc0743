import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import type { CollectProducer } from '../collection/collect-producer.js';

export const QUEUES_PATH = '/queues';

/**
 * Bull Board over every connector's collect queue, read-only: retrying or cleaning jobs from a web page
 * would act beside the ledger, and repair already goes through the planner and `backfill`. It sits
 * behind the same bearer hook as every other route because the hook is installed on the root instance.
 */
export async function mountBullBoard(
  server: FastifyInstance,
  app: App,
  producer: CollectProducer,
): Promise<void> {
  const queues = app.registry.connectors.map((connector) => producer.queue(connector.connector.id));
  // Without a listener BullMQ prints every connection error to stderr; the service logs Redis errors once.
  for (const queue of queues) {
    if (queue.listenerCount('error') === 0)
      queue.on('error', (error) =>
        app.logger.debug({ err: error.message, queue: queue.name }, 'queue error'),
      );
  }
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    // @bull-board/fastify 9.10.1 pins its own copy of @bull-board/api 9.10.1 beside our 9.10.2: the types
    // differ by a private field only; at run time the adapter merely routes what createBullBoard hands it.
    serverAdapter: adapter as unknown as IServerAdapter,
    options: { uiConfig: { boardTitle: 'evidence-worker queues' } },
  });
  await server.register(adapter.registerPlugin(), { prefix: QUEUES_PATH });
}
