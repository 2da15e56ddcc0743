import { afterAll, describe, expect, it } from 'vitest';
import { D0, dayText, diffsByDay, runsInOrder } from '../support/in-order.js';
import { HR, hrWorld, type HrWorld } from '../support/in-order-world.js';
import { DAY } from '../../src/time.js';

const DAYS = 8;

/** Each day n > 0 compared with day n - 1, naming that day's one hire. */
const dayByDay = Object.fromEntries(
  Array.from({ length: DAYS - 1 }, (_, index) => [
    dayText(index + 1),
    { since: dayText(index), hires: [String(201 + index)] },
  ]),
);
const eachOnce = Array.from({ length: DAYS }, (_, n) => ({ day: n, runs: ['succeeded#1'] }));

describe('catching up a stream whose windows go in order (real Redis, BullMQ and SQLite)', () => {
  const worlds: HrWorld[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.close();
  });

  it('collects eight due HR days after a single planner tick: each settled day enqueues the next', async () => {
    const w = await hrWorld(DAYS);
    worlds.push(w);
    await w.startWorkers({ planNext: true });
    const first = await w.planner.tick();
    expect(first.find((entry) => entry.stream === HR)?.windows).toEqual([{ start: D0, end: D0 + DAY }]);
    // No further tick: the worker asks the planner for the next day each time one settles.
    await w.waitSettled(DAYS - 1);
    expect(await runsInOrder(w.store, HR, DAYS)).toEqual(eachOnce);
    expect(await diffsByDay(w.store, HR, DAYS)).toEqual(dayByDay);
    expect(await w.cursorDays()).toEqual({ latest: dayText(DAYS - 1), previous: dayText(DAYS - 2) });
  }, 60_000);

  it('ticks racing the next-window requests hand out no day twice and none beside another', async () => {
    const w = await hrWorld(DAYS);
    worlds.push(w);
    await w.startWorkers({ planNext: true });
    const handedOut: number[] = [];
    while (!(await w.settled(DAYS - 1))) {
      const planned = await w.planner.tick();
      handedOut.push(planned.find((entry) => entry.stream === HR)?.windows.length ?? 0);
    }
    expect(handedOut.every((count) => count <= 1)).toBe(true);
    expect(await runsInOrder(w.store, HR, DAYS)).toEqual(eachOnce);
    expect(await diffsByDay(w.store, HR, DAYS)).toEqual(dayByDay);
  }, 60_000);
});
