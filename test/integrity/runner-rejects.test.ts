import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CollectionRunner } from '../../src/collection/runner.js';
import { LocalLimiter } from '../../src/limiter.js';
import type { StreamInstance } from '../../src/registry.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { RejectLog } from '../../src/store/reject-log.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { defineConnector, defineStream, type CollectedItem } from '../../src/stream.js';
import { HOUR } from '../../src/time.js';
import { fakeClock, silentLogger } from '../support/app.js';
import { dropStore, freshStore, storeKinds } from '../support/stores.js';

const START = Date.UTC(2026, 2, 1);
const WINDOW = { start: START, end: START + HOUR };

// What a careless source hands over: each item below but `good-*` must be rejected, never fatal.
const items: CollectedItem<unknown>[] = [
  { key: 'good-1', occurredAt: START + 1, payload: { name: 'alice', size: 1 } },
  { key: 'surrogate', occurredAt: START + 2, payload: { name: 'mal\ud800lory', size: 1 }, source: 'page 1' },
  { key: 'nan', occurredAt: START + 3, payload: { name: 'bob', size: Number.NaN } },
  { key: 'wrong-type', occurredAt: START + 4, payload: { name: 42, size: 1 } },
  { key: 'missing', occurredAt: START + 5, payload: { size: 1 } },
  { key: 'outside', occurredAt: START + HOUR, payload: { name: 'late', size: 1 } },
  { key: 'good-2', occurredAt: START + 6, payload: { name: 'carol', size: 2 } },
  // Says it arrived late, from a stream that declares no late arrivals: rejected like any outsider.
  { key: 'late', occurredAt: START - HOUR, payload: { name: 'dave', size: 1 }, late: true },
];

const stream = defineStream<unknown, { name: string; size: number }>({
  id: 'poison-source',
  description: 'a source that yields poison',
  kind: 'events',
  population: 'every record of the poison source',
  evidenceName: 'Poison',
  criteria: ['CC7.2'],
  isoControls: ['A.8.15'],
  cadence: '1h',
  silenceThreshold: '1d',
  sourceLag: '0s',
  retention: () => ({ kind: 'forever', reason: 'kept forever' }),
  // z.number() refuses NaN itself; the payload with NaN in an unchecked field reaches canonicalisation.
  itemSchema: z.object({ name: z.string(), size: z.unknown() }) as never,
  async *collect() {
    for (const item of items) yield item as never;
  },
});

const instance: StreamInstance = {
  id: stream.id,
  connector: defineConnector({
    id: 'poison',
    description: 'poison',
    configSchema: z.object({}),
    createClient: () => ({}),
    streams: [stream],
  }),
  connectorConfig: {},
  definition: stream as never,
  cadenceMs: HOUR,
  silenceThresholdMs: 86_400_000,
  silenceThresholdConfigured: false,
  sourceLagMs: 0,
  retention: { kind: 'forever', reason: 'kept forever' },
  criteria: stream.criteria,
  isoControls: stream.isoControls,
};

/** A runner whose clock stands an hour after the window closed, with no clients (the stream needs none). */
const runnerAfterWindow = (store: EvidenceStore) =>
  new CollectionRunner({
    store,
    logger: silentLogger,
    clock: fakeClock(START + 2 * HOUR),
    limiter: new LocalLimiter(),
    clients: () => Promise.resolve({}),
  });

describe.each(storeKinds)('the runner on %s', (kind) => {
  const urls: string[] = [];
  afterAll(async () => {
    for (const url of urls) await dropStore(url);
  });

  it('rejects what cannot be validated or canonicalised with its real reason and completes the window', async () => {
    const { store, url } = await freshStore(kind);
    urls.push(url);
    const runner = runnerAfterWindow(store);
    const outcome = await runner.collect({
      stream: instance,
      window: WINDOW,
      trigger: 'backfill',
      attempt: 1,
    });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.counts).toMatchObject({ new: 2, skipped: 6 });
    expect((await new RunLedger(store).get(outcome.runId))?.items_skipped).toBe(6);
    const rejects = await new RejectLog(store).inPeriod(WINDOW);
    const reasons = Object.fromEntries(rejects.map((row) => [row.item_key, row.reason]));
    expect(reasons).toEqual({
      surrogate: 'payload cannot be stored: lone surrogate in a string at name',
      nan: 'payload cannot be stored: NaN is not a JSON number at size',
      'wrong-type': expect.stringMatching(/^payload invalid at name: .*expected string/),
      missing: 'payload has no name',
      outside: `occurredAt ${new Date(START + HOUR).toISOString()} lies outside the window`,
      late: `occurredAt ${new Date(START - HOUR).toISOString()} lies outside the window`,
    });
    expect(rejects.find((row) => row.item_key === 'surrogate')).toMatchObject({
      kind: 'record',
      source: 'page 1',
      window_start: WINDOW.start,
      window_end: WINDOW.end,
    });
    for (const row of rejects) expect(row.raw_sha256).toMatch(/^[0-9a-f]{64}$/);
    // The raw text keeps the lone surrogate escaped, so it is stored and hashed like any other text.
    expect(rejects.find((row) => row.item_key === 'surrogate')?.raw).toContain('\\ud800');
    await store.close();
  });

  it('stores a late item under its own time from a stream that declares late arrivals, and only a late one', async () => {
    const { store, url } = await freshStore(kind);
    urls.push(url);
    const runner = runnerAfterWindow(store);
    const declaring = { ...stream, lateArrivals: 'records reach the source after their hour was read' };
    const outcome = await runner.collect({
      stream: { ...instance, definition: declaring as never },
      window: WINDOW,
      trigger: 'backfill',
      attempt: 1,
    });
    expect(outcome.counts).toMatchObject({ new: 3, skipped: 5 });
    const stored = await store.db
      .selectFrom('evidence_items')
      .select(['item_key', 'occurred_at'])
      .where('item_key', '=', 'late')
      .execute();
    expect(stored.map((row) => Number(row.occurred_at))).toEqual([START - HOUR]);
    const rejects = await new RejectLog(store).inPeriod(WINDOW);
    expect(rejects.map((row) => row.item_key)).toContain('outside');
    await store.close();
  });
});
