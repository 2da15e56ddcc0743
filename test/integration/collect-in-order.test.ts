import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { collectDue } from '../../src/collection/collect-due.js';
import { DAY, HOUR } from '../../src/time.js';
import { testApp } from '../support/app.js';
import { D0, dayText, diffsByDay, hrExports, runsInOrder, steppingClock } from '../support/in-order.js';
import { dropStore, freshStoreUrl } from '../support/stores.js';

const DAYS = 5;
const HR = 'hr-workforce';

/** `collect` after five days without a pass: the HR days, one of them cut off and one unreadable. */
describe.each([
  ['inline', true],
  ['through the queue', false],
] as const)('collect %s and a stream whose windows go in order', (_how, inline) => {
  const opened: { app: App; url: string }[] = [];
  afterAll(async () => {
    for (const { app, url } of opened) {
      await app.close();
      await dropStore(url);
    }
  });

  it('collects the due days strictly in day order, each after the one before settled, past the failed ones', async () => {
    const url = freshStoreUrl('sqlite');
    const app = await testApp({
      raw: {
        audit: { start: dayText(0) },
        connectors: { 'hr-file': { directory: hrExports(DAYS, { 1: 'empty', 2: 'unknown-layout' }) } },
      },
      storeUrl: url,
      clock: steppingClock(D0 + DAYS * DAY + HOUR),
    });
    opened.push({ app, url });
    const { collected } = await collectDue(app, { streams: [app.registry.stream(HR)], inline });
    expect(collected.get(HR)).toBe(DAYS);
    expect(await runsInOrder(await app.store(), HR, DAYS)).toEqual([
      { day: 0, runs: ['succeeded#1'] },
      { day: 1, runs: ['failed#1', 'failed#2', 'failed#3'] },
      { day: 2, runs: ['failed#1'] },
      { day: 3, runs: ['succeeded#1'] },
      { day: 4, runs: ['succeeded#1'] },
    ]);
    expect(await diffsByDay(await app.store(), HR, DAYS)).toEqual({
      [dayText(3)]: { since: dayText(0), hires: ['201', '202', '203'] },
      [dayText(4)]: { since: dayText(3), hires: ['204'] },
    });
  }, 90_000);
});
