import { afterAll, describe, expect, it } from 'vitest';
import { runBackfill } from '../../src/collection/backfill.js';
import { startService } from '../../src/service.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { StreamState } from '../../src/store/stream-state.js';
import { verifyStore } from '../../src/store/verify-store.js';
import { fakeClock, testApp, waitFor } from '../support/app.js';
import { dropStore, freshStoreUrl, storeKinds } from '../support/stores.js';
import { connector as fakeConnector } from '../fixtures/fake-connector.js';
import { startFakeSource, type FakeEvent } from '../fixtures/fake-source.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY0 = Date.UTC(2026, 2, 1);

function events(hours: number): FakeEvent[] {
  const list: FakeEvent[] = [];
  for (let hour = 0; hour < hours; hour += 1) {
    for (let index = 0; index < 4; index += 1) {
      list.push({
        id: `ev-${hour}-${index}`,
        at: DAY0 + hour * HOUR + index * 900_000,
        actor: `user${index}`,
        action: index === 3 ? 'force-push' : 'merge',
      });
    }
  }
  // One event exactly on a window boundary belongs to the later window.
  list.push({ id: 'ev-boundary', at: DAY0 + 5 * HOUR, actor: 'edge', action: 'merge' });
  return list;
}

describe.each(storeKinds)('schedule -> queue -> worker -> store -> ledger on %s', (kind) => {
  const urls: string[] = [];
  afterAll(async () => {
    for (const url of urls) await dropStore(url);
  });

  it('collects every due window of both streams, then changes nothing when run again', async () => {
    const source = await startFakeSource({ token: 'test-token-123456', events: events(26) });
    source.members = { alice: 'admin', bob: 'member' };
    const storeUrl = freshStoreUrl(kind);
    urls.push(storeUrl);
    const clock = fakeClock(DAY0 + DAY + 2 * HOUR);
    const app = await testApp({
      raw: { audit: { start: '2026-03-01' }, connectors: { fake: { baseUrl: source.url, concurrency: 4 } } },
      storeUrl,
      connectors: [fakeConnector],
      clock,
    });
    const store = await app.store();
    const ledger = new RunLedger(store);
    const service = await startService(app, 'all');
    try {
      // The first tick ran at start: 26 hourly windows and one daily snapshot window are due.
      const runs = await waitFor(async () => {
        const all = [
          ...(await ledger.forStream('fake-changes', DAY0, DAY0 + 2 * DAY)),
          ...(await ledger.forStream('fake-members', DAY0, DAY0 + 2 * DAY)),
        ];
        return all.filter((run) => run.status === 'succeeded').length === 27 && all;
      }, 'all windows to succeed');
      expect(runs.every((run) => run.trigger === 'schedule')).toBe(true);
      const items = await store.db
        .selectFrom('evidence_items')
        .select(['stream', 'item_key', 'version', 'occurred_at', 'exception_count'])
        .execute();
      const changeKeys = items.filter((item) => item.stream === 'fake-changes').map((item) => item.item_key);
      expect(new Set(changeKeys).size).toBe(changeKeys.length);
      expect(changeKeys.sort()).toEqual(
        events(26)
          .map((event) => event.id)
          .sort(),
      );
      const boundary = runs.find(
        (run) => run.window_start === DAY0 + 5 * HOUR && run.stream === 'fake-changes',
      );
      expect(boundary?.items_new).toBe(5);
      // Facts only: nothing judged is stored with an item.
      expect(items.filter((item) => item.exception_count > 0)).toHaveLength(0);
      expect(
        items
          .filter((item) => item.stream === 'fake-members')
          .map((item) => item.item_key)
          .sort(),
      ).toEqual(['2026-03-01/alice', '2026-03-01/bob']);
      expect((await new StreamState(store).get('fake-changes')).watermark).toBe(DAY0 + 26 * HOUR);
      expect((await new StreamState(store).get('fake-members')).cursor).toEqual({
        members: { alice: 'admin', bob: 'member' },
      });

      // A second planner tick at the same time finds nothing due.
      expect(await service.planner!.tick()).toEqual([]);
    } finally {
      await service.stop();
    }

    const before = await store.db
      .selectFrom('evidence_items')
      .select(['stream', 'item_key', 'version', 'row_hash'])
      .orderBy('id')
      .execute();
    const summaries = await runBackfill(app, {
      period: { start: DAY0, end: DAY0 + DAY + HOUR },
      streams: [app.registry.stream('fake-changes')],
      force: true,
    });
    expect(summaries[0]).toMatchObject({
      succeeded: 2,
      failed: 0,
      items: { new: 0, changed: 0, unchanged: 101 },
    });
    const after = await store.db
      .selectFrom('evidence_items')
      .select(['stream', 'item_key', 'version', 'row_hash'])
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
    expect((await verifyStore(store)).problems).toEqual([]);
    await app.close();
    await source.stop();
  });
});
