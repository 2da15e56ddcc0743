import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { iamStateStream } from '../../connectors/aws/streams/iam-state.js';
import { logSamplesStream } from '../../connectors/aws/streams/log-samples.js';
import { securityEventsStream } from '../../connectors/aws/streams/security-events.js';
import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';
import { FORGOTTEN_IAM_LEAVER, GAP_LEAVER } from '../../src/sandbox/company/index.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, HOUR } from '../../src/time.js';
import { fakeClock } from '../support/app.js';
import { freshStore } from '../support/stores.js';
import { awsRunner, storedPopulation, streamInstance } from './runner-support.js';
import { awsSection } from './support.js';

// A year of one account, read from trail files in a local directory, stored through the real runner in SQLite.
const NOW = Date.UTC(2026, 8, 15, 6, 30);
let sandbox: AwsSandbox;
let store: EvidenceStore;
let section: Record<string, unknown>;
const clock = fakeClock(NOW);

/** The period cut into windows of `size` (the runner accepts any window; the year is read in few runs). */
function windows(start: number, end: number, size: number) {
  const list = [];
  for (let at = start; at < end; at += size) list.push({ start: at, end: Math.min(at + size, end) });
  return list;
}

beforeAll(async () => {
  sandbox = await startAwsSandbox({ seed: 42, now: NOW, days: 365, iamPageSize: 100 });
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-trail-'));
  await sandbox.writeTrailFiles(dir);
  store = (await freshStore('sqlite')).store;
  section = awsSection({ url: sandbox.url, cloudtrail: { source: 'dir', path: dir } });
});
afterAll(async () => {
  await store?.close();
  await sandbox?.stop();
});

async function runOver(definition: Parameters<typeof streamInstance>[0], size: number) {
  const { config, runner } = awsRunner(store, section, clock);
  const stream = streamInstance(definition, config, size);
  const { period } = sandbox.groundTruth;
  for (const window of windows(period.start, period.end, size)) {
    const outcome = await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
    expect(outcome.status, outcome.error?.message).toBe('succeeded');
    expect(outcome.counts.skipped).toBe(0);
  }
}

