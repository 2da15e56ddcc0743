import { afterEach, describe, expect, it } from 'vitest';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { gridWindows, HOUR } from '../../src/time.js';
import { storeKinds } from '../support/stores.js';
import { checker, collectHistory, openHarness, type Harness } from './harness.js';
import { WebhookReceiver } from './webhook-receiver.js';

const T0 = Date.UTC(2026, 4, 4);
const STREAM = 'fakesrc-logs';
const hours = (from: number, to: number) => gridWindows(T0 + from * HOUR, T0 + to * HOUR, HOUR);

describe.each(storeKinds)('a silent integration on %s', (kind) => {
  let harness: Harness | undefined;
  const webhook = new WebhookReceiver();
  afterEach(async () => {
    await harness?.close();
    await webhook.stop();
  });

  it('raises one silent alert listing the hours, survives a restart and a broken webhook, then recovers', async () => {
    await webhook.start();
    harness = await openHarness(kind, {
      start: T0,
      raw: {
        audit: { start: '2026-05-04' },
        streams: {
          [STREAM]: { silenceThreshold: '4h' },
          'fakesrc-changes': { enabled: false },
          'fakesrc-trail': { enabled: false },
        },
        alerts: { webhook: { url: webhook.url, format: 'slack', backoff: '1m' }, remindEvery: '12h' },
      },
    });
    const { store, app, clock } = harness;
    // The sandbox's CloudTrail outage: runs keep succeeding, but hours 10-15 hold no events at all.
    await collectHistory(harness, STREAM, hours(0, 10));
    harness.source.behaviour.set(STREAM, 'quiet');
    await collectHistory(harness, STREAM, hours(10, 16));
    clock.set(T0 + 16 * HOUR + 60_000);

    webhook.failNext = 2;
    const first = await checker(app, store)();
    expect(first.findings.map((finding) => finding.kind)).toEqual(['silent']);
    expect(first.delivered).toBe(0);
    const report = await buildContinuityReport(
      store,
      app.registry,
      { start: T0, end: T0 + 16 * HOUR },
      clock.now,
    );
    expect(report.streams[0]!.silent).toEqual([
      { start: T0 + 10 * HOUR, end: T0 + 16 * HOUR, thresholdMs: 4 * HOUR },
    ]);
    expect(report.streams[0]!.coveragePercent).toBe(100);
    expect(report.complete).toBe(false);

    // A broken webhook is retried with backoff from the store, never blocking the check.
    const restarted = checker(await harness.reopen(), store);
    expect(await restarted.deliver()).toBe(0);
    clock.advance(60_000);
    expect(await restarted.deliver()).toBe(0);
    expect(webhook.attempts).toBe(2);
    // The failures are logged with the webhook's origin only: its path is the secret.
    const failures = harness.logs.lines.filter((line) => line.msg === 'alert webhook failed, will retry');
    expect(failures.map((line) => [line.webhook, line.err, line.retryInMs])).toEqual([
      [`${new URL(webhook.url).origin}/…`, 'HTTP 500', 60_000],
      [`${new URL(webhook.url).origin}/…`, 'HTTP 500', 120_000],
    ]);
    expect(JSON.stringify(harness.logs.lines)).not.toContain('SECRETxTOKEN');
    clock.advance(60_000);
    expect(await restarted.deliver()).toBe(0);
    clock.advance(60_000);
    expect(await restarted.deliver()).toBe(1);
    expect(webhook.received).toHaveLength(1);
    expect(String(webhook.received[0]!.text)).toMatch(
      /fakesrc-logs is SILENT: runs succeed but the source yielded nothing since 2026-05-04T10:00:00.000Z \(6h/,
    );
    expect(webhook.received[0]!.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: webhook.received[0]!.text } },
    ]);

    // Restart in the middle of the open alert: no second notification; a reminder only after 12h.
    clock.advance(5 * 60_000);
    expect((await restarted()).notifications).toEqual([]);
    expect(webhook.received).toHaveLength(1);
    await collectHistory(harness, STREAM, hours(16, 28));
    clock.set(T0 + 28 * HOUR + 60_000);
    const reminded = await restarted();
    expect(reminded.notifications.map((note) => note.event)).toEqual(['reminder']);
    expect((await restarted()).notifications).toEqual([]);
    expect(webhook.received).toHaveLength(2);
    expect(String(webhook.received[1]!.text)).toMatch(/reminder, fakesrc-logs is still SILENT/);

    // Events come back: the alert closes with a recovery message; the silent hours stay in the report.
    harness.source.behaviour.set(STREAM, 'active');
    await collectHistory(harness, STREAM, hours(28, 29));
    clock.set(T0 + 29 * HOUR + 60_000);
    const recovered = await restarted();
    expect(recovered.notifications.map((note) => note.event)).toEqual(['recovered']);
    expect(webhook.received.map((body) => String(body.text))).toEqual([
      expect.stringContaining('is SILENT'),
      expect.stringContaining('still SILENT'),
      expect.stringMatching(/RECOVERED, fakesrc-logs yields items again/),
    ]);
    const later = await buildContinuityReport(
      store,
      app.registry,
      { start: T0, end: T0 + 29 * HOUR },
      clock.now,
    );
    expect(later.streams[0]!.silent).toEqual([
      { start: T0 + 10 * HOUR, end: T0 + 28 * HOUR, thresholdMs: 4 * HOUR },
    ]);
  });
});
