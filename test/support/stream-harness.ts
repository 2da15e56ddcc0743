import { pino } from 'pino';
import { builtInChecks } from '../../checks/index.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { judgePeriod, type PeriodFindings } from '../../src/checks/judge-period.js';
import { CollectionRunner } from '../../src/collection/runner.js';
import { LocalLimiter } from '../../src/limiter.js';
import type { Registry, StreamInstance } from '../../src/registry.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { AnyConnector, StreamDefinition } from '../../src/stream.js';
import { parseDuration, type Clock, type Window } from '../../src/time.js';

export const silentLogger = pino({ level: 'silent' });

/**
 * A stream as the registry would build it from a connector's definition and a validated config, with the
 * definition's defaults and, where a test needs longer windows, another cadence ("7d" or milliseconds).
 */
export function streamInstanceOf(
  connector: AnyConnector,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- client, payload and config types differ per connector
  definition: StreamDefinition<any, any, any>,
  config: unknown,
  cadence?: string | number,
): StreamInstance {
  return {
    id: definition.id,
    connector,
    connectorConfig: config,
    definition: definition as StreamDefinition,
    cadenceMs: typeof cadence === 'number' ? cadence : parseDuration(cadence ?? definition.cadence),
    silenceThresholdMs: parseDuration(definition.silenceThreshold),
    silenceThresholdConfigured: false,
    sourceLagMs: parseDuration(definition.sourceLag),
    retention: definition.retention(config),
    criteria: definition.criteria,
    isoControls: definition.isoControls,
  };
}

/** The core runner over a real store, with one client built by the test and the test's clock. */
export function runnerOver(store: EvidenceStore, client: unknown, clock: Clock): CollectionRunner {
  return new CollectionRunner({
    store,
    logger: silentLogger,
    clock,
    limiter: new LocalLimiter(),
    clients: async () => client,
  });
}

/**
 * The core runner over a real store for every connector of a built registry: each connector's client is
 * created once, from its config section and `env`, as the worker does.
 */
export function registryRunner(
  store: EvidenceStore,
  registry: Registry,
  env: Record<string, string>,
  clock: Clock,
): CollectionRunner {
  const clients = new Map<string, Promise<unknown>>();
  return new CollectionRunner({
    store,
    logger: silentLogger,
    clock,
    limiter: new LocalLimiter(),
    clients: (stream) => {
      const id = stream.connector.id;
      if (!clients.has(id)) {
        const section = registry.connectors.find((entry) => entry.connector.id === id)!;
        clients.set(id, Promise.resolve(stream.connector.createClient(section.config, env)));
      }
      return clients.get(id)!;
    },
  });
}

/** What the shipped checks (default policies) find on one stream's stored facts over a range. */
export async function builtInFindings(
  store: EvidenceStore,
  stream: string,
  range: Window = { start: 0, end: 8.64e15 },
): Promise<PeriodFindings> {
  const collected = new Set([stream]);
  const checks = buildCheckSet(builtInChecks, {}, Catalogue.load()).active(collected);
  return judgePeriod(store, checks, collected, range);
}
