import { Writable } from 'node:stream';
import { openApp, type App } from '../../src/app.js';
import { continuityChecker } from '../../src/continuity/service-part.js';
import type { CollectProducer } from '../../src/collection/collect-producer.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { LocalLimiter } from '../../src/limiter.js';
import { CollectionRunner } from '../../src/collection/runner.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { ConnectorDefinition } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import { dropStore, freshRedisPrefix, freshStoreUrl, REDIS_URL, type StoreKind } from '../support/stores.js';
import { fakeConnector } from './fake-connector.js';
import { FakeSource } from './fake-source.js';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public now: number) {}
  readonly read = () => this.now;
  set(at: number): void {
    this.now = at;
  }
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Log lines the app wrote, parsed. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
  messages(): string[] {
    return this.lines.map((line) => String(line.msg));
  }
}

export interface Harness {
  readonly app: App;
  readonly store: EvidenceStore;
  readonly clock: FakeClock;
  readonly source: FakeSource;
  readonly logs: LogCapture;
  readonly storeUrl: string;
  /** Another app over the same store and Redis prefix: a restarted process. */
  reopen(): Promise<App>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly start: number;
  readonly raw?: Record<string, unknown>;
  readonly source?: 'lookup' | 's3';
  readonly storeUrl?: string;
  /** More connectors, each configured with `{ baseUrl }` of the fake source. */
  readonly extra?: readonly ConnectorDefinition[];
}

/** An app over a fresh store (SQLite file or PostgreSQL schema), a fresh Redis prefix and a local fake source. */
export async function openHarness(kind: StoreKind, options: HarnessOptions): Promise<Harness> {
  const source = new FakeSource();
  await source.start();
  const storeUrl = options.storeUrl ?? freshStoreUrl(kind);
  const clock = new FakeClock(options.start);
  const logs = new LogCapture();
  const apps: App[] = [];
  const prefix = freshRedisPrefix();
  const open = async () => {
    const config = parseConfig(
      {
        store: { url: storeUrl },
        redis: { url: REDIS_URL, prefix },
        queue: { attempts: 1, backoffMs: 10, lockDurationMs: 5_000, stalledIntervalMs: 5_000 },
        ...options.raw,
        connectors: {
          fakesrc: { baseUrl: source.url, source: options.source ?? 'lookup', concurrency: 4 },
          ...Object.fromEntries(
            (options.extra ?? []).map((connector) => [connector.id, { baseUrl: source.url }]),
          ),
        },
      },
      {},
    );
    const app = await openApp({
      config: { config, baseDir: process.cwd(), file: undefined, source: '' },
      clock: clock.read,
      extraConnectors: [fakeConnector, ...(options.extra ?? [])],
      logger: createLogger({ level: 'info', env: {}, destination: logs }),
      env: {},
    });
    apps.push(app);
    return app;
  };
  const app = await open();
  return {
    app,
    store: await app.store(),
    clock,
    source,
    logs,
    storeUrl,
    reopen: open,
    async close() {
      for (const opened of apps) await opened.close();
      await source.stop();
      await dropStore(storeUrl);
    },
  };
}

/** Collects windows directly with the real runner, the clock set to each window's close: history as it happened. */
export async function collectHistory(
  harness: Harness,
  streamId: string,
  windows: readonly Window[],
): Promise<void> {
  const runner = new CollectionRunner({
    store: harness.store,
    logger: harness.app.logger,
    clock: harness.clock.read,
    limiter: new LocalLimiter(),
    clients: harness.app.clients,
  });
  const stream = harness.app.registry.stream(streamId);
  const saved = harness.clock.now;
  for (const window of windows) {
    harness.clock.set(window.end + 60_000);
    await runner.collect({ stream, window, trigger: 'schedule', attempt: 1 });
  }
  harness.clock.set(saved);
}

/** Polls until `condition` holds (work done by real BullMQ workers); never a fixed sleep. */
export async function waitFor(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Windows of a stream with a succeeded run, as "start-end" keys. */
export async function succeeded(store: EvidenceStore, stream: string): Promise<Set<string>> {
  const rows = await store.db
    .selectFrom('runs')
    .select(['window_start', 'window_end'])
    .where('stream', '=', stream)
    .where('status', '=', 'succeeded')
    .execute();
  return new Set(rows.map((row) => `${row.window_start}-${row.window_end}`));
}

/** The continuity check as node-cron would run it in this app (a fresh processor is a fresh process). */
export function checker(app: App, store: EvidenceStore, producer?: CollectProducer) {
  const { check, delivery } = continuityChecker(app, store, producer);
  return Object.assign(check, { deliver: () => delivery.deliverPending() });
}
