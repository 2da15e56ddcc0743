import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraChangeTickets } from '../../connectors/jira/change-tickets.js';
import { jiraConnector } from '../../connectors/jira/index.js';
import type { JiraTicket } from '../../connectors/jira/ticket-payload.js';
import { startJiraSandbox, type JiraSandbox } from '../../src/sandbox/jira/index.js';
import { DAY, gridWindows, HOUR } from '../../src/time.js';
import { dropStore, freshStore, type StoreKind } from '../support/stores.js';
import {
  collectWithRetries,
  latest,
  storedVersions,
  ticketRunner,
  ticketStream,
} from '../tickets/support/harness.js';
import { jiraClient, jiraConfig } from './support.js';

const NOW = Date.UTC(2026, 5, 15, 8, 0, 0);
const WEEK = 7 * DAY;

describe('jira-change-tickets against the sandbox', () => {
  let sandbox: JiraSandbox;
  beforeAll(async () => {
    sandbox = await startJiraSandbox({ seed: 7, now: NOW, days: 365 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
    it(`a year's backfill (${kind}) stores every ticket once with every transition and approval`, async () => {
      const { store, url } = await freshStore(kind);
      try {
        const config = jiraConfig({ site: sandbox.url, projects: ['CHG', 'OPS'] });
        // Weekly windows keep a year to 53 runs; the default hourly grid is exercised elsewhere.
        const stream = ticketStream(jiraConnector, jiraChangeTickets, config, '7d');
        const runner = ticketRunner(store, jiraClient(config), { now: NOW + 30 * DAY });
        const truth = sandbox.groundTruth();
        const first = Math.min(...truth.map((ticket) => ticket.updatedAt));
        const windows = gridWindows(Math.floor(first / WEEK) * WEEK, Math.ceil(NOW / WEEK) * WEEK, WEEK);
        for (let index = 0; index < windows.length; index += 4) {
          const outcomes = await Promise.all(
            windows.slice(index, index + 4).map((window) => collectWithRetries(runner, stream, window)),
          );
          for (const outcome of outcomes) expect(outcome.status, outcome.error?.message).toBe('succeeded');
        }
        const versions = await storedVersions(store, stream.id);
        expect(
          versions.every((row) => row.version === 1),
          'each ticket stored once',
        ).toBe(true);
        expect(versions.map((row) => row.key).sort()).toEqual(truth.map((ticket) => ticket.key).sort());
        expect(truth.length).toBeGreaterThan(1_000);
        const stored = latest(versions);
        for (const expected of truth) {
          const row = stored.get(expected.key)!;
          const ticket = row.payload as unknown as JiraTicket;
          expect(row.occurredAt, expected.key).toBe(expected.updatedAt);
          expect(
            ticket.transitions.map((step) => ({
              at: Date.parse(step.at),
              by: step.by?.accountId,
              from: step.from,
              to: step.to,
            })),
            `${expected.key} transitions`,
          ).toEqual(expected.transitions);
          expect(
            ticket.approvals?.map((approval) => ({
              decision: approval.decision,
              completedAt: approval.completedAt === null ? null : Date.parse(approval.completedAt),
            })) ?? null,
            `${expected.key} approvals`,
          ).toEqual(expected.approvals);
          // CHG records its approver in the Approvers field; noise fields (priority) are not kept.
          expect(ticket.approvalFieldChanges.length, expected.key).toBe(expected.project === 'CHG' ? 1 : 0);
        }
        // Both projects, a service desk with approvals, and changelogs longer than one page.
        expect(new Set(truth.map((ticket) => ticket.project))).toEqual(new Set(['CHG', 'OPS']));
        expect(sandbox.requests.byRoute['GET /rest/servicedeskapi/request/:key/approval']).toBeGreaterThan(0);
        expect(sandbox.requests.byRoute['GET /rest/api/3/issue/:key/changelog']).toBeGreaterThan(
          truth.length,
        );
      } finally {
        await store.close();
        await dropStore(url);
      }
    }, 240_000);
  }

  it('hourly windows: a ticket updated in two windows is one key with two versions', async () => {
    const { store, url } = await freshStore('sqlite');
    try {
      const config = jiraConfig({ site: sandbox.url, projects: ['CHG', 'OPS'] });
      const stream = ticketStream(jiraConnector, jiraChangeTickets, config, '1h');
      const relabelled = sandbox.tickets.find(
        (ticket) => ticket.relabelledAt !== null && ticket.relabelledAt < NOW - 30 * DAY,
      )!;
      const clock = { now: 0 };
      const runner = ticketRunner(store, jiraClient(config), clock);
      // Live collection: the sandbox shows the ticket as it stood when each window was collected.
      const collectAround = async (at: number) => {
        const start = Math.floor(at / HOUR) * HOUR;
        sandbox.setNow(start + HOUR + 10 * 60_000);
        clock.now = start + HOUR + 10 * 60_000;
        const outcome = await collectWithRetries(runner, stream, { start, end: start + HOUR });
        expect(outcome.status, outcome.error?.message).toBe('succeeded');
      };
      await collectAround(relabelled.doneAt);
      await collectAround(relabelled.relabelledAt!);
      const versions = (await storedVersions(store, stream.id)).filter((row) => row.key === relabelled.key);
      expect(versions.map((row) => row.version)).toEqual([1, 2]);
      expect(versions.map((row) => (row.payload as unknown as JiraTicket).labels)).toEqual([
        ['change'],
        ['audited', 'change'],
      ]);
      expect(versions.map((row) => row.occurredAt)).toEqual([relabelled.doneAt, relabelled.relabelledAt]);
    } finally {
      sandbox.setNow(NOW);
      await store.close();
      await dropStore(url);
    }
  });
});
