import { afterEach, describe, expect, it } from 'vitest';
import { gridWindows, HOUR } from '../../src/time.js';
import { checker, collectHistory, openHarness, type Harness } from './harness.js';

const T0 = Date.UTC(2026, 8, 1);
const STREAM = 'fakesrc-changes';
const hour = (index: number) => gridWindows(T0 + index * HOUR, T0 + (index + 1) * HOUR, HOUR);

describe('the failing rule', () => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it('counts failed windows, not retries: a blip is no alert, three failed windows are', async () => {
    harness = await openHarness('postgres', {
      start: T0,
      raw: {
        streams: { 'fakesrc-logs': { enabled: false }, 'fakesrc-trail': { enabled: false } },
        alerts: { repair: { enabled: false } },
      },
    });
    const check = checker(harness.app, harness.store);
    await collectHistory(harness, STREAM, hour(0));
    harness.source.behaviour.set(STREAM, 'broken');
    // One window retried three times by the queue: still one failed window.
    await collectHistory(harness, STREAM, [...hour(1), ...hour(1), ...hour(1)]);
    await collectHistory(harness, STREAM, hour(2));
    harness.clock.set(T0 + 3 * HOUR + 60_000);
    expect((await check()).findings).toEqual([]);

    await collectHistory(harness, STREAM, hour(3));
    harness.clock.set(T0 + 4 * HOUR + 60_000);
    const result = await check();
    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: 'failing',
        message: expect.stringMatching(/^5 consecutive failed runs over 3 windows, last error HTTP_503/),
      }),
    ]);
    expect(result.notifications.map((note) => note.event)).toEqual(['opened']);

    harness.source.behaviour.set(STREAM, 'active');
    await collectHistory(harness, STREAM, hour(4));
    harness.clock.set(T0 + 5 * HOUR + 60_000);
    expect((await check()).notifications.map((note) => `${note.kind} ${note.event}`)).toEqual([
      'failing recovered',
    ]);
  });
});
