import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GOOGLE_ADMIN_EVENT_TYPES,
  googleWorkspaceAdminEvents,
} from '../../connectors/google-workspace/admin-events.js';
import { googleWorkspaceUsers } from '../../connectors/google-workspace/users.js';
import { RateLimitedError } from '../../src/errors.js';
import { googleUserId, startGoogleSandbox, type GoogleSandbox } from '../../src/sandbox/google/index.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, HOUR, alignDown } from '../../src/time.js';
import { storedItems } from '../github/support/harness.js';
import { dropStore, freshStore } from '../support/stores.js';
import { googleClient, googleConfig, googleRunner, googleStream } from './harness.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
const TODAY = alignDown(NOW, DAY);
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

describe('google workspace connector against the Google sandbox', () => {
  let sandbox: GoogleSandbox;
  let store: EvidenceStore;
  let url: string;
  let env: NodeJS.ProcessEnv;
  const clock = { now: NOW };

  beforeAll(async () => {
    sandbox = await startGoogleSandbox({ seed: 11, now: NOW, days: 365 });
    env = { GOOGLE_SERVICE_ACCOUNT_KEY: sandbox.serviceAccountKey };
    ({ store, url } = await freshStore('sqlite'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await store.close();
    await dropStore(url);
  });

  // Small pages, so users and activities take several pages through pageToken.
  const config = () =>
    googleConfig({
      subject: sandbox.adminEmail,
      rootUrl: sandbox.url,
      tokenUrl: sandbox.tokenUrl,
      pageSize: 3,
    });

  it("a year's backfill of admin events: the retained 180 days equal the sandbox's log, older days are unrecoverable", async () => {
    clock.now = NOW;
    sandbox.setNow(NOW);
    const stream = googleStream(googleWorkspaceAdminEvents, config());
    const runner = googleRunner(store, googleClient(config(), env), clock);
    const boundary = alignDown(NOW - 180 * DAY, DAY);
    const windows = [];
    for (let start = TODAY - 365 * DAY; start < TODAY; start += DAY)
      if (start !== boundary) windows.push({ start, end: start + DAY });
      else
        for (let hour = start; hour < start + DAY; hour += HOUR)
          windows.push({ start: hour, end: hour + HOUR });
    const statuses: Record<string, number> = {};
    for (const window of windows) {
      const outcome = await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      if (outcome.status === 'failed') throw outcome.error;
    }
    expect(statuses).toEqual({ unrecoverable: 185 + 13, succeeded: 179 + 11 });
    const retainedFrom = alignDown(NOW - 180 * DAY, HOUR) + HOUR;
    const expected = sandbox.adminLog
      .filter((a) => GOOGLE_ADMIN_EVENT_TYPES.has(a.events[0]!.type))
      .filter((a) => Date.parse(a.id.time) >= retainedFrom && Date.parse(a.id.time) < TODAY)
      .map((a) => `${a.id.time}/${a.id.uniqueQualifier}/0 ${a.events[0]!.name}`);
    const stored = (await storedItems(store, stream.id)).map((i) => `${i.key} ${String(i.payload.name)}`);
    expect(stored.sort()).toEqual(expected.sort());
    expect(stored.some((line) => line.endsWith('SUSPEND_USER'))).toBe(true);
    expect(stored.some((line) => line.endsWith('GRANT_ADMIN_PRIVILEGE'))).toBe(true);
    expect(sandbox.requests.lastSubject).toBe(sandbox.adminEmail);
  });

  it('snapshots across 30 simulated days give exactly the planted joiners, leavers and movers', async () => {
    const stream = googleStream(googleWorkspaceUsers, config());
    const runner = googleRunner(store, googleClient(config(), env), clock);
    const first = TODAY - 30 * DAY;
    for (let start = first; start < TODAY; start += DAY) {
      clock.now = start + DAY + 8 * HOUR;
      sandbox.setNow(clock.now);
      const outcome = await runner.collect({
        stream,
        window: { start, end: start + DAY },
        trigger: 'schedule',
        attempt: 1,
      });
      expect(outcome.status, outcome.error?.message).toBe('succeeded');
    }
    const items = await storedItems(store, stream.id);
    const changes = items
      .filter((item) => item.payload.type === 'change')
      .map(
        (item) =>
          `${day(item.occurredAt)} ${String(item.payload.primaryEmail)} ${String(item.payload.change)}`,
      )
      .sort();
    const kindOf = { department: 'department_changed', manager: 'manager_changed', admin: 'admin_changed' };
    const planted = sandbox.company.events
      .filter((e) => e.at >= first + DAY && e.at < TODAY)
      .map((e) => {
        const change = e.kind === 'joiner' ? 'joined' : e.kind === 'leaver' ? 'left' : kindOf[e.field];
        return `${day(e.at)} ${sandbox.company.byId(e.employeeId).googleEmail} ${change}`;
      })
      .sort();
    expect(planted.length).toBeGreaterThanOrEqual(4);
    expect(changes).toEqual(planted);
    const last = items.filter((i) => i.occurredAt === TODAY - DAY && i.payload.type === 'observation');
    const grace = sandbox.company.people.find((p) => p.githubLogin === 'grace')!;
    expect(last.find((i) => i.payload.id === googleUserId(grace.employeeId))?.payload).toMatchObject({
      primaryEmail: grace.googleEmail,
      employeeId: grace.employeeId,
      isEnrolledIn2Sv: false,
      suspended: false,
    });
    const service = last.find((i) => i.payload.orgUnitPath === '/Service Accounts')?.payload;
    expect(service).toMatchObject({ employeeId: null, lastLoginTime: null, isDelegatedAdmin: true });
  });

  it('survives 5xx and 429 with Retry-After, and gives the same snapshot', async () => {
    const window = { start: TODAY - DAY, end: TODAY };
    clock.now = TODAY + 8 * HOUR;
    sandbox.setNow(clock.now);
    const before = (await storedItems(store, 'google-workspace-users')).filter(
      (i) => i.occurredAt === window.start,
    );
    sandbox.faults.set({ serverErrorRate: 0.25, rateLimitRate: 0.15, resetSeconds: 1 });
    try {
      const outcome = await googleRunner(store, googleClient(config(), env), clock).collect({
        stream: googleStream(googleWorkspaceUsers, config()),
        window,
        trigger: 'schedule',
        attempt: 2,
      });
      expect(outcome.status, outcome.error?.message).toBe('succeeded');
    } finally {
      sandbox.faults.reset();
    }
    expect(sandbox.faults.injected.server_error + sandbox.faults.injected.rate_limited).toBeGreaterThan(0);
    const after = (await storedItems(store, 'google-workspace-users')).filter(
      (i) => i.occurredAt === window.start,
    );
    expect(after.map((i) => [i.key, i.version])).toEqual(before.map((i) => [i.key, i.version]));
  });

  it('a long Retry-After delays the job; an expired token or an untrusted key fails at once as a credential error', async () => {
    const window = { start: TODAY - DAY, end: TODAY };
    const stream = googleStream(googleWorkspaceAdminEvents, config());
    sandbox.faults.set({ rateLimitRate: 1, resetSeconds: 120 });
    const limited = await googleRunner(store, googleClient(config(), env), clock).collect({
      stream,
      window,
      trigger: 'backfill',
      attempt: 1,
    });
    sandbox.faults.reset();
    expect(limited.error).toBeInstanceOf(RateLimitedError);
    expect((limited.error as RateLimitedError).retryAfterMs).toBe(120_000);

    sandbox.faults.set({ expiredToken: true });
    const expired = await googleRunner(store, googleClient(config(), env), clock).collect({
      stream,
      window,
      trigger: 'backfill',
      attempt: 1,
    });
    sandbox.faults.reset();
    expect([expired.status, expired.error?.code, expired.error?.retry]).toEqual([
      'failed',
      'AUTH_INVALID',
      'fatal',
    ]);

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = JSON.stringify({
      ...(JSON.parse(sandbox.serviceAccountKey) as object),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const refused = await googleRunner(
      store,
      googleClient(config(), { GOOGLE_SERVICE_ACCOUNT_KEY: stranger }),
      clock,
    ).collect({
      stream,
      window,
      trigger: 'backfill',
      attempt: 1,
    });
    expect([refused.error?.code, refused.error?.retry]).toEqual(['AUTH_INVALID', 'fatal']);
    expect(refused.error?.message).toContain('invalid_grant');
  });
});
