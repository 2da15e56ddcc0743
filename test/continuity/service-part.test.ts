import { afterEach, describe, expect, it } from 'vitest';
import { continuityServicePart } from '../../src/continuity/service-part.js';
import { servicePartFactories, startService, type RunningService } from '../../src/service.js';
import { gridWindows, HOUR } from '../../src/time.js';
import { collectHistory, openHarness, type Harness } from './harness.js';

const T0 = Date.UTC(2026, 7, 3);

// As registerServiceParts does in `start` (without the HTTP part, which would bind a port).
servicePartFactories.push(continuityServicePart);

describe('the checker inside start', () => {
  let harness: Harness | undefined;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    await harness?.close();
  });

  it('checks once at start-up, judging from the ledger alone while nothing else runs', async () => {
    harness = await openHarness('sqlite', {
      start: T0,
      raw: { streams: { 'fakesrc-logs': { enabled: false }, 'fakesrc-trail': { enabled: false } } },
    });
    await collectHistory(harness, 'fakesrc-changes', gridWindows(T0, T0 + 2 * HOUR, HOUR));
    harness.clock.set(T0 + 8 * HOUR);
    // Only the role's workers and the checker; no planner: the check still fires.
    service = await startService(harness.app, 'worker');
    const alerts = await harness.store.db.selectFrom('alerts').selectAll().execute();
    expect(alerts).toEqual([
      expect.objectContaining({ stream: 'fakesrc-changes', kind: 'stopped', status: 'open' }),
    ]);
    // Without a webhook the log is the channel: the notification is recorded as logged, once.
    const notes = await harness.store.db.selectFrom('alert_notifications').selectAll().execute();
    expect(notes).toEqual([expect.objectContaining({ event: 'opened', status: 'logged' })]);
    expect(harness.logs.lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        alert: 'stopped',
        msg: expect.stringContaining('fakesrc-changes is STOPPED'),
      }),
    );
  });
});
