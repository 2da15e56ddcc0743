import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearChangeTickets } from '../../connectors/linear/change-tickets.js';
import { linearConnector } from '../../connectors/linear/index.js';
import type { LinearTicket } from '../../connectors/linear/ticket-payload.js';
import { startLinearSandbox, type LinearSandbox } from '../../src/sandbox/linear/index.js';
import { DAY, gridWindows, HOUR } from '../../src/time.js';
import { dropStore, freshStore, type StoreKind } from '../support/stores.js';
import {
  collectWithRetries,
  latest,
  storedVersions,
  ticketRunner,
  ticketStream,
} from '../tickets/support/harness.js';
import { linearClient, linearConfig } from './support.js';

const NOW = Date.UTC(2026, 5, 15, 8, 0, 0);
const WEEK = 7 * DAY;

describe('linear-change-tickets against the sandbox', () => {
  let sandbox: LinearSandbox;
  beforeAll(async () => {
    sandbox = await startLinearSandbox({ seed: 7, now: NOW, days: 365 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
    it(`a year's backfill (${kind}) stores every ticket once with every state change and pull request`, async () => {
      const { store, url } = await freshStore(kind);
      try {
        const config = linearConfig({ teams: ['ENG'], apiUrl: sandbox.url });
        const stream = ticketStream(linearConnector, linearChangeTickets, config, '7d');
        const runner = ticketRunner(store, linearClient(config), { now: NOW + 30 * DAY });
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
        expect(versions.map((row) => row.key).sort()).toEqual(
          truth.map((ticket) => ticket.identifier).sort(),
        );
        expect(truth.length).toBeGreaterThan(500);
        const stored = latest(versions);
        for (const expected of truth) {
          const row = stored.get(expected.identifier)!;
          const ticket = row.payload as unknown as LinearTicket;
          expect(row.occurredAt, expected.identifier).toBe(expected.updatedAt);
          expect(
            ticket.stateHistory.map((step) => ({
              at: Date.parse(step.at),
              by: step.by?.id,
              from: step.from?.name,
              to: step.to?.name,
            })),
            `${expected.identifier} state changes`,
          ).toEqual(expected.stateChanges);
          expect(ticket.pullRequests.map((pr) => pr.url)).toEqual(expected.pullRequests);
        }
        // Issues and nested history both paged past their first page.
        expect(sandbox.requests.byOperation.ChangeTickets).toBeGreaterThan(windows.length);
        expect(sandbox.requests.byOperation.IssueHistory).toBeGreaterThan(truth.length);
      } finally {
        await store.close();
        await dropStore(url);
      }
    }, 240_000);
  }

  it('a ticket updated in two windows is one key with two versions', async () => {
    const { store, url } = await freshStore('sqlite');
    try {
      const config = linearConfig({ teams: ['ENG'], apiUrl: sandbox.url });
      const stream = ticketStream(linearConnector, linearChangeTickets, config, '1h');
      const relabelled = sandbox.tickets.find(
        (ticket) => ticket.relabelledAt !== null && ticket.relabelledAt < NOW - 30 * DAY,
      )!;
      const clock = { now: 0 };
      const runner = ticketRunner(store, linearClient(config), clock);
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
      expect(versions.map((row) => (row.payload as unknown as LinearTicket).labels)).toEqual([
        ['change'],
        ['audited', 'change'],
      ]);
    } finally {
      sandbox.setNow(NOW);
      await store.close();
      await dropStore(url);
    }
  });
});
