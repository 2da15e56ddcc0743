import { jiraChangeTickets } from '../../../connectors/jira/change-tickets.js';
import type { JiraConfig } from '../../../connectors/jira/config.js';
import { jiraConnector } from '../../../connectors/jira/index.js';
import { linearChangeTickets } from '../../../connectors/linear/change-tickets.js';
import type { LinearConfig } from '../../../connectors/linear/config.js';
import { linearConnector } from '../../../connectors/linear/index.js';
import type { CollectionRunner } from '../../../src/collection/runner.js';
import type { StreamInstance } from '../../../src/registry.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import type { AnyConnector, StreamDefinition } from '../../../src/stream.js';
import { type Window } from '../../../src/time.js';
import { jiraClient } from '../../jira/support.js';
import { linearClient } from '../../linear/support.js';
import { runnerOver, silentLogger, streamInstanceOf } from '../../support/stream-harness.js';

export { silentLogger };

/** A stream as the registry would build it, with the definition's defaults and an optional cadence. */
export function ticketStream(
  connector: AnyConnector,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload and client types differ per connector
  definition: StreamDefinition<any, any, any>,
  config: unknown,
  cadence?: string,
): StreamInstance {
  return streamInstanceOf(connector, definition, config, cadence);
}

/** The core runner over a real store, with one client and a clock the test sets. */
export function ticketRunner(store: EvidenceStore, client: unknown, clock: { now: number }) {
  return runnerOver(store, client, () => clock.now);
}

/** Collects a window, retrying failed attempts like the queue would (never a fatal one). */
export async function collectWithRetries(
  runner: CollectionRunner,
  stream: StreamInstance,
  window: Window,
  attempts = 4,
) {
  let outcome = await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
  for (
    let attempt = 2;
    attempt <= attempts && outcome.status === 'failed' && outcome.error?.retry !== 'fatal';
    attempt += 1
  )
    outcome = await runner.collect({ stream, window, trigger: 'backfill', attempt });
  return outcome;
}

/** One collection per window of each ticket system given (Jira's first), each with retries, all at once. */
export function ticketJobs(
  store: EvidenceStore,
  clock: { now: number },
  systems: { readonly jira?: JiraConfig; readonly linear?: LinearConfig },
  windows: readonly Window[],
  cadence: string,
) {
  const { jira, linear } = systems;
  return [
    ...(jira
      ? windows.map((window) =>
          collectWithRetries(
            ticketRunner(store, jiraClient(jira), clock),
            ticketStream(jiraConnector, jiraChangeTickets, jira, cadence),
            window,
          ),
        )
      : []),
    ...(linear
      ? windows.map((window) =>
          collectWithRetries(
            ticketRunner(store, linearClient(linear), clock),
            ticketStream(linearConnector, linearChangeTickets, linear, cadence),
            window,
          ),
        )
      : []),
  ];
}

export interface StoredVersion {
  key: string;
  version: number;
  occurredAt: number;
  payload: Record<string, unknown>;
}

/** Every stored version of every item of the stream, in write order. */
export async function storedVersions(store: EvidenceStore, stream: string): Promise<StoredVersion[]> {
  const rows = await store.db
    .selectFrom('evidence_items')
    .select(['item_key', 'version', 'occurred_at', 'payload'])
    .where('stream', '=', stream)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({
    key: row.item_key,
    version: Number(row.version),
    occurredAt: Number(row.occurred_at),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  }));
}

/** The latest version of each key. */
export function latest(versions: readonly StoredVersion[]): Map<string, StoredVersion> {
  const byKey = new Map<string, StoredVersion>();
  for (const row of versions) {
    const known = byKey.get(row.key);
    if (!known || row.version > known.version) byKey.set(row.key, row);
  }
  return byKey;
}
