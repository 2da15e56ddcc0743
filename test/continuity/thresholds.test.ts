import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { streamContinuity } from '../../src/continuity/report.js';
import { silenceThreshold } from '../../src/continuity/thresholds.js';
import { DAY, gridWindows } from '../../src/time.js';
import { collectHistory, openHarness, type Harness } from './harness.js';

const D0 = Date.UTC(2026, 0, 1);
const STREAM = 'fakesrc-trail';
const days = (from: number, to: number) => gridWindows(D0 + from * DAY, D0 + to * DAY, DAY);

describe('silence thresholds', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('learns several times the longest quiet stretch of the 30 days before the period, never less than the cadence', async () => {
    harness = await openHarness('sqlite', { start: D0, source: 's3' });
    const stream = harness.app.registry.stream(STREAM);
    // Before any history: the stream's declared default (1d, its cadence).
    expect(await silenceThreshold(harness.store, stream, D0 + 30 * DAY)).toEqual({
      ms: DAY,
      source: 'default',
    });

    await collectHistory(harness, STREAM, days(0, 10));
    harness.source.behaviour.set(STREAM, 'quiet');
    await collectHistory(harness, STREAM, days(10, 12)); // two quiet days: the longest stretch seen
    harness.source.behaviour.set(STREAM, 'active');
    await collectHistory(harness, STREAM, days(12, 30));
    expect(await silenceThreshold(harness.store, stream, D0 + 30 * DAY)).toEqual({
      ms: 6 * DAY,
      source: 'learned',
    });

    // In the period, five quiet days stay under the learned 6d; seven do not.
    harness.source.behaviour.set(STREAM, 'quiet');
    await collectHistory(harness, STREAM, days(30, 35));
    harness.source.behaviour.set(STREAM, 'active');
    await collectHistory(harness, STREAM, days(35, 36));
    harness.source.behaviour.set(STREAM, 'quiet');
    await collectHistory(harness, STREAM, days(36, 43));
    harness.source.behaviour.set(STREAM, 'active');
    await collectHistory(harness, STREAM, days(43, 44));
    const entry = await streamContinuity(
      harness.store,
      stream,
      { start: D0 + 30 * DAY, end: D0 + 44 * DAY },
      D0 + 45 * DAY,
    );
    expect(entry.silenceThresholdSource).toBe('learned');
    expect(entry.silent).toEqual([{ start: D0 + 36 * DAY, end: D0 + 43 * DAY, thresholdMs: 6 * DAY }]);
  });

  it('uses the configured threshold when set, and never less than the cadence', async () => {
    harness = await openHarness('sqlite', {
      start: D0,
      raw: { streams: { [STREAM]: { silenceThreshold: '2h' } } },
    });
    const stream = harness.app.registry.stream(STREAM);
    expect(await silenceThreshold(harness.store, stream, D0)).toEqual({ ms: DAY, source: 'config' });
  });

  it('validates the alerts section with errors that name the field', () => {
    expect(() => parseConfig({ alerts: { webhook: { url: 'hooks.slack.com/x' } } }, {})).toThrow(
      /config: alerts\.webhook\.url: expected an http\(s\) URL/,
    );
    expect(() => parseConfig({ alerts: { repair: { maxWindowsPerCheck: 0 } } }, {})).toThrow(
      /config: alerts\.repair\.maxWindowsPerCheck/,
    );
    expect(() => parseConfig({ alerts: { remindEvery: 'daily' } }, {})).toThrow(
      /config: alerts\.remindEvery/,
    );
    expect(() =>
      parseConfig({ alerts: { webhook: { url: 'https://x.test/h', format: 'xml' } } }, {}),
    ).toThrow(/config: alerts\.webhook\.format/);
    expect(parseConfig({}, {}).alerts).toMatchObject({
      failingAfter: 3,
      stoppedAfterCadences: 3,
      remindEvery: DAY,
    });
  });
});
