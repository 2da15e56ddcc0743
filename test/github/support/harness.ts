import {
  createGithubClient,
  type ClientTuning,
  type GithubClient,
} from '../../../connectors/github/client.js';
import { githubConfigSchema, type GithubConfig } from '../../../connectors/github/config.js';
import { githubConnector } from '../../../connectors/github/index.js';
import type { StreamInstance } from '../../../src/registry.js';
import type { CollectionRunner } from '../../../src/collection/runner.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import type { StreamDefinition } from '../../../src/stream.js';
import { type Window } from '../../../src/time.js';
import { builtInFindings, runnerOver, silentLogger, streamInstanceOf } from '../../support/stream-harness.js';

export { silentLogger };

/** Retries in milliseconds instead of seconds, so fault tests take seconds. */
export const fastTuning: ClientTuning = { retryBaseMs: 1, timeoutMs: 1_000, retries: 3, graphqlSpacingMs: 0 };

export function githubConfig(section: Record<string, unknown>): GithubConfig {
  return githubConfigSchema.parse(section);
}

export function githubClient(config: GithubConfig, tuning: ClientTuning = fastTuning): GithubClient {
  return createGithubClient(config, { GITHUB_TOKEN: 'ghp_test' }, tuning);
}

/** A stream as the registry would build it, with the definition's own defaults. */
export function streamInstance(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per stream
  definition: StreamDefinition<GithubClient, any, GithubConfig>,
  config: GithubConfig,
): StreamInstance {
  return streamInstanceOf(githubConnector, definition, config);
}

/** The core runner over a real store, with a client built once for the test and a clock the test moves. */
export function githubRunner(store: EvidenceStore, client: GithubClient, clock: { now: number }) {
  return runnerOver(store, client, () => clock.now);
}

/** Collects a window, retrying a failed attempt a few times like the queue would (not for fatal errors). */
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

export interface StoredItem {
  key: string;
  occurredAt: number;
  version: number;
  payload: Record<string, unknown>;
  codes: string[];
}

/** Every stored item of a stream with the codes the shipped checks (default policies) give it. */
export async function storedItems(store: EvidenceStore, stream: string): Promise<StoredItem[]> {
  const rows = await store.db
    .selectFrom('evidence_items')
    .select(['item_key', 'occurred_at', 'version', 'payload'])
    .where('stream', '=', stream)
    .orderBy('seq')
    .execute();
  const findings = await builtInFindings(store, stream);
  return rows.map((row) => ({
    key: row.item_key,
    occurredAt: Number(row.occurred_at),
    version: Number(row.version),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    codes: findings
      .forItem(stream, row.item_key)
      .map((finding) => finding.code)
      .sort(),
  }));
}
