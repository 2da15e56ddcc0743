import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { appRunner, openApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import { EvidenceError } from '../../src/errors.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { LocalLimiter } from '../../src/limiter.js';
import { CollectProducer } from '../../src/collection/collect-producer.js';
import { createRedis } from '../../src/queue/redis.js';
import { StreamState } from '../../src/store/stream-state.js';
import { defineConnector, defineStream, type StreamDefinition } from '../../src/stream.js';
import { HOUR, type Window } from '../../src/time.js';
import { REDIS_URL, freshRedisPrefix, freshStoreUrl } from '../support/stores.js';

/** A source whose behaviour per window the test decides: one change per hour, or a credential error. */
interface FakeClient {
  /** `${stream}@${windowStart}` of the windows that fail. */
  readonly failAt: ReadonlySet<string>;
  /** `${stream}@${windowStart}` of the windows in which the source yields nothing (silence). */
  readonly emptyAt: ReadonlySet<string>;
}

const fakeConfig = z
  .object({ failAt: z.array(z.string()).default([]), emptyAt: z.array(z.string()).default([]) })
  .strict();

function fakeStream(
  id: string,
  criteria: string[],
  isoControls: string[],
): StreamDefinition<FakeClient, { n: number }> {
  return defineStream<FakeClient, { n: number }>({
    id,
    description: `test stream ${id}`,
    kind: 'events',
    population: 'every change of the fake source',
    evidenceName: id,
    criteria,
    isoControls,
    cadence: '1h',
    silenceThreshold: '1d',
    sourceLag: '0s',
    retention: () => ({ kind: 'forever', reason: 'the fake source keeps its history forever' }),
    itemSchema: z.object({ n: z.number() }),
    async *collect(window: Window, _cursor, ctx) {
      if (ctx.client.failAt.has(`${id}@${window.start}`)) {
        throw new EvidenceError('AUTH_INVALID', 'the fake token was revoked', 'fatal');
      }
      if (ctx.client.emptyAt.has(`${id}@${window.start}`)) return;
      yield { key: `${id}-${window.start}`, occurredAt: window.start, payload: { n: window.start / HOUR } };
    },
  });
}

export const FAKE_CHANGES = 'fake-changes';
export const FAKE_ACCESS = 'fake-access';

export const fakeConnector = defineConnector<z.infer<typeof fakeConfig>, FakeClient>({
  id: 'fake',
  description: 'test connector of the operator-surface tests',
  configSchema: fakeConfig,
  createClient: (config) => ({ failAt: new Set(config.failAt), emptyAt: new Set(config.emptyAt) }),
  streams: [fakeStream(FAKE_CHANGES, ['CC8.1'], ['A.8.32']), fakeStream(FAKE_ACCESS, ['CC6.1'], ['A.5.15'])],
});

export const silentLogger: Logger = pino({ level: 'silent' });

export interface SurfaceAppOptions {
  readonly now: number;
  readonly auditStart?: string;
  readonly storeUrl?: string;
  readonly redisUrl?: string;
  readonly host?: string;
  readonly port?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Windows that fail with AUTH_INVALID, as `${stream}@${windowStart}`. */
  readonly failAt?: readonly string[];
  /** Windows in which the source yields nothing, as `${stream}@${windowStart}`. */
  readonly emptyAt?: readonly string[];
  /** Per-stream settings (config `streams:`), e.g. a silence threshold. */
  readonly streams?: Record<string, unknown>;
  readonly logger?: Logger;
}

/** A real App over a fresh store and Redis prefix, with the fake connector and a fixed clock. */
export async function surfaceApp(options: SurfaceAppOptions): Promise<App> {
  const env = options.env ?? {};
  const raw = {
    store: { url: options.storeUrl ?? freshStoreUrl('sqlite') },
    redis: { url: options.redisUrl ?? REDIS_URL, prefix: freshRedisPrefix() },
    audit: options.auditStart ? { start: options.auditStart } : {},
    connectors: { fake: { failAt: [...(options.failAt ?? [])], emptyAt: [...(options.emptyAt ?? [])] } },
    streams: options.streams ?? {},
    http: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
    logLevel: 'silent',
  };
  return openApp({
    config: {
      config: parseConfig(raw, env),
      baseDir: process.cwd(),
      file: undefined,
      source: JSON.stringify(raw),
    },
    env,
    extraConnectors: [fakeConnector],
    logger: options.logger ?? silentLogger,
    clock: () => options.now,
  });
}

/**
 * Collects every hourly window in [from, to) of `stream` through the real runner, except `skip` (left
 * uncollected: "never attempted"); windows listed in the connector's failAt fail with AUTH_INVALID.
 */
export async function collectHours(
  app: App,
  stream: string,
  from: number,
  to: number,
  skip: (start: number) => boolean = () => false,
): Promise<void> {
  const store = await app.store();
  await new StreamState(store).seedWatermark(stream, from, from);
  const runner = await appRunner(app, new LocalLimiter());
  const instance = app.registry.stream(stream);
  for (let start = from; start < to; start += HOUR) {
    if (skip(start)) continue;
    await runner.collect({
      stream: instance,
      window: { start, end: start + HOUR },
      trigger: 'schedule',
      attempt: 1,
    });
  }
}

export interface Surface {
  readonly server: HttpServer;
  readonly producer: CollectProducer;
  readonly connection: Redis;
  close(): Promise<void>;
}

/** The HTTP surface over a producer on the app's Redis, as `start` builds it. */
export async function startSurface(app: App, overrides: { host?: string } = {}): Promise<Surface> {
  const connection = createRedis(app.config.redis.url);
  connection.on('error', () => undefined);
  const producer = new CollectProducer(connection, app.config);
  const server = await createHttpServer(app, { producer, ...overrides });
  await server.fastify.ready();
  return {
    server,
    producer,
    connection,
    async close() {
      await server.close();
      await producer.close().catch(() => undefined);
      connection.disconnect();
      await app.close();
    },
  };
}

/** A TCP port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
