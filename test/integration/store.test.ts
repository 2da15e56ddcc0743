import { afterAll, describe, expect, it } from 'vitest';
import { EvidenceRepository, prepareItem } from '../../src/store/evidence-repository.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { StreamState } from '../../src/store/stream-state.js';
import { verifyStore } from '../../src/store/verify-store.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { dropStore, freshStore, rawSql, storeKinds } from '../support/stores.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);

describe.each(storeKinds)('store on %s', (kind) => {
  const opened: { store: EvidenceStore; url: string }[] = [];
  const open = async () => {
    const entry = await freshStore(kind);
    opened.push(entry);
    return entry.store;
  };
  afterAll(async () => {
    for (const { store, url } of opened) {
      await store.close();
      await dropStore(url);
    }
  });

  const context = (runId: string) => ({
    stream: 's',
    runId,
    collectedAt: T0 + HOUR,
    criteria: ['CC8.1'],
    isoControls: ['A.8.32'],
  });

  it('keeps a changed payload as a new version and writes nothing for an unchanged one', async () => {
    const store = await open();
    const evidence = new EvidenceRepository(store);
    const first = await evidence.write(context('r1'), [
      prepareItem({ key: 'a', occurredAt: T0, payload: { n: 1 } }),
      prepareItem({
        key: 'b',
        occurredAt: T0 + 1,
        payload: { n: 2 },
        exceptions: [{ code: 'direct_push', description: 'no PR' }],
      }),
    ]);
    expect(first).toEqual({ new: 2, unchanged: 0, changed: 0 });
    const second = await evidence.write(context('r2'), [
      prepareItem({ key: 'a', occurredAt: T0, payload: { n: 1 } }),
      prepareItem({ key: 'b', occurredAt: T0 + 1, payload: { n: 3 } }),
    ]);
    expect(second).toEqual({ new: 0, unchanged: 1, changed: 1 });
    const rows = await store.db.selectFrom('evidence_items').selectAll().orderBy('seq').execute();
    expect(rows.map((row) => [row.item_key, row.version])).toEqual([
      ['a', 1],
      ['b', 1],
      ['b', 2],
    ]);
    const population = [];
    for await (const row of evidence.population('s', T0, T0 + HOUR))
      population.push([row.item_key, row.version]);
    expect(population).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(await evidence.countPopulation('s', T0, T0 + HOUR)).toBe(2);
    expect((await verifyStore(store)).problems).toEqual([]);
  });

  it('names the row whose payload was edited, and notices a deleted row', async () => {
    const store = await open();
    const evidence = new EvidenceRepository(store);
    const items = Array.from({ length: 30 }, (_, index) =>
      prepareItem({ key: `k${index}`, occurredAt: T0 + index, payload: { index, note: 'approved' } }),
    );
    await evidence.write(context('r1'), items);
    const intact = await verifyStore(store, 7);
    expect(intact).toMatchObject({ rows: 30, problems: [] });

    const target = await store.db
      .selectFrom('evidence_items')
      .select(['id', 'payload'])
      .where('item_key', '=', 'k12')
      .executeTakeFirstOrThrow();
    const edited = target.payload.replace('approved', 'approvee');
    await rawSql(store, `UPDATE evidence_items SET payload = '${edited}' WHERE id = ${target.id}`);
    const tampered = await verifyStore(store, 7);
    expect(tampered.problems).toHaveLength(1);
    expect(tampered.problems[0]).toMatchObject({
      stream: 's',
      id: Number(target.id),
      itemKey: 'k12',
      version: 1,
    });
    expect(tampered.problems[0]!.problem).toMatch(/payload does not match/);

    await rawSql(store, `UPDATE evidence_items SET payload = '${target.payload}' WHERE id = ${target.id}`);
    await rawSql(store, `DELETE FROM evidence_items WHERE item_key = 'k29'`);
    const truncated = await verifyStore(store, 7);
    expect(truncated.problems.map((problem) => problem.problem).join('\n')).toMatch(
      /chain ends at row 29 but its head records row 30/,
    );
    await rawSql(store, `DELETE FROM evidence_items WHERE item_key = 'k3'`);
    const holed = await verifyStore(store, 7);
    expect(
      holed.problems.some(
        (problem) => problem.itemKey === 'k4' && /rows 4\.\.4 of the chain are missing/.test(problem.problem),
      ),
    ).toBe(true);
  });

  it('serialises concurrent writers of one stream into one unbroken chain', async () => {
    const store = await open();
    const evidence = new EvidenceRepository(store);
    await Promise.all(
      Array.from({ length: 6 }, (_, writer) =>
        evidence.write(
          context(`w${writer}`),
          Array.from({ length: 50 }, (_, index) =>
            prepareItem({ key: `w${writer}-${index}`, occurredAt: T0 + index, payload: { writer, index } }),
          ),
        ),
      ),
    );
    const report = await verifyStore(store);
    expect(report).toMatchObject({ rows: 300, problems: [] });
  });

  it('records runs and advances the watermark over contiguous settled windows only', async () => {
    const store = await open();
    const ledger = new RunLedger(store);
    const state = new StreamState(store);
    await state.seedWatermark('s', T0, T0);
    let tick = 0;
    const run = async (hour: number, outcome: 'succeeded' | 'failed') => {
      const id = await ledger.start({
        stream: 's',
        window: { start: T0 + hour * HOUR, end: T0 + (hour + 1) * HOUR },
        trigger: 'schedule',
        attempt: 1,
        // Distinct start times: the ledger orders attempts of one window by when they started.
        now: T0 + ++tick,
      });
      if (outcome === 'succeeded')
        await ledger.succeed(id, 's', { new: 1, unchanged: 0, changed: 0, skipped: 0 }, T0, { page: hour });
      else
        await ledger.fail(
          id,
          { code: 'HTTP_503', message: 'unavailable' },
          { new: 0, unchanged: 0, changed: 0, skipped: 0 },
          T0,
        );
      return id;
    };
    await run(0, 'succeeded');
    await run(2, 'succeeded');
    expect((await state.get('s')).watermark).toBe(T0 + HOUR);
    const failed = await run(1, 'failed');
    expect((await ledger.get(failed))?.error_code).toBe('HTTP_503');
    expect((await state.get('s')).watermark).toBe(T0 + HOUR);
    await run(1, 'succeeded');
    expect(await state.get('s')).toEqual({ watermark: T0 + 3 * HOUR, cursor: { page: 1 } });
    const runs = await ledger.forStream('s', T0, T0 + 3 * HOUR);
    expect(runs.map((entry) => entry.status)).toEqual(['succeeded', 'failed', 'succeeded', 'succeeded']);
  });

  it('abandons a running attempt when a later attempt of the same window starts', async () => {
    const store = await open();
    const ledger = new RunLedger(store);
    const window = { start: T0, end: T0 + HOUR };
    const first = await ledger.start({ stream: 's', window, trigger: 'backfill', attempt: 1, now: T0 });
    await ledger.start({ stream: 's', window, trigger: 'backfill', attempt: 2, now: T0 + 1 });
    expect((await ledger.get(first))?.status).toBe('abandoned');
  });
});