describe('a generated year against the sandbox', () => {
  test('the access-change population equals the ground truth exactly', async () => {
    await runOver(accessChangesStream as never, 30 * DAY);
    const { period, accessChanges } = sandbox.groundTruth;
    const stored = await storedPopulation(store, accessChangesStream.id, period.start, period.end);
    const got = stored.map((item) => `${item.key} ${String(item.payload.effective)}`).sort();
    const want = accessChanges.map((change) => `${change.eventId} ${String(change.effective)}`).sort();
    expect(accessChanges.length).toBeGreaterThan(50);
    expect(accessChanges.some((change) => !change.effective)).toBe(true);
    expect(got).toEqual(want);
    // Failed calls are kept, flagged, and are not effective changes.
    const failed = stored.filter((item) => item.payload.effective === false);
    expect(failed.length).toBe(accessChanges.filter((change) => !change.effective).length);
    expect(failed.every((item) => item.exceptions.some((e) => e.code === 'ACCESS_CHANGE_FAILED'))).toBe(true);
  });

  test('the logging outage shows as zero-count quiet hours, and only it', async () => {
    await runOver(logSamplesStream as never, 30 * DAY);
    const { period, outage, events } = sandbox.groundTruth;
    const stored = await storedPopulation(store, logSamplesStream.id, period.start, period.end);
    expect(stored.length).toBe(((period.end - period.start) / HOUR) * 2);
    const quiet = stored
      .filter((item) => item.quiet)
      .map((item) => item.key)
      .sort();
    const silentHours: string[] = [];
    for (let hour = Math.ceil(outage.start / HOUR) * HOUR; hour + HOUR <= outage.end; hour += HOUR) {
      for (const region of ['us-east-1', 'eu-west-1'])
        silentHours.push(`${sandbox.groundTruth.accountId}/${region}/${new Date(hour).toISOString()}`);
    }
    expect(silentHours.length).toBe(8); // 02:00 to 06:00 in two regions
    expect(quiet).toEqual(expect.arrayContaining(silentHours));
    // Nothing else is quiet: every quiet hour overlaps the outage (06:00-06:19 has no eu-west-1 call).
    for (const key of quiet) {
      const hour = Date.parse(key.split('/')[2] as string);
      expect(hour + HOUR > outage.start && hour < outage.end, key).toBe(true);
    }
    for (const item of stored.filter((row) => row.quiet)) {
      expect(item.payload.eventCount).toBe(0);
      expect(item.exceptions.map((e) => e.code)).toEqual(['NO_EVENTS_LOGGED']);
    }
    // Every hour's count equals the events the account recorded in it (duplicates in files removed).
    const counts = new Map<string, number>();
    for (const record of events) {
      const hour = Math.floor(Date.parse(record.eventTime) / HOUR) * HOUR;
      const key = `${record.recipientAccountId}/${record.awsRegion}/${new Date(hour).toISOString()}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const item of stored) expect(item.payload.eventCount, item.key).toBe(counts.get(item.key) ?? 0);
  });

  test('security events: root use, failed and MFA-less sign-ins, logging stopped, MFA removals', async () => {
    await runOver(securityEventsStream as never, 30 * DAY);
    const truth = sandbox.groundTruth;
    const stored = await storedPopulation(
      store,
      securityEventsStream.id,
      truth.period.start,
      truth.period.end,
    );
    const byCode = (code: string) =>
      stored.filter((item) => item.exceptions.some((found) => found.code === code)).map((item) => item.key);
    expect(byCode('ROOT_ACCOUNT_USED')).toEqual(truth.rootLogins);
    expect(byCode('CONSOLE_LOGIN_FAILED')).toEqual(truth.failedLogins);
    expect(byCode('CONSOLE_LOGIN_WITHOUT_MFA')).toEqual(truth.loginsWithoutMfa);
    const stop = truth.events.find((record) => record.eventName === 'StopLogging');
    expect(byCode('LOGGING_STOPPED')).toEqual([stop?.eventID]);
    const mfaRemovals = truth.events
      .filter((r) => r.eventName === 'DeactivateMFADevice')
      .map((r) => r.eventID);
    // The leavers' MFA devices are deactivated before their users are deleted.
    expect(mfaRemovals.length).toBeGreaterThan(1);
    expect(byCode('MFA_DEACTIVATED').sort()).toEqual(mfaRemovals.sort());
  });

  test('the IAM snapshot diff and CloudTrail agree on every joiner and leaver', async () => {
    await runOver(accessChangesStream as never, 30 * DAY); // idempotent when already stored
    const { config, runner } = awsRunner(store, section, clock);
    const stream = streamInstance(iamStateStream as never, config);
    const truth = sandbox.groundTruth;
    const first = Math.ceil(truth.period.start / DAY) * DAY;
    const last = Math.floor(truth.period.end / DAY) * DAY;
    for (let day = first; day < last; day += DAY) {
      // The daily snapshot is taken as the day closes.
      sandbox.setNow(day + DAY);
      clock.set(day + DAY + 60_000);
      const outcome = await runner.collect({
        stream,
        window: { start: day, end: day + DAY },
        trigger: 'schedule',
        attempt: 1,
      });
      expect(outcome.status, outcome.error?.message).toBe('succeeded');
    }
    sandbox.setNow(NOW);
    const changes = (await storedPopulation(store, iamStateStream.id, first, last)).filter(
      (item) => item.payload.kind === 'change',
    );
    const fromSnapshots = (kind: string) =>
      changes
        .filter((item) => item.payload.change === kind)
        .map((item) => `${String(item.payload.principal).slice(5)}@${String(item.payload.day)}`)
        .sort();
    const trail = await storedPopulation(store, accessChangesStream.id, first, last);
    const fromTrail = (eventName: string) =>
      trail
        .filter(
          (item) =>
            item.payload.eventSource === 'iam.amazonaws.com' &&
            item.payload.eventName === eventName &&
            item.payload.effective,
        )
        .map(
          (item) => `${String(item.payload.target).slice(5)}@${String(item.payload.eventTime).slice(0, 10)}`,
        )
        .sort();
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    expect(fromSnapshots('joiner')).toEqual(fromTrail('CreateUser'));
    expect(fromSnapshots('leaver')).toEqual(fromTrail('DeleteUser'));
    expect(fromSnapshots('joiner')).toEqual(truth.joiners.map((j) => `${j.user}@${day(j.at)}`).sort());
    expect(fromSnapshots('leaver')).toEqual(truth.leavers.map((l) => `${l.user}@${day(l.at)}`).sort());
    // IAM users are the company's people: its joiners join, its leavers leave, except the one forgotten.
    const iamUserOf = (first: string) =>
      truth.company.people.find((p) => p.firstName.toLowerCase() === first)?.iamUser;
    expect(fromSnapshots('joiner').length).toBeGreaterThan(0);
    expect(truth.leavers.map((l) => l.user)).toContain(iamUserOf(GAP_LEAVER.first));
    expect(truth.leavers.map((l) => l.user)).not.toContain(iamUserOf(FORGOTTEN_IAM_LEAVER));
    // The mid-year promotion shows as a privilege change derived from group membership.
    expect(
      changes.some(
        (item) => item.payload.description === 'user bob gained AdministratorAccess via group admins',
      ),
    ).toBe(true);
  });
});
