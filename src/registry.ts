import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalogue } from './catalogue/catalogue.js';
import { formatZodError } from './config/format-issue.js';
import type { EvidenceConfig } from './config/schema.js';
import { UsageError } from './errors.js';
import type { AnyCheck } from './checks/check.js';
import type { AnyConnector, SourceRetention, StreamDefinition } from './stream.js';
import { parseDuration } from './time.js';
import { builtInConnectors } from './connectors.js';

/** A stream as it runs here: its definition with config, settings and mapping overrides applied. */
export interface StreamInstance {
  readonly id: string;
  readonly connector: AnyConnector;
  readonly connectorConfig: unknown;
  readonly definition: StreamDefinition;
  readonly cadenceMs: number;
  readonly silenceThresholdMs: number;
  /** Whether the silence threshold was set in config (else it may be learned from history). */
  readonly silenceThresholdConfigured: boolean;
  readonly sourceLagMs: number;
  readonly retention: SourceRetention;
  readonly criteria: readonly string[];
  readonly isoControls: readonly string[];
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

async function loadModules(
  modules: readonly string[],
  baseDir: string,
): Promise<{ connectors: AnyConnector[]; checks: AnyCheck[] }> {
  const connectors: AnyConnector[] = [];
  const checks: AnyCheck[] = [];
  for (const modulePath of modules) {
    const url = pathToFileURL(path.resolve(baseDir, modulePath)).href;
    const imported = (await import(url)) as { connector?: AnyConnector; checks?: AnyCheck[] };
    if (!imported.connector && !imported.checks)
      throw new UsageError(`config: modules: ${modulePath} exports neither "connector" nor "checks"`);
    if (imported.connector) connectors.push(imported.connector);
    if (imported.checks) checks.push(...imported.checks);
  }
  return { connectors, checks };
}

function checkIds(
  catalogue: Catalogue,
  streamId: string,
  criteria: readonly string[],
  controls: readonly string[],
  where: string,
): void {
  for (const id of criteria) {
    if (!catalogue.isCriterion(id)) {
      throw new UsageError(
        `${where}: stream ${streamId} cites unknown SOC 2 criterion "${id}" (TSC 2017 has CC1.1-CC9.2, A1.x, C1.x, PI1.x, P1.x-P8.x)`,
      );
    }
  }
  for (const id of controls) {
    if (!catalogue.isControl(id)) {
      throw new UsageError(
        `${where}: stream ${streamId} cites unknown ISO 27001:2022 control "${id}" (Annex A has A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34)`,
      );
    }
  }
}

/**
 * Builds the running set of streams from the built-in connectors, any configured modules and the config.
 * A connector runs when its section exists under `connectors:` (and is not `enabled: false`).
 * Every criterion and control is checked against the catalogue here, so a bad id stops start-up.
 */
export async function buildRegistry(
  config: EvidenceConfig,
  catalogue: Catalogue,
  options: { baseDir?: string; extraConnectors?: readonly AnyConnector[] } = {},
): Promise<Registry> {
  const modules = await loadModules(config.modules, options.baseDir ?? process.cwd());
  const available = [...builtInConnectors, ...(options.extraConnectors ?? []), ...modules.connectors];
  const byId = new Map(available.map((connector) => [connector.id, connector]));
  for (const id of Object.keys(config.connectors)) {
    if (!byId.has(id))
      throw new UsageError(
        `config: connectors.${id}: unknown connector (known: ${[...byId.keys()].join(', ')})`,
      );
  }
  const connectors: ConnectorInstance[] = [];
  const known = new Set<string>();
  for (const connector of available) {
    for (const stream of connector.streams)
      checkIds(catalogue, stream.id, stream.criteria, stream.isoControls, `connector ${connector.id}`);
    const section = config.connectors[connector.id];
    for (const stream of connector.streams) known.add(stream.id);
    if (section === undefined || (section as { enabled?: unknown }).enabled === false) continue;
    const parsed = connector.configSchema.safeParse(section);
    if (!parsed.success)
      throw new UsageError(formatZodError(parsed.error, section, 'config', `connectors.${connector.id}`));
    const streams: StreamInstance[] = [];
    for (const definition of connector.streams) {
      const settings = config.streams[definition.id];
      if (settings?.enabled === false) continue;
      const override = config.mappings.overrides[definition.id];
      const criteria = override?.criteria ?? definition.criteria;
      const isoControls = override?.isoControls ?? definition.isoControls;
      checkIds(
        catalogue,
        definition.id,
        criteria,
        isoControls,
        `config: mappings.overrides.${definition.id}`,
      );
      const cadenceMs = settings?.cadence ?? parseDuration(definition.cadence);
      streams.push({
        id: definition.id,
        connector,
        connectorConfig: parsed.data,
        definition,
        cadenceMs,
        silenceThresholdMs: Math.max(
          cadenceMs,
          settings?.silenceThreshold ?? parseDuration(definition.silenceThreshold),
        ),
        silenceThresholdConfigured: settings?.silenceThreshold !== undefined,
        sourceLagMs: settings?.sourceLag ?? parseDuration(definition.sourceLag),
        retention: definition.retention(parsed.data),
        criteria,
        isoControls,
      });
    }
    connectors.push({ connector, config: parsed.data, streams });
  }
  for (const id of [...Object.keys(config.streams), ...Object.keys(config.mappings.overrides)]) {
    if (!known.has(id))
      throw new UsageError(
        `config: stream "${id}" is not a known stream (known: ${[...known].sort().join(', ')})`,
      );
  }
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
