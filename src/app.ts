import type { Logger } from 'pino';
import { Catalogue } from './catalogue/catalogue.js';
import { builtInChecksFor, builtInProofs } from '../checks/index.js';
import { peopleSettings } from '../checks/people/configured-settings.js';
import { once } from '../checks/people/defaults.js';
import type { HourlyProof } from './continuity/hour-proofs.js';
import type { JobCatalogue } from './collection/job-catalogue.js';
import type { AnyCheck } from './checks/check.js';
import { buildCheckSet, type CheckSet } from './checks/check-set.js';
import type { PeriodFindings } from './checks/judge-period.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import type { EvidenceConfig } from './config/schema.js';
import { createLogger } from './log.js';
import { registerEnvironmentSecrets, registerSecret } from './secrets.js';
import { buildRegistry, type Registry, type StreamInstance } from './registry.js';
import type { Limiter } from './limiter.js';
import type { ClientProvider, CollectionRunner } from './collection/runner.js';
import type { EvidenceStore } from './store/open-store.js';
import type { AnyConnector } from './stream.js';
import { systemClock, type Clock, type Window } from './time.js';

export interface AppOptions {
  configPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  extraConnectors?: readonly AnyConnector[];
  extraChecks?: readonly AnyCheck[];
  /** Use this config instead of reading a file (tests, demo). */
  config?: LoadedConfig;
}

/** Everything a command needs, built once: config, catalogue, streams, logger, and the store on demand. */
export interface App {
  readonly loaded: LoadedConfig;
  readonly config: EvidenceConfig;
  readonly catalogue: Catalogue;
  readonly registry: Registry;
  /** Every check with the policy in force; `findings` runs the active ones over a period. */
  readonly checks: CheckSet;
  /** Per-hour proofs checks give for their streams (CloudTrail digests), shown in continuity reports. */
  readonly proofs: readonly HourlyProof[];
  readonly logger: Logger;
  readonly clock: Clock;
  readonly env: NodeJS.ProcessEnv;
  store(): Promise<EvidenceStore>;
  clients: ClientProvider;
  /** The job processors of `jobs/` (this file is the only one that imports them). */
  readonly jobs: JobCatalogue;
  /** Judges the period's stored facts with every active check (pure: reads the store, writes nothing). */
  findings(period: Window): Promise<PeriodFindings>;
  /** Builds every client of these streams now, so a missing credential stops start-up with a clear message. */
  checkCredentials(streams?: readonly StreamInstance[]): Promise<void>;
  close(): Promise<void>;
}

export async function openApp(options: AppOptions = {}): Promise<App> {
  const env = options.env ?? process.env;
  const loaded = options.config ?? loadConfig(options.configPath, env);
  const { config } = loaded;
  registerEnvironmentSecrets(env);
  // A webhook URL carries its token in the path; written straight into the config it is a secret too.
  registerSecret(config.alerts.webhook?.url);
  const logger = options.logger ?? createLogger({ level: config.logLevel, env });
  const catalogue = Catalogue.load();
  const registry = await buildRegistry(config, catalogue, {
    baseDir: loaded.baseDir,
    extraConnectors: options.extraConnectors ?? [],
  });
  registerEnvironmentSecrets(
    env,
    registry.available.flatMap((connector) => connector.secretEnvVars ?? []),
  );
  const checks = buildCheckSet(
    [
      ...builtInChecksFor(once(() => peopleSettings(config.people, loaded.baseDir))),
      ...(options.extraChecks ?? []),
      ...registry.moduleChecks,
    ],
    config.checks,
    catalogue,
  );
  const collected = new Set(registry.streams.map((stream) => stream.id));
  let storePromise: Promise<EvidenceStore> | undefined;
  const clientCache = new Map<string, Promise<unknown>>();
  const app: App = {
    loaded,
    config,
    catalogue,
    registry,
    checks,
    proofs: builtInProofs,
    jobs: lazyJobs,
    logger,
    clock: options.clock ?? systemClock,
    env,
    // The database drivers load on first use: commands that never open the store start faster.
    store: () =>
      (storePromise ??= import('./store/open-store.js').then(({ openStore }) =>
        openStore(config.store.url, loaded.baseDir),
      )),
    clients: (stream: StreamInstance) => {
      let client = clientCache.get(stream.connector.id);
      if (!client) {
        client = Promise.resolve(stream.connector.createClient(stream.connectorConfig, env));
        client.catch(() => clientCache.delete(stream.connector.id));
        clientCache.set(stream.connector.id, client);
      }
      return client;
    },
    // The store's query layer loads with the store: `streams` and `catalog` never judge.
    findings: async (period) =>
      (await import('./checks/judge-period.js')).judgePeriod(
        await app.store(),
        checks.active(collected),
        collected,
        period,
      ),
    async checkCredentials(streams = registry.streams) {
      const seen = new Set<string>();
      for (const stream of streams) {
        if (seen.has(stream.connector.id)) continue;
        seen.add(stream.connector.id);
        await app.clients(stream);
      }
    },
    async close() {
      if (storePromise) await (await storePromise).close();
    },
  };
  return app;
}

/**
 * The collection runner over this app's store, logger, clock and clients. The limiter decides who shares
 * source rate limits: a Redis one across workers, a local one for inline runs.
 */
export async function appRunner(
  app: App,
  limiter: Limiter,
  options: { batchSize?: number } = {},
): Promise<CollectionRunner> {
  const { CollectionRunner } = await import('./collection/runner.js');
  return new CollectionRunner({
    store: await app.store(),
    logger: app.logger,
    clock: app.clock,
    limiter,
    clients: app.clients,
    ...options,
  });
}

/**
 * The processors of jobs/, loaded when a worker or the checker first builds one: BullMQ and the alert
 * machinery stay out of commands that only read (`catalog`, `streams`).
 */
const lazyJobs: JobCatalogue = {
  collect(deps) {
    const processor = import('../jobs/collect.js').then(({ collectProcessor }) => collectProcessor(deps));
    return async (job, token, signal) => (await processor)(job, token, signal);
  },
  continuityCheck(deps) {
    const check = import('../jobs/continuity-check.js').then(({ continuityCheckProcessor }) =>
      continuityCheckProcessor(deps),
    );
    return async () => (await check)();
  },
};
