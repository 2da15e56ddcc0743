import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraChangeTickets } from '../../connectors/jira/change-tickets.js';
import { jiraConfigSchema } from '../../connectors/jira/config.js';
import { jiraConnector } from '../../connectors/jira/index.js';
import { RateLimitedError, UsageError } from '../../src/errors.js';
import { startJiraSandbox, type JiraSandbox } from '../../src/sandbox/jira/index.js';
import { DAY } from '../../src/time.js';
import { freshStore } from '../support/stores.js';
import {
  collectWithRetries,
  storedVersions,
  ticketRunner,
  ticketStream,
} from '../tickets/support/harness.js';
import { JIRA_ENV, jiraClient, jiraConfig } from './support.js';

const NOW = Date.UTC(2026, 1, 10, 6, 0, 0);
const WEEK = 7 * DAY;

describe('jira-change-tickets when Jira misbehaves', () => {
  let sandbox: JiraSandbox;
  beforeAll(async () => {
    sandbox = await startJiraSandbox({ seed: 5, now: NOW, days: 40 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  const config = () => jiraConfig({ site: sandbox.url, projects: ['CHG', 'OPS'] });
  const stream = () => ticketStream(jiraConnector, jiraChangeTickets, config(), '7d');
  const windows = () => {
    const start = Math.floor((NOW - 42 * DAY) / WEEK) * WEEK;
    return Array.from({ length: 7 }, (_, n) => ({ start: start + n * WEEK, end: start + (n + 1) * WEEK }));
  };

  it('503s are retried in the client and the evidence equals a clean run', async () => {
    const collect = async () => {
      const { store } = await freshStore('sqlite');
      const runner = ticketRunner(store, jiraClient(config()), { now: NOW + DAY * 10 });
      for (const window of windows()) {
        const outcome = await collectWithRetries(runner, stream(), window, 1);
        expect(outcome.status, outcome.error?.message).toBe('succeeded');
      }
      const versions = await storedVersions(store, 'jira-change-tickets');
      await store.close();
      return versions.map((row) => [row.key, row.payload]);
    };
    sandbox.faults.reset();
    const clean = await collect();
    sandbox.faults.set({ serverErrorRate: 0.3 });
    const faulty = await collect();
    const injected = sandbox.faults.injected.server_error;
    sandbox.faults.reset();
    expect(injected).toBeGreaterThan(10);
    expect(clean.length).toBeGreaterThan(20);
    expect(faulty).toEqual(clean);
  }, 60_000);

  it('429 with Retry-After hands the window back to the queue, delayed as Jira asks', async () => {
    const { store } = await freshStore('sqlite');
    sandbox.faults.reset();
    sandbox.faults.set({ rateLimitRate: 1, retryAfterSeconds: 7 });
    try {
      const runner = ticketRunner(store, jiraClient(config()), { now: NOW + DAY });
      const outcome = await runner.collect({
        stream: stream(),
        window: windows()[5]!,
        trigger: 'backfill',
        attempt: 1,
      });
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toBeInstanceOf(RateLimitedError);
      expect((outcome.error as RateLimitedError).retryAfterMs).toBe(7_000);
      expect(outcome.error?.retry).toBe('retriable');
    } finally {
      sandbox.faults.reset();
      await store.close();
    }
  });

  it('a revoked token is a fatal credential error that names what to fix and not the token', async () => {
    const { store } = await freshStore('sqlite');
    sandbox.faults.set({ revokedToken: true });
    try {
      const runner = ticketRunner(store, jiraClient(config()), { now: NOW + DAY });
      const outcome = await collectWithRetries(runner, stream(), windows()[5]!);
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.code).toBe('AUTH_INVALID');
      expect(outcome.error?.retry).toBe('fatal');
      expect(outcome.error?.message).toContain('JIRA_API_TOKEN');
      expect(outcome.error?.message).not.toContain(JIRA_ENV.JIRA_API_TOKEN);
      expect(sandbox.faults.injected.revoked).toBe(1);
    } finally {
      sandbox.faults.reset();
      await store.close();
    }
  });

  it('missing credentials stop start-up with one line naming the variables', () => {
    expect(() => jiraClient(config(), {})).toThrow(UsageError);
    expect(() => jiraClient(config(), {})).toThrow(
      /^config: connectors\.jira: no Jira credentials: set JIRA_EMAIL/,
    );
    const parsed = jiraConfigSchema.safeParse({ site: sandbox.url });
    expect(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'projects: expected "projects" (a list of project keys) or "jql" (a filter)',
    ]);
  });
});
