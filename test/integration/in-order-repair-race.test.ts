import { afterAll, describe, expect, it } from 'vitest';
import { collectJobId } from '../../src/collection/job-id.js';
import { dayText, diffsByDay, runsInOrder } from '../support/in-order.js';
import { HR, day, hrWorld, type HrWorld } from '../support/in-order-world.js';

const DAYS = 4;

/** The HR runs as [day, started, finished] intervals, to show none ran beside another. */
async function overlapping(w: HrWorld): Promise<boolean> {
  const runs = (await w.ledger.forStream(HR, day(0).start, day(DAYS - 1).end)).sort(
    (a, b) => a.started_at - b.started_at,
  );
  return runs.some((run, index) => index > 0 && run.started_at < (runs[index - 1]!.finished_at ?? Infinity));
}

/**
 * Day 0 collected, day 1's export caught empty while written (its one attempt failed), and the export then
 * put right: day 1 is a `failed` gap repair reads again.
 */
async function dayOneFailed(w: HrWorld): Promise<void> {
  expect((await w.collectNow(0)).status).toBe('succeeded');
  expect((await w.collectNow(1)).status).toBe('failed');
  w.repairExport(1);
}

describe('repair of a failed day and the planner of a stream whose windows go in order (real Redis, BullMQ, SQLite)', () => {
  const worlds: HrWorld[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.close();
  });

  it('repair leaves a failed day alone while a later day is in flight: no two days diff against one cursor', async () => {
    const w = await hrWorld(DAYS, { 1: 'empty' });
    worlds.push(w);
    await dayOneFailed(w);
    // Day 1 failed and is not in flight: the planner passes over it and hands out day 2.
    const planned = await w.planner.tick();
    expect(planned.find((entry) => entry.stream === HR)?.windows).toEqual([day(2)]);
    const checked = await w.check();
    expect(checked.repair.enqueued).toBe(0);
    expect(await w.hrJobs()).toEqual([collectJobId(HR, day(2))]);

    // The workers (two at a time for the connector) collect what is queued, and each day the next.
    await w.startWorkers({ planNext: true });
    await w.waitSettled(DAYS - 1);
    expect(await overlapping(w)).toBe(false);
    // Day 2 is compared with day 0, the last day observed; day 1 has not been read again yet.
    expect(await diffsByDay(w.store, HR, DAYS)).toEqual({
      [dayText(2)]: { since: dayText(0), hires: ['201', '202'] },
      [dayText(3)]: { since: dayText(2), hires: ['203'] },
    });
    expect(await w.cursorDays()).toEqual({ latest: dayText(3), previous: dayText(2) });
  }, 60_000);

  it('holds the next day while a repair of a failed day is in flight, then goes on in day order', async () => {
    const w = await hrWorld(DAYS, { 1: 'empty' });
    worlds.push(w);
    await dayOneFailed(w);
    const checked = await w.check();
    expect(checked.repair.enqueued).toBe(1);
    // The planner would otherwise pass over day 1 and hand out day 2 beside its repair.
    const planned = await w.planner.tick();
    expect(planned.find((entry) => entry.stream === HR)).toBeUndefined();
    expect(await w.hrJobs()).toHaveLength(1);

    await w.startWorkers({ planNext: true });
    await w.waitSettled(DAYS - 1);
    expect(await runsInOrder(w.store, HR, DAYS)).toEqual([
      { day: 0, runs: ['succeeded#1'] },
      { day: 1, runs: ['failed#1', 'succeeded#1'] },
      { day: 2, runs: ['succeeded#1'] },
      { day: 3, runs: ['succeeded#1'] },
    ]);
    expect(await diffsByDay(w.store, HR, DAYS)).toEqual({
      [dayText(1)]: { since: dayText(0), hires: ['201'] },
      [dayText(2)]: { since: dayText(1), hires: ['202'] },
      [dayText(3)]: { since: dayText(2), hires: ['203'] },
    });
  }, 60_000);

  it('two days enqueued side by side (a racing planner, repair or backfill) are still read one after the other', async () => {
    const w = await hrWorld(DAYS);
    worlds.push(w);
    const stream = w.app.registry.stream(HR);
    await w.producer.enqueue([
      { stream, window: day(0), trigger: 'schedule' },
      { stream, window: day(1), trigger: 'repair', idSuffix: 'repair' },
    ]);
    // Two workers for the connector: both jobs start at once, and one of them waits for the other.
    await w.startWorkers({ planNext: false });
    await w.waitSettled(0);
    await w.waitSettled(1);
    expect(await overlapping(w)).toBe(false);
    const runs = await w.ledger.forStream(HR, day(0).start, day(1).end);
    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    expect(await w.cursorDays()).toMatchObject({ latest: dayText(1) });
  }, 60_000);

  it('a failed day read again after the day after it reports no changes twice and leaves the cursor where it was', async () => {
    const w = await hrWorld(DAYS, { 1: 'empty' });
    worlds.push(w);
    await dayOneFailed(w);
    expect((await w.collectNow(2)).status).toBe('succeeded');
    const before = await w.cursorDays();
    expect(before).toEqual({ latest: dayText(2), previous: dayText(0) });
    // Repair reads day 1 once nothing of the stream is in flight: after day 2.
    expect((await w.check()).repair.enqueued).toBe(1);
    await w.startWorkers({ planNext: false });
    await w.waitSettled(1);
    // Day 2 already reported the hire of day 1 (compared with day 0): day 1 must not report it again.
    expect(await diffsByDay(w.store, HR, DAYS)).toEqual({
      [dayText(2)]: { since: dayText(0), hires: ['201', '202'] },
    });
    expect(await w.cursorDays()).toEqual(before);
  }, 60_000);
});
