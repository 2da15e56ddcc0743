import { afterEach, describe, expect, it } from 'vitest';
import { scanLedger } from '../../src/continuity/ledger-scan.js';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { DAY, gridWindows, HOUR, type Window } from '../../src/time.js';
import { storeKinds } from '../support/stores.js';
import { fakeSnapshotConnector } from './fake-snapshot.js';
import { collectHistory, openHarness, type Harness } from './harness.js';

const DAY0 = Date.UTC(2026, 2, 1);
const hours = (from: number, to: number): Window[] => gridWindows(DAY0 + from * HOUR, DAY0 + to * HOUR, HOUR);

describe.each(storeKinds)('continuity report on %s', (kind) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('lists coverage, gaps with their cause, silent hours and not-yet-due time', async () => {
    harness = await openHarness(kind, {
      start: DAY0,
      raw: { streams: { 'fakesrc-logs': { silenceThreshold: '4h' } } },
    });
    await collectHistory(harness, 'fakesrc-changes', [...hours(0, 3), ...hours(11, 24)]);
    harness.source.behaviour.set('fakesrc-changes', 'unauthorized');
    await collectHistory(harness, 'fakesrc-changes', hours(9, 11));
    await collectHistory(harness, 'fakesrc-logs', hours(0, 10));
    harness.source.behaviour.set('fakesrc-logs', 'quiet');
    await collectHistory(harness, 'fakesrc-logs', hours(10, 16));
    harness.source.behaviour.set('fakesrc-logs', 'active');
    await collectHistory(harness, 'fakesrc-logs', hours(16, 24));

    const now = DAY0 + DAY + 30 * 60_000;
    const report = await buildContinuityReport(
      harness.store,
      harness.app.registry,
      { start: DAY0, end: DAY0 + 2 * DAY },
      now,
      { streams: ['fakesrc-changes', 'fakesrc-logs'] },
    );
    expect(report.complete).toBe(false);
    const changes = report.streams.find((entry) => entry.stream === 'fakesrc-changes')!;
    expect(changes.coveragePercent).toBeCloseTo((16 / 24) * 100, 2);
    expect(changes.covered).toEqual([
      { start: DAY0, end: DAY0 + 3 * HOUR },
      { start: DAY0 + 11 * HOUR, end: DAY0 + 24 * HOUR },
    ]);
    expect(
      changes.gaps.map(({ start, end, cause, errorCode, recoverable }) => ({
        start,
        end,
        cause,
        errorCode,
        recoverable,
      })),
    ).toEqual([
      {
        start: DAY0 + 3 * HOUR,
        end: DAY0 + 9 * HOUR,
        cause: 'never_attempted',
        errorCode: undefined,
        recoverable: true,
      },
      {
        start: DAY0 + 9 * HOUR,
        end: DAY0 + 11 * HOUR,
        cause: 'failed',
        errorCode: 'AUTH_INVALID',
        recoverable: true,
      },
      {
        start: DAY0 + DAY,
        end: DAY0 + 2 * DAY,
        cause: 'not_yet_due',
        errorCode: undefined,
        recoverable: true,
      },
    ]);
    expect(changes.silent).toEqual([]);

    const logs = report.streams.find((entry) => entry.stream === 'fakesrc-logs')!;
    expect(logs.coveragePercent).toBe(100);
    expect(logs.silent).toEqual([{ start: DAY0 + 10 * HOUR, end: DAY0 + 16 * HOUR, thresholdMs: 4 * HOUR }]);
    expect(logs.silenceThresholdSource).toBe('config');
    expect(logs.itemCount).toBe(24);

    // Keyset pages of two rows give the same answer as one page.
    const whole = await scanLedger(
      harness.store,
      'fakesrc-changes',
      { start: DAY0, end: DAY0 + DAY },
      { now, staleRunningMs: HOUR },
    );
    const paged = await scanLedger(
      harness.store,
      'fakesrc-changes',
      { start: DAY0, end: DAY0 + DAY },
      { now, staleRunningMs: HOUR, pageSize: 2 },
    );
    expect(paged).toEqual(whole);
    expect(whole.marks).toEqual([
      { start: DAY0 + 9 * HOUR, end: DAY0 + 11 * HOUR, kind: 'failed', code: 'AUTH_INVALID' },
    ]);

    // The same ledger with the silent hours and gaps outside the period is complete.
    const clean = await buildContinuityReport(
      harness.store,
      harness.app.registry,
      { start: DAY0 + 16 * HOUR, end: DAY0 + DAY },
      now,
      { streams: ['fakesrc-changes', 'fakesrc-logs'] },
    );
    expect(clean.complete).toBe(true);
    await expect(
      buildContinuityReport(harness!.store, harness!.app.registry, { start: DAY0, end: DAY0 + DAY }, now, {
        streams: ['nope'],
      }),
    ).rejects.toThrow(/unknown stream "nope"/);
  });
});

describe('continuity of a snapshot stream', () => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it('reports the stale snapshot and only the latest missed day as recoverable', async () => {
    harness = await openHarness('sqlite', {
      start: DAY0,
      extra: [fakeSnapshotConnector],
      raw: { streams: { 'fakesrc-changes': { enabled: false }, 'fakesrc-logs': { enabled: false } } },
    });
    await collectHistory(harness, 'fakesnap-members', gridWindows(DAY0, DAY0 + 5 * DAY, DAY));
    const now = DAY0 + 8 * DAY + HOUR;
    const report = await buildContinuityReport(
      harness.store,
      harness.app.registry,
      { start: DAY0, end: DAY0 + 8 * DAY },
      now,
      { streams: ['fakesnap-members'] },
    );
    const entry = report.streams[0]!;
    expect(entry.staleSnapshot).toEqual({ lastAt: DAY0 + 5 * DAY, ageMs: 3 * DAY });
    expect(entry.gaps).toEqual([
      expect.objectContaining({
        start: DAY0 + 5 * DAY,
        end: DAY0 + 7 * DAY,
        cause: 'never_attempted',
        recoverable: false,
        reason: 'the source no longer holds it: a snapshot can only be taken of the present state',
      }),
      expect.objectContaining({
        start: DAY0 + 7 * DAY,
        end: DAY0 + 8 * DAY,
        cause: 'never_attempted',
        recoverable: true,
      }),
    ]);
    const fresh = await buildContinuityReport(
      harness.store,
      harness.app.registry,
      { start: DAY0, end: DAY0 + 5 * DAY },
      DAY0 + 5 * DAY + HOUR,
      { streams: ['fakesnap-members'] },
    );
    expect(fresh.streams[0]!.staleSnapshot).toBeUndefined();
    expect(fresh.complete).toBe(true);
  });
});
