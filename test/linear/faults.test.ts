import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { linearChangeTickets } from '../../connectors/linear/change-tickets.js';
import { linearConnector } from '../../connectors/linear/index.js';
import { CHANGE_TICKETS_QUERY } from '../../connectors/linear/queries.js';
import { RateLimitedError, UsageError } from '../../src/errors.js';
import { startLinearSandbox, type LinearSandbox } from '../../src/sandbox/linear/index.js';
import type { CollectedItem } from '../../src/stream.js';
import { DAY } from '../../src/time.js';
import { freshStore } from '../support/stores.js';
import {
  collectWithRetries,
  silentLogger,
  storedVersions,
  ticketRunner,
  ticketStream,
} from '../tickets/support/harness.js';
import { LINEAR_ENV, linearClient, linearConfig } from './support.js';

const NOW = Date.UTC(2026, 1, 10, 6, 0, 0);
const WEEK = 7 * DAY;

describe('linear-change-tickets when Linear misbehaves', () => {
  let sandbox: LinearSandbox;
  beforeAll(async () => {
    sandbox = await startLinearSandbox({ seed: 5, now: NOW, days: 40 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  const config = () => linearConfig({ teams: ['ENG'], apiUrl: sandbox.url });
  const stream = () => ticketStream(linearConnector, linearChangeTickets, config(), '7d');
  const windows = () => {
    const start = Math.floor((NOW - 42 * DAY) / WEEK) * WEEK;
    return Array.from({ length: 7 }, (_, n) => ({ start: start + n * WEEK, end: start + (n + 1) * WEEK }));
  };

  it('503s are retried and the evidence equals a clean run', async () => {
    const collect = async () => {
      const { store } = await freshStore('sqlite');
      const runner = ticketRunner(store, linearClient(config()), { now: NOW + 10 * DAY });
      for (const window of windows()) {
        const outcome = await collectWithRetries(runner, stream(), window, 1);
        expect(outcome.status, outcome.error?.message).toBe('succeeded');
      }
      const versions = await storedVersions(store, 'linear-change-tickets');
      await store.close();
      return versions.map((row) => [row.key, row.payload]);
    };
    sandbox.faults.reset();
    const clean = await collect();
    sandbox.faults.set({ serverErrorRate: 0.3 });
    const faulty = await collect();
    const injected = sandbox.faults.injected.server_error;
    sandbox.faults.reset();
    expect(injected).toBeGreaterThan(5);
    expect(clean.length).toBeGreaterThan(10);
    expect(faulty).toEqual(clean);
  }, 60_000);

  it('a RATELIMITED complexity error delays the window until the budget refills', async () => {
    const { store } = await freshStore('sqlite');
    sandbox.faults.reset();
    sandbox.faults.set({ rateLimitRate: 1, retryAfterSeconds: 30 });
    try {
      const runner = ticketRunner(store, linearClient(config()), { now: NOW + DAY });
      const outcome = await runner.collect({
        stream: stream(),
        window: windows()[5]!,
        trigger: 'backfill',
        attempt: 1,
      });
      expect(outcome.error).toBeInstanceOf(RateLimitedError);
      const wait = (outcome.error as RateLimitedError).retryAfterMs;
      expect(wait).toBeGreaterThan(25_000);
      expect(wait).toBeLessThanOrEqual(30_000);
    } finally {
      sandbox.faults.reset();
      await store.close();
    }
  });

  it('a revoked key is a fatal credential error, and a missing one stops start-up in one line', async () => {
    const { store } = await freshStore('sqlite');
    sandbox.faults.set({ revokedToken: true });
    try {
      const runner = ticketRunner(store, linearClient(config()), { now: NOW + DAY });
      const outcome = await collectWithRetries(runner, stream(), windows()[5]!);
      expect(outcome.error?.code).toBe('AUTH_INVALID');
      expect(outcome.error?.retry).toBe('fatal');
      expect(outcome.error?.message).not.toContain(LINEAR_ENV.LINEAR_API_KEY);
    } finally {
      sandbox.faults.reset();
      await store.close();
    }
    expect(() => linearClient(config(), {})).toThrow(UsageError);
    expect(() => linearClient(config(), {})).toThrow(/^config: connectors\.linear: no Linear credentials/);
  });
});

describe('linear-change-tickets over HTTP (nock)', () => {
  const API = 'https://api.linear.app';
  afterEach(() => nock.cleanAll());

  it('sends one query per page with the team and updatedAt filter and the cursor, with the API key', async () => {
    const window = { start: Date.UTC(2026, 2, 1, 10), end: Date.UTC(2026, 2, 1, 11) };
    const filter = {
      team: { key: { in: ['ENG'] } },
      updatedAt: { gte: '2026-03-01T10:00:00.000Z', lt: '2026-03-01T11:00:00.000Z' },
    };
    const node = {
      id: 'i1',
      identifier: 'ENG-5',
      title: 'Rotate keys',
      url: 'https://linear.app/acme/issue/ENG-5',
      createdAt: '2026-02-28T09:00:00.000Z',
      updatedAt: '2026-03-01T10:15:00.000Z',
      completedAt: null,
      canceledAt: null,
      team: { key: 'ENG', name: 'Engineering' },
      state: { name: 'Approved', type: 'started' },
      creator: { id: 'u1', name: 'Alice', email: 'alice@acme.example' },
      assignee: null,
      project: null,
      cycle: null,
      labels: { pageInfo: { hasNextPage: false }, nodes: [{ name: 'change' }] },
      history: {
        pageInfo: { hasNextPage: false, endCursor: 'h1' },
        nodes: [
          {
            createdAt: '2026-03-01T10:10:00.000Z',
            actor: { id: 'u2', name: 'Bob' },
            fromState: { name: 'Todo', type: 'unstarted' },
            toState: { name: 'Approved', type: 'started' },
          },
          {
            createdAt: '2026-03-01T10:12:00.000Z',
            actor: { id: 'u2', name: 'Bob' },
            fromState: null,
            toState: null,
          },
        ],
      },
      attachments: {
        pageInfo: { hasNextPage: false },
        nodes: [
          { url: 'https://github.com/acme/api/pull/42', title: 'PR', sourceType: 'github' },
          { url: 'https://docs.example/spec', title: 'Spec', sourceType: null },
        ],
      },
    };
    const scope = nock(API, { reqheaders: { authorization: 'lin_api_nock_key_1' } })
      .post('/graphql', { query: CHANGE_TICKETS_QUERY, variables: { filter, first: 25 } })
      .reply(200, { data: { issues: { pageInfo: { hasNextPage: true, endCursor: 'c1' }, nodes: [node] } } })
      .post('/graphql', { query: CHANGE_TICKETS_QUERY, variables: { filter, first: 25, after: 'c1' } })
      .reply(200, { data: { issues: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } });
    const client = linearClient(linearConfig({ teams: ['ENG'] }), { LINEAR_API_KEY: 'lin_api_nock_key_1' });
    const items: CollectedItem[] = [];
    for await (const item of linearChangeTickets.collect(window, undefined, {
      client,
      logger: silentLogger,
      signal: new AbortController().signal,
      acquire: async () => undefined,
      reject: async () => undefined,
    }))
      items.push(item);
    expect(scope.isDone()).toBe(true);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      key: 'ENG-5',
      occurredAt: Date.UTC(2026, 2, 1, 10, 15),
      payload: {
        stateHistory: [{ at: '2026-03-01T10:10:00.000Z', from: { name: 'Todo' }, to: { name: 'Approved' } }],
        pullRequests: [{ url: 'https://github.com/acme/api/pull/42', repo: 'acme/api', number: 42 }],
        labels: ['change'],
      },
    });
  });
});
