import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { App } from '../app.js';
import { withTimeout } from './timeout.js';

export const PROBE_TIMEOUT_MS = 2_000;

interface Check {
  readonly ok: boolean;
  readonly error?: string;
}

async function check(run: () => Promise<unknown>, what: string): Promise<Check> {
  try {
    await withTimeout(run(), PROBE_TIMEOUT_MS, what);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * /healthz: the process answers (liveness; restart it when this fails).
 * /readyz: Redis answers PING and the store answers a query (readiness; stop routing work when it fails).
 */
export function registerHealthRoutes(
  server: FastifyInstance,
  app: App,
  redis: Redis,
  lastRedisError: () => string,
): void {
  server.get('/healthz', async (_request, reply) => reply.type('application/json').send({ status: 'ok' }));

  server.get('/readyz', async (_request, reply) => {
    const [redisCheck, storeCheck] = await Promise.all([
      check(async () => {
        try {
          if ((await redis.ping()) !== 'PONG') throw new Error('redis did not answer PONG');
        } catch (error) {
          // ioredis reports "max retries reached"; the connection error says why.
          throw new Error(`redis unreachable: ${lastRedisError() || (error as Error).message}`);
        }
      }, 'redis'),
      check(async () => {
        const store = await app.store();
        await sql`select 1 as one`.execute(store.db);
      }, 'store'),
    ]);
    const ready = redisCheck.ok && storeCheck.ok;
    return reply
      .code(ready ? 200 : 503)
      .type('application/json')
      .send({ status: ready ? 'ready' : 'not ready', checks: { redis: redisCheck, store: storeCheck } });
  });
}
