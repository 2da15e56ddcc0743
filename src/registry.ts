import type { Catalogue } from './catalogue/catalogue.js';
import type { EvidenceConfig } from './config/schema.js';
import { UsageError } from './errors.js';
import type { AnyCheck } from './checks/check.js';
import { configureStreams, loadModules, type ConfiguredStream } from './configured-streams.js';
import type { AnyConnector, SourceRetention } from './stream.js';
import { builtInConnectors } from './connectors.js';

/** A stream as it runs here: its definition with config, settings and mapping overrides applied. */
export interface StreamInstance extends ConfiguredStream<AnyConnector> {
  readonly retention: SourceRetention;
}

export interface ConnectorInstance {
  readonly connector: AnyConnector;
  readonly config: unknown;
  readonly streams: readonly StreamInstance[];
}

export interface Registry {
  readonly connectors: readonly ConnectorInstance[];
  readonly streams: readonly StreamInstance[];
  /** Every connector known here, configured or not (for the secrets they declare). */
  readonly available: readonly AnyConnector[];
  /** Checks exported (as `checks`) by the configured connector modules. */
  readonly moduleChecks: readonly AnyCheck[];
  stream(id: string): StreamInstance;
}

/**
 * Builds the running set of streams from the built-in connectors, any configured modules and the config
 * (`configureStreams` says which run and how), each with the retention its source has under that config.
 */
export async function buildRegistry(
  config: EvidenceConfig,
  catalogue: Catalogue,
  options: { baseDir?: string; extraConnectors?: readonly AnyConnector[] } = {},
): Promise<Registry> {
  const modules = await loadModules(config.modules, options.baseDir ?? process.cwd());
  const available = [...builtInConnectors, ...(options.extraConnectors ?? []), ...modules.connectors];
  const connectors: ConnectorInstance[] = configureStreams(config, catalogue, available).map(
    (configured) => ({
      ...configured,
      streams: configured.streams.map((stream) => ({
        ...stream,
        retention: stream.definition.retention(configured.config),
      })),
    }),
  );
  const streams = connectors.flatMap((instance) => instance.streams);
  const index = new Map(streams.map((stream) => [stream.id, stream]));
  return {
    connectors,
    streams,
    available,
    moduleChecks: modules.checks,
    stream(id: string): StreamInstance {
      const found = index.get(id);
      if (!found)
        throw new UsageError(
          `unknown stream "${id}" (configured: ${[...index.keys()].join(', ') || 'none'})`,
        );
      return found;
    },
  };
}
