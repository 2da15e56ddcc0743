import cron from 'node-cron';
import type { App } from './app.js';
import { appPlanner, type Planner } from './collection/planner.js';
import { CollectProducer } from './collection/collect-producer.js';
import { createRedis } from './queue/redis.js';
import { appWorkerPool, type WorkerPool } from './collection/worker-pool.js';

export type Role = 'planner' | 'worker' | 'all';

/** Something `start` runs beside the planner and workers (continuity checker, HTTP surface). */
export interface ServicePart {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type ServicePartFactory = (
  app: App,
  context: { producer: CollectProducer; role: Role },
) => ServicePart | undefined;

/** Parts registered by other modules (continuity, HTTP) so the core does not import them. */
export const servicePartFactories: ServicePartFactory[] = [];

export interface RunningService {
  readonly planner?: Planner;
  stop(): Promise<void>;
}

/** The background service: planner ticks on node-cron (UTC), workers on the queues, and the registered parts. */
export async function startService(app: App, role: Role): Promise<RunningService> {
  const store = await app.store();
  const connection = createRedis(app.config.redis.url);
  connection.on('error', (error) => app.logger.warn({ err: error.message }, 'redis connection error'));
  const producer = new CollectProducer(connection, app.config);
  const tasks: { stop: () => void | Promise<void> }[] = [];
  let planner: Planner | undefined;
  let pool: WorkerPool | undefined;

  // Parts are built before anything starts, so their config errors stop start-up before any work begins.
  const parts = servicePartFactories
    .map((factory) => factory(app, { producer, role }))
    .filter((part): part is ServicePart => part !== undefined);

  if (role === 'worker' || role === 'all') {
    pool = await appWorkerPool(app, connection, { planNext: true });
    pool.start();
  }
  if (role === 'planner' || role === 'all') {
    planner = appPlanner(app, store, producer);
    const tick = async () => {
      try {
        await planner?.tick();
      } catch (error) {
        app.logger.error({ err: (error as Error).message }, 'planner tick failed');
      }
    };
    tasks.push(cron.schedule(app.config.schedule.planner, tick, { timezone: 'UTC', noOverlap: true }));
    await tick();
  }
  for (const part of parts) await part.start();
  app.logger.info(
    { role, streams: app.registry.streams.map((stream) => stream.id), parts: parts.map((part) => part.name) },
    'evidence-worker started',
  );

  return {
    ...(planner ? { planner } : {}),
    async stop() {
      for (const task of tasks) await task.stop();
      for (const part of parts.reverse()) await part.stop();
      await pool?.close();
      await producer.close();
      connection.disconnect();
    },
  };
}
