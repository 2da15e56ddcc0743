import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import type { CollectProducer } from '../collection/collect-producer.js';
import { installAuth, requiredToken } from './auth.js';
import { mountBullBoard } from './bull-board.js';
import { registerHealthRoutes } from './health-routes.js';
import { createMetrics } from './metrics.js';
import { registerStatusRoutes } from './status-routes.js';

const QUIET_PATHS = /^\/(healthz|readyz|metrics|queues\/api\/)/;

export interface HttpServerOptions {
  readonly producer: CollectProducer;
  /** Overrides config http.host / http.port (tests bind port 0). */
  readonly host?: string;
  readonly port?: number;
}

export interface HttpServer {
  readonly fastify: FastifyInstance;
  readonly host: string;
  /** Listens on host:port; returns the bound address ("http://127.0.0.1:8080"). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The operator surface: /healthz, /readyz, /metrics, the status page and Bull Board. Throws a UsageError
 * before anything listens when bound beyond loopback without STATUS_TOKEN.
 */
export async function createHttpServer(app: App, options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? app.config.http.host;
  const port = options.port ?? app.config.http.port;
  const token = requiredToken(host, app.env);
  // A probe connection of its own: the service's connection queues commands forever while Redis is down
  // (BullMQ needs maxRetriesPerRequest: null), and /readyz must answer "no" instead of hanging.
  const probe = new Redis(app.config.redis.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_500,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  });
  let lastRedisError = '';
  probe.on('error', (error: Error) => (lastRedisError = error.message));
  probe.on('ready', () => (lastRedisError = ''));

  const fastify = Fastify({
    loggerInstance: app.logger.child({ part: 'http' }) as FastifyBaseLogger,
    // Probes, scrapes and Bull Board's polling arrive every few seconds; their per-request lines would
    // drown the collection log. Other routes keep Fastify's request and error lines.
    logController: new LogController({
      disableRequestLogging: (request) => QUIET_PATHS.test(request.url),
    }),
  });
  installAuth(fastify, token);
  registerHealthRoutes(fastify, app, probe, () => lastRedisError);
  const metrics = createMetrics(app, options.producer);
  fastify.get('/metrics', async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );
  registerStatusRoutes(fastify, app, options.producer);
  await mountBullBoard(fastify, app, options.producer);

  return {
    fastify,
    host,
    async listen() {
      let address: string;
      try {
        address = await fastify.listen({ host, port });
      } catch (error) {
        if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
        // Two instances with one config on one machine: say how to give each its own port.
        throw new UsageError(
          `http: ${host}:${port} is already in use (another evidence-worker on this machine?): give each instance its own http.port, e.g. port: \${HTTP_PORT}`,
        );
      }
      app.logger.info({ address, auth: token ? 'bearer' : 'loopback only' }, 'http surface listening');
      return address;
    },
    async close() {
      await fastify.close();
      probe.disconnect();
    },
  };
}
