import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OKTA_EVENT_TYPES, oktaLifecycleEvents } from '../../connectors/okta/lifecycle-events.js';
import { oktaUsers } from '../../connectors/okta/users.js';
import { RateLimitedError } from '../../src/errors.js';
import { oktaUserId, startOktaSandbox, type OktaSandbox } from '../../src/sandbox/okta/index.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, HOUR, alignDown } from '../../src/time.js';
import { storedItems } from '../github/support/harness.js';
import { dropStore, freshStore } from '../support/stores.js';
import { oktaClient, oktaConfig, oktaRunner, oktaStream } from './harness.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
const TODAY = alignDown(NOW, DAY);
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

describe('okta connector against the Okta sandbox', () => {
  let sandbox: OktaSandbox;
  let store: EvidenceStore;
  let url: string;
  const clock = { now: NOW };

  beforeAll(async () => {
    sandbox = await startOktaSandbox({ seed: 11, now: NOW, days: 365 });
    ({ store, url } = await freshStore('sqlite'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await store.close();
    await dropStore(url);
  });

  // Two events a page, so a day with a joiner takes several pages through the Link header.
  const config = () => oktaConfig({ orgUrl: sandbox.url, pageSize: 2 });

  it("a year's backfill of the System Log: the retained 90 days equal the sandbox's events, older days are unrecoverable", async () => {
    clock.now = NOW;
    sandbox.setNow(NOW);
    const stream = oktaStream(oktaLifecycleEvents, config());
    const runner = oktaRunner(store, oktaClient(config()), clock);
    const statuses: Record<string, number> = {};
    // Daily windows, but hourly on the day the 90 days begin, so the retained part of that day is read too.
    const boundary = alignDown(NOW - 90 * DAY, DAY);
    const windows = [];
    for (let start = TODAY - 365 * DAY; start < TODAY; start += DAY)
      if (start !== boundary) windows.push({ start, end: start + DAY });
      else
        for (let hour = start; hour < start + DAY; hour += HOUR)
          windows.push({ start: hour, end: hour + HOUR });
    for (const window of windows) {
      const outcome = await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      if (outcome.status === 'failed') throw outcome.error;
    }
    expect(statuses).toEqual({ unrecoverable: 275 + 13, succeeded: 89 + 11 });
    const retainedFrom = alignDown(NOW - 90 * DAY, HOUR) + HOUR;
    const expected = sandbox.systemLog
      .filter((e) => e.eventType in OKTA_EVENT_TYPES)
      .filter((e) => Date.parse(e.published) >= retainedFrom && Date.parse(e.published) < TODAY);
    const stored = await storedItems(store, stream.id);
    expect(stored.map((item) => item.key).sort()).toEqual(expected.map((e) => e.uuid).sort());
    expect(stored.length).toBeGreaterThan(10);
    // Older planted events exist at the source but are past the System Log's 90 days.
    expect(sandbox.company.events.some((e) => e.at < retainedFrom)).toBe(true);
    const failed = stored.find((item) => item.payload.outcome === 'FAILURE');
    const grant = expected.find((e) => e.outcome.result === 'FAILURE');
    expect(Boolean(failed)).toBe(Boolean(grant));
    const ledger = await store.db
      .selectFrom('runs')
      .select(['status', 'error_code'])
      .where('stream', '=', stream.id)
      .where('status', '=', 'unrecoverable')
      .execute();
    expect(new Set(ledger.map((row) => row.error_code))).toEqual(new Set(['SOURCE_RETENTION_EXCEEDED']));
  });

  it('snapshots across 30 simulated days give exactly the planted joiners, leavers and movers', async () => {
    const stream = oktaStream(oktaUsers, config());
    const client = oktaClient(config());
    const runner = oktaRunner(store, client, clock);
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
    const changes = (await storedItems(store, stream.id))
      .filter((item) => item.payload.type === 'change')
      .map((item) => `${day(item.occurredAt)} ${String(item.payload.login)} ${String(item.payload.change)}`)
      .sort();
    const kindOf = {
      department: 'department_changed',
      manager: 'manager_changed',
      admin: 'admin_roles_changed',
    };
    const planted = sandbox.company.events
      .filter((e) => e.at >= first + DAY && e.at < TODAY)
      .map((e) => {
        const change = e.kind === 'joiner' ? 'joined' : e.kind === 'leaver' ? 'left' : kindOf[e.field];
        return `${day(e.at)} ${sandbox.company.byId(e.employeeId).oktaLogin} ${change}`;
      })
      .sort();
    expect(planted.length).toBeGreaterThanOrEqual(4);
    expect(changes).toEqual(planted);
    // Each observation holds the facts the people register needs.
    const last = (await storedItems(store, stream.id)).filter(
      (i) => i.occurredAt === TODAY - DAY && i.payload.type === 'observation',
    );
    const grace = sandbox.company.people.find((p) => p.githubLogin === 'grace')!;
    expect(last.find((i) => i.payload.id === oktaUserId(grace.employeeId))?.payload).toMatchObject({
      login: grace.oktaLogin,
      employeeNumber: grace.employeeId,
      factors: [],
      status: 'ACTIVE',
    });
    const unlinked = last.filter((i) => i.payload.employeeNumber === null).map((i) => i.payload.login);
    expect(unlinked.sort()).toEqual(sandbox.company.accounts.map((a) => a.login).sort());
  });

  it('survives 5xx and 429 with reset headers, and gives the same snapshot', async () => {
    const window = { start: TODAY - DAY, end: TODAY };
    clock.now = TODAY + 8 * HOUR;
    sandbox.setNow(clock.now);
    const before = (await storedItems(store, 'okta-users')).filter((i) => i.occurredAt === window.start);
    sandbox.faults.set({ serverErrorRate: 0.15, rateLimitRate: 0.08, resetSeconds: 1 });
    try {
      const outcome = await oktaRunner(store, oktaClient(config()), clock).collect({
        stream: oktaStream(oktaUsers, config()),
        window,
        trigger: 'schedule',
        attempt: 2,
      });
      expect(outcome.status, outcome.error?.message).toBe('succeeded');
    } finally {
      sandbox.faults.reset();
    }
    expect(sandbox.faults.injected.server_error).toBeGreaterThan(0);
    expect(sandbox.faults.injected.rate_limited).toBeGreaterThan(0);
    const after = (await storedItems(store, 'okta-users')).filter((i) => i.occurredAt === window.start);
    expect(after.map((i) => [i.key, i.version])).toEqual(before.map((i) => [i.key, i.version]));
  });

  it('a rate limit whose reset is far off delays the job; an expired token fails at once as a credential error', async () => {
    const window = { start: TODAY - DAY, end: TODAY };
    const stream = oktaStream(oktaLifecycleEvents, config());
    sandbox.faults.set({ rateLimitRate: 1, resetSeconds: 120 });
    const limited = await oktaRunner(store, oktaClient(config()), clock).collect({
      stream,
      window,
      trigger: 'backfill',
      attempt: 1,
    });
    sandbox.faults.reset();
    expect(limited.status).toBe('failed');
    expect(limited.error).toBeInstanceOf(RateLimitedError);
    expect((limited.error as RateLimitedError).retryAfterMs).toBeGreaterThan(100_000);

    sandbox.faults.set({ expiredToken: true });
    const expired = await oktaRunner(store, oktaClient(config()), clock).collect({
      stream,
      window,
      trigger: 'backfill',
      attempt: 1,
    });
    sandbox.faults.reset();
    expect(expired.status).toBe('failed');
    expect([expired.error?.code, expired.error?.retry]).toEqual(['AUTH_INVALID', 'fatal']);
    expect(expired.error?.message).not.toContain('sandbox-okta-token');
  });

  it('the OAuth 2.0 service app path: a signed client assertion buys a bearer token', async () => {
    sandbox.setNow(NOW);
    const oauthConfig = oktaConfig({ orgUrl: sandbox.url, oauth: { clientId: sandbox.clientId } });
    const client = oktaClient(oauthConfig, { OKTA_PRIVATE_KEY: sandbox.privateKeyPem });
    const { data } = await client.get(
      '/api/v1/users',
      { limit: 1 },
      z.array(z.object({ id: z.string() })),
      'list users',
    );
    expect(data).toHaveLength(1);
    expect(sandbox.requests.lastAuthorization).toMatch(/^Bearer okta-sandbox-at-\d+$/);
    // A key the org does not trust: the token endpoint refuses, a credential error.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const wrong = oktaClient(oauthConfig, { OKTA_PRIVATE_KEY: stranger });
    await expect(wrong.get('/api/v1/users', {}, z.array(z.unknown()), 'list users')).rejects.toMatchObject({
      code: 'AUTH_INVALID',
      retry: 'fatal',
    });
  });
});
