import { pino } from 'pino';
import {
  createGithubClient,
  type ClientTuning,
  type GithubClient,
} from '../../../connectors/github/client.js';
import { githubConfigSchema, type GithubConfig } from '../../../connectors/github/config.js';
import { githubConnector } from '../../../connectors/github/index.js';
import { LocalLimiter } from '../../../src/limiter.js';
import type { StreamInstance } from '../../../src/registry.js';
import { CollectionRunner } from '../../../src/collection/runner.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import type { ConnectorDefinition, StreamDefinition } from '../../../src/stream.js';
import { parseDuration, type Window } from '../../../src/time.js';
import { builtInChecks } from '../../../checks/index.js';
import { Catalogue } from '../../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../../src/checks/check-set.js';
import { judgePeriod } from '../../../src/checks/judge-period.js';

export const silentLogger = pino({ level: 'silent' });

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
  return {
    id: definition.id,
    connector: githubConnector as unknown as ConnectorDefinition,
    connectorConfig: config,
    definition: definition as unknown as StreamDefinition,
    cadenceMs: parseDuration(definition.cadence),
    silenceThresholdMs: parseDuration(definition.silenceThreshold),
    silenceThresholdConfigured: false,
    sourceLagMs: parseDuration(definition.sourceLag),
    retention: definition.retention(config),
    criteria: definition.criteria,
    isoControls: definition.isoControls,
  };
}

/** The core runner over a real store, with a client built once for the test and a clock the test moves. */
export function githubRunner(store: EvidenceStore, client: GithubClient, clock: { now: number }) {
  return new CollectionRunner({
    store,
    logger: silentLogger,
    clock: () => clock.now,
    limiter: new LocalLimiter(),
    clients: async () => client,
  });
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
  const checks = buildCheckSet(builtInChecks, {}, Catalogue.load()).active(new Set([stream]));
  const findings = await judgePeriod(store, checks, new Set([stream]), { start: 0, end: 8.64e15 });
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
