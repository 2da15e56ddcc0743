import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { runInline } from '../../src/collection/backfill.js';
import { mergeWithin, simulateService } from '../../src/demo/simulated-service.js';
import { oktaUsersAt } from '../../src/sandbox/okta/model.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { DAY, HOUR, alignDown } from '../../src/time.js';
import { testApp } from '../support/app.js';
import { dropStore, freshStoreUrl } from '../support/stores.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const dayText = (at: number) => new Date(at).toISOString().slice(0, 10);
const DAYS = 60;
let sandboxes: Sandboxes;
let app: App;
const url = freshStoreUrl('sqlite');
/** The day a planted leaver leaves (recent enough that every sandbox holds the day before). */
let leaveDay: number;
let leaverId: string;

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 42, now: NOW, days: DAYS });
  const leaver = sandboxes.okta.company.events.find(
    (event) => event.kind === 'leaver' && event.at > NOW - 40 * DAY,
  )!;
  leaveDay = alignDown(leaver.at, DAY);
  leaverId = leaver.employeeId;
  app = await testApp({
    raw: {
      audit: { start: dayText(leaveDay - DAY) },
      connectors: {
        okta: sandboxes.connectors.okta,
        'hr-file': { file: sandboxes.hr.file },
      },
    },
    storeUrl: url,
    env: sandboxes.env,
    // The app reads the sandboxes' clock: runs, watermarks and readability follow the simulated moment.
    clock: sandboxes.clock.now,
  });
});

afterAll(async () => {
  await app?.close();
  await sandboxes?.stop();
  await dropStore(url);
});

describe('the simulated clock', () => {
  it('snapshot streams collected on two simulated days see the planted leaver between them, observed at those moments', async () => {
    const company = sandboxes.okta.company;
    const person = company.byId(leaverId);
    const period = { start: leaveDay - DAY, end: leaveDay + DAY };
    const ticks: number[] = [];
    const result = await simulateService(app, {
      clock: sandboxes.clock,
      period,
      streams: app.registry.streams.filter((s) => s.id === 'okta-users' || s.id === 'hr-workforce'),
      collect: async (planned) => {
        ticks.push(sandboxes.clock.now());
        await runInline(app, planned, { trigger: 'schedule' });
      },
    });
    // Ticks at the end of each day: [leaveDay - 1d, leaveDay) at leaveDay, then the leaving day itself.
    expect(ticks).toEqual([leaveDay, leaveDay + DAY]);
    expect(result.streams.map((s) => [s.stream, s.succeeded, s.failed])).toEqual(
      expect.arrayContaining([
        ['okta-users', 2, 0],
        ['hr-workforce', 2, 0],
      ]),
    );

    const rows = async (stream: string) => {
      const found = [];
      for await (const row of new EvidenceRepository(await app.store()).population(
        stream,
        period.start,
        period.end,
      ))
        found.push({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> });
      return found;
    };
    // Okta answered as of each tick: its observations are the sandbox's users at those moments.
    const okta = await rows('okta-users');
    const statusAt = (at: number) =>
      Object.fromEntries(oktaUsersAt(company, at).map((user) => [user.profile.login, user.status]));
    for (const [day, at] of [
      [leaveDay - DAY, leaveDay],
      [leaveDay, leaveDay + DAY],
    ] as const) {
      const observed = okta.filter((r) => r.occurred_at === day && r.payload.type === 'observation');
      expect(Object.fromEntries(observed.map((r) => [r.payload.login, r.payload.status]))).toEqual(
        statusAt(at),
      );
      // Collected at the simulated moment, not the wall clock's.
      expect(new Set(observed.map((r) => r.collected_at))).toEqual(new Set([at]));
    }

    // The HR export file was rewritten as of each moment: the termination appears on the leaving day.
    const hrChanges = (await rows('hr-workforce'))
      .filter((r) => r.payload.kind === 'change')
      .map((r) => [r.payload.day, r.payload.change, r.payload.employeeId]);
    expect(hrChanges).toContainEqual([dayText(leaveDay), 'termination', person.employeeId]);
    expect(hrChanges.every(([day]) => day === dayText(leaveDay))).toBe(true);
  });

  it('joins contiguous event windows within a span, never across a hole or a span boundary', () => {
    const hours = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => ({ start: (from + i) * HOUR, end: (from + i + 1) * HOUR }));
    const windows = [...hours(0, 3), ...hours(4, 26)];
    expect(mergeWithin(windows, DAY)).toEqual([
      { start: 0, end: 3 * HOUR },
      { start: 4 * HOUR, end: 24 * HOUR },
      { start: 24 * HOUR, end: 26 * HOUR },
    ]);
  });
});
