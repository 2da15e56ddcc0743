import type { Logger } from 'pino';
import { pino } from 'pino';
import { openApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import type { AnyConnector } from '../../src/stream.js';
import type { Clock } from '../../src/time.js';
import { REDIS_URL, freshRedisPrefix } from './stores.js';

/** A mutable fake clock. */
export function fakeClock(start: number): Clock & { set(at: number): void; advance(ms: number): void } {
  let now = start;
  const clock = (() => now) as Clock & { set(at: number): void; advance(ms: number): void };
  clock.set = (at) => {
    now = at;
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** An App over a raw config object (validated like a file), with test connectors and a fake clock. */
export async function testApp(options: {
  raw: Record<string, unknown>;
  storeUrl: string;
  connectors?: readonly AnyConnector[];
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}): Promise<App> {
  const env = options.env ?? { FAKE_SOURCE_TOKEN: 'test-token-123456' };
  const raw = {
    ...options.raw,
    store: { url: options.storeUrl },
    redis: { url: REDIS_URL, prefix: freshRedisPrefix() },
    queue: {
      attempts: 3,
      backoffMs: 50,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      ...((options.raw.queue as object | undefined) ?? {}),
    },
  };
  return openApp({
    config: {
      config: parseConfig(raw, env),
      baseDir: process.cwd(),
      file: undefined,
      source: JSON.stringify(raw),
    },
    env,
    extraConnectors: options.connectors ?? [],
    logger: options.logger ?? silentLogger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
