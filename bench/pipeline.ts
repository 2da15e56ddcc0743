/**
 * Pipeline throughput: items per second from a local HTTP source through BullMQ and the worker into the
 * store, beside a bare bulk insert of the same items into the same kind of store, in the same run.
 * Usage: npx tsx bench/pipeline.ts [items]   (Redis must be running; SQLite store in a temp dir)
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { openApp } from '../src/app.js';
import { runBackfill } from '../src/collection/backfill.js';
import { parseConfig } from '../src/config/load.js';
import { EvidenceRepository, prepareItem } from '../src/store/evidence-repository.js';
import { openStore } from '../src/store/open-store.js';
import { freshRedisPrefix, freshStoreUrl } from '../test/support/stores.js';
import { connector as fakeConnector } from '../test/fixtures/fake-connector.js';
import { startFakeSource, type FakeEvent } from '../test/fixtures/fake-source.js';

const total = Number(process.argv[2] ?? 100_000);
const HOUR = 3_600_000;
const start = Date.UTC(2026, 0, 1);
const hours = 48;
const events: FakeEvent[] = Array.from({ length: total }, (_, index) => ({
  id: `ev-${index}`,
  at: start + Math.floor((index / total) * hours * HOUR),
  actor: `user${index % 50}`,
  action: index % 97 === 0 ? 'force-push' : 'merge',
}));

const token = 'bench-token-123456';
const source = await startFakeSource({ token, events });
const env = { FAKE_SOURCE_TOKEN: token };
const raw = {
  store: { url: freshStoreUrl('sqlite') },
  redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: freshRedisPrefix() },
  connectors: { fake: { baseUrl: source.url, concurrency: 4 } },
  streams: { 'fake-members': { enabled: false } },
};
const app = await openApp({
  config: { config: parseConfig(raw, env), baseDir: process.cwd(), file: undefined, source: '' },
  env,
  extraConnectors: [fakeConnector],
  logger: pino({ level: 'silent' }),
});

const pipelineStart = performance.now();
const [summary] = await runBackfill(app, {
  period: { start, end: start + hours * HOUR },
  streams: [app.registry.stream('fake-changes')],
});
const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
if (summary?.items.new !== total) throw new Error(`expected ${total} new items, got ${summary?.items.new}`);
await app.close();
await source.stop();

// Baseline: the same items, prepared and written straight into a fresh store of the same kind.
const bare = await openStore(freshStoreUrl('sqlite'));
const repository = new EvidenceRepository(bare);
const bareStart = performance.now();
for (let index = 0; index < events.length; index += 1_000) {
  const batch = events
    .slice(index, index + 1_000)
    .map((event) => prepareItem({ key: event.id, occurredAt: event.at, payload: event }));
  await repository.write(
    {
      stream: 'fake-changes',
      runId: 'bench',
      collectedAt: Date.now(),
      criteria: ['CC8.1'],
      isoControls: ['A.8.32'],
    },
    batch,
  );
}
const bareSeconds = (performance.now() - bareStart) / 1000;
await bare.close();

const pipelineRate = total / pipelineSeconds;
const bareRate = total / bareSeconds;
console.log(
  JSON.stringify({
    figure: 'pipeline_items_per_second',
    items: total,
    windows: hours,
    value: Math.round(pipelineRate),
    baseline: { what: 'bare bulk insert of the same items into the same store', value: Math.round(bareRate) },
    ratio: Number((pipelineRate / bareRate).toFixed(3)),
    store: 'sqlite',
  }),
);
process.exit(0);
