import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalogue } from './catalogue/catalogue.js';
import type { AnyCheck } from './checks/check.js';
import { formatConfigIssues } from './config/config-issue.js';
import type { EvidenceConfig } from './config/schema.js';
import { UsageError } from './errors.js';
import type { AnyConnector, AnyManifest } from './stream.js';
import { formatDuration, parseDuration } from './time.js';

/**
 * A stream as the config sets it: its connector's declaration with settings and mapping overrides applied.
 * Built from manifests alone (`streams`, `catalog`) or from whole connectors (the registry).
 */
export interface ConfiguredStream<TConnector extends AnyManifest = AnyManifest> {
  readonly id: string;
  readonly connector: TConnector;
  readonly connectorConfig: unknown;
  readonly definition: TConnector['streams'][number];
  readonly cadenceMs: number;
  readonly silenceThresholdMs: number;
  /** Whether the silence threshold was set in config (else it may be learned from history). */
  readonly silenceThresholdConfigured: boolean;
  readonly sourceLagMs: number;
  /** The stream's own backfill window, when it or the config sets one (else `schedule.backfillWindow`). */
  readonly backfillSpanMs?: number | undefined;
  readonly criteria: readonly string[];
  readonly isoControls: readonly string[];
}

export interface ConfiguredConnector<TConnector extends AnyManifest = AnyManifest> {
  readonly connector: TConnector;
  readonly config: unknown;
  readonly streams: readonly ConfiguredStream<TConnector>[];
}

/** The connectors and checks of the config's `modules:` (paths relative to the config file). */
export async function loadModules(
  modules: readonly string[],
  baseDir: string,
): Promise<{ connectors: AnyConnector[]; checks: AnyCheck[] }> {
  const connectors: AnyConnector[] = [];
  const checks: AnyCheck[] = [];
  for (const modulePath of modules) {
    const file = path.resolve(baseDir, modulePath);
    if (!existsSync(file))
      throw new UsageError(`config: modules: ${modulePath}: no such file (looked for ${file})`);
    const url = pathToFileURL(file).href;
    const imported = (await import(url)) as { connector?: AnyConnector; checks?: unknown };
    if (!imported.connector && !imported.checks)
      throw new UsageError(`config: modules: ${modulePath} exports neither "connector" nor "checks"`);
    if (imported.connector) connectors.push(imported.connector);
    if (imported.checks) {
      // Only a config that loads checks pays for their validation (`streams` and `catalog` come here too).
      const { validateModuleChecks } = await import('./checks/check-declaration.js');
      checks.push(...validateModuleChecks(imported.checks, modulePath));
    }
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
 * The configured connectors and their streams, from every connector known here. A connector runs when its
 * section exists under `connectors:` (and is not `enabled: false`). Every criterion and control is checked
 * against the catalogue here, so a bad id stops start-up; so do an unknown connector or stream id and a
 * connector section its schema refuses.
 */
export function configureStreams<TConnector extends AnyManifest>(
  config: EvidenceConfig,
  catalogue: Catalogue,
  available: readonly TConnector[],
): ConfiguredConnector<TConnector>[] {
  const byId = new Map(available.map((connector) => [connector.id, connector]));
  for (const id of Object.keys(config.connectors)) {
    if (!byId.has(id))
      throw new UsageError(
        `config: connectors.${id}: unknown connector (known: ${[...byId.keys()].join(', ')})`,
      );
  }
  const connectors: ConfiguredConnector<TConnector>[] = [];
  const known = new Set<string>();
  for (const connector of available) {
    for (const stream of connector.streams)
      checkIds(catalogue, stream.id, stream.criteria, stream.isoControls, `connector ${connector.id}`);
    const section = config.connectors[connector.id];
    for (const stream of connector.streams) known.add(stream.id);
    if (section === undefined || (section as { enabled?: unknown }).enabled === false) continue;
    const parsed = connector.configSchema.safeParse(section);
    if (!parsed.success)
      throw new UsageError(
        formatConfigIssues(parsed.error, section, `connectors.${connector.id}`, connector.configSchema),
      );
    const streams: ConfiguredStream<TConnector>[] = [];
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
      const backfillSpanMs =
        settings?.backfillSpan ??
        (definition.backfillSpan === undefined ? undefined : parseDuration(definition.backfillSpan));
      // A span that is no multiple of the cadence cannot be cut into its windows: say so, never fall back.
      if (backfillSpanMs !== undefined && (backfillSpanMs < cadenceMs || backfillSpanMs % cadenceMs !== 0))
        throw new UsageError(
          `config: streams.${definition.id}.backfillSpan: expected a multiple of the stream's cadence (${formatDuration(cadenceMs)}), got ${formatDuration(backfillSpanMs)}`,
        );
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
        backfillSpanMs,
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
  return connectors;
}
