import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityChunks } from '../../src/continuity/activity.js';
import { scanLedger } from '../../src/continuity/ledger-scan.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { RunStatus } from '../../src/store/schema.js';
import { seededRandom } from '../../src/sandbox/seeded-random.js';
import type { Window } from '../../src/time.js';
import { dropStore, freshStore, storeKinds } from '../support/stores.js';
import { referenceScan } from './ledger-reference.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const STATUSES: readonly RunStatus[] = [
  'succeeded',
  'succeeded',
  'succeeded',
  'failed',
  'abandoned',
  'unrecoverable',
  'running',
];
const CODES = [null, 'HTTP_503', 'AUTH_INVALID', 'GONE'];
const SEEDS = 40;

/** A small messy ledger: mixed window lengths and grids, retries, duplicates, ties on started_at. */
function randomLedger(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const stream = `prop-${seed}`;
  const rows = Array.from({ length: 10 + Math.floor(random() * 70) }, (_, index) => {
    const start = T0 + Math.floor(random() * 48) * 15 * MIN + (random() < 0.1 ? pick([1, 5, 7]) * MIN : 0);
    const status = pick(STATUSES);
    return {
      // Ids out of start order, so the (window_start, id) tie-break matters.
      id: `${stream}-${Math.floor(random() * 1e9).toString(36)}-${index}`,
      stream,
      window_start: start,
      window_end: start + pick([15, 15, 15, 30, 60, 45, 5]) * MIN,
      trigger: 'schedule' as const,
      status,
      attempt: 1,
      job_id: null,
      items_new: 0,
      items_unchanged: 0,
      items_changed: 0,
      items_skipped: 0,
      error_code: status === 'succeeded' ? null : pick(CODES),
      error_message: null,
      started_at: T0 + pick([0, 1, 1, 2, 3]) * 60 * MIN + Math.floor(random() * 4) * MIN,
      finished_at: null,
    };
  });
  const from = T0 + Math.floor(random() * 16) * 15 * MIN - (random() < 0.3 ? 7 * MIN : 0);
  const period: Window = {
    start: from,
    end: from + (4 + Math.floor(random() * 12)) * 60 * MIN + pick([0, 3 * MIN]),
  };
  const now = T0 + Math.floor(random() * 8) * 60 * MIN;
  return {
    stream,
    rows,
    period,
    now,
    staleRunningMs: pick([15, 60, 240]) * MIN,
    pageSize: pick([1, 2, 3, 7, 5_000]),
  };
}

/** Items over ~3.5 hours of 1 s buckets: several 5,000-bucket chunks, from a period start off the grid. */
function randomItems(seed: number) {
  const random = seededRandom(seed * 7 + 1);
  const stream = `items-${seed}`;
  const items = Array.from({ length: 200 + Math.floor(random() * 300) }, (_, seq) => ({
    stream,
    item_key: `k${seq}`,
    version: 1,
    seq: seq + 1,
    occurred_at: T0 + Math.floor(random() * 12_600_000),
    collected_at: T0,
    run_id: 'r',
    criteria: '[]',
    iso_controls: '[]',
    payload: '{}',
    payload_sha256: 'x',
    exceptions: '[]',
    exception_count: random() < 0.2 ? Math.floor(random() * 3) + 1 : 0,
    quiet: random() < 0.4 ? 1 : 0,
    prev_hash: 'x',
    row_hash: 'x',
  }));
  const period = { start: T0 + 1_234_567, end: T0 + 11_000_500 };
  return { stream, items, period };
}

describe.each(storeKinds)('ledger scan and activity counts in the database, on %s', (kind) => {
  let store: EvidenceStore;
  let url: string;
  beforeAll(async () => {
    ({ store, url } = await freshStore(kind));
    for (let seed = 1; seed <= SEEDS; seed += 1) {
      await store.db.insertInto('runs').values(randomLedger(seed).rows).execute();
      await store.db.insertInto('evidence_items').values(randomItems(seed).items).execute();
    }
  });
  afterAll(async () => {
    await store.close();
    await dropStore(url);
  });

  it('gives the covered windows and attempt marks of the row-by-row merge, for any page size', async () => {
    for (let seed = 1; seed <= SEEDS; seed += 1) {
      const { stream, period, now, staleRunningMs, pageSize } = randomLedger(seed);
      const expected = await referenceScan(store, stream, period, { now, staleRunningMs });
      const scan = await scanLedger(store, stream, period, { now, staleRunningMs, pageSize });
      expect({ seed, covered: scan.covered, marks: scan.marks }).toEqual({ seed, ...expected });
    }
  });

  it('counts items, exceptions and active buckets as reading every item would', async () => {
    for (let seed = 1; seed <= SEEDS; seed += 1) {
      const { stream, items, period } = randomItems(seed);
      const inside = items.filter(
        (item) => item.occurred_at >= period.start && item.occurred_at < period.end,
      );
      const active = [
        ...new Set(
          inside.filter((item) => !item.quiet).map((item) => Math.floor(item.occurred_at / 1_000) * 1_000),
        ),
      ];
      const totals = { items: 0, exceptions: 0, active: [] as number[] };
      for await (const chunk of activityChunks(store, stream, period, 1_000)) {
        totals.items += chunk.items;
        totals.exceptions += chunk.exceptions;
        totals.active.push(...chunk.active);
      }
      expect({ seed, ...totals }).toEqual({
        seed,
        items: inside.length,
        exceptions: inside.reduce((sum, item) => sum + item.exception_count, 0),
        active: active.sort((a, b) => a - b),
      });
    }
  });
});
