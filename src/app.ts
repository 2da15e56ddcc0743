import type { Logger } from 'pino';
import { Catalogue } from './catalogue/catalogue.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import type { EvidenceConfig } from './config/schema.js';
import { createLogger } from './log.js';
import { buildRegistry, type Registry, type StreamInstance } from './registry.js';
import type { ClientProvider } from './runner.js';
import { openStore, type EvidenceStore } from './store/open-store.js';
import type { ConnectorDefinition } from './stream.js';
import { systemClock, type Clock } from './time.js';

export interface AppOptions {
  configPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  extraConnectors?: readonly ConnectorDefinition[];
  /** Use this config instead of reading a file (tests, demo). */
  config?: LoadedConfig;
}

/** Everything a command needs, built once: config, catalogue, streams, logger, and the store on demand. */
export interface App {
  readonly loaded: LoadedConfig;
  readonly config: EvidenceConfig;
  readonly catalogue: Catalogue;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly env: NodeJS.ProcessEnv;
  store(): Promise<EvidenceStore>;
  clients: ClientProvider;
  close(): Promise<void>;
}

export async function openApp(options: AppOptions = {}): Promise<App> {
  const env = options.env ?? process.env;
  const loaded = options.config ?? loadConfig(options.configPath, env);
  const { config } = loaded;
  const logger = options.logger ?? createLogger({ level: config.logLevel, env });
  const catalogue = Catalogue.load();
  const registry = await buildRegistry(config, catalogue, {
    baseDir: loaded.baseDir,
    extraConnectors: options.extraConnectors ?? [],
  });
  let storePromise: Promise<EvidenceStore> | undefined;
  const clientCache = new Map<string, Promise<unknown>>();
  return {
    loaded,
    config,
    catalogue,
    registry,
    logger,
    clock: options.clock ?? systemClock,
    env,
    store: () => (storePromise ??= openStore(config.store.url, loaded.baseDir)),
    clients: (stream: StreamInstance) => {
      let client = clientCache.get(stream.connector.id);
      if (!client) {
        client = Promise.resolve(stream.connector.createClient(stream.connectorConfig, env));
        client.catch(() => clientCache.delete(stream.connector.id));
        clientCache.set(stream.connector.id, client);
      }
      return client;
    },
    async close() {
      if (storePromise) await (await storePromise).close();
    },
  };
}
