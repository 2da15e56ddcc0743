import { Catalogue } from './catalogue/catalogue.js';
import { loadConfig } from './config/load.js';
import { builtInManifests } from './connector-manifests.js';
import { configureStreams, loadModules, type ConfiguredStream } from './configured-streams.js';

/** The catalogue and the configured streams, as `streams` and `catalog` show them. */
export interface StreamListing {
  readonly catalogue: Catalogue;
  readonly streams: readonly ConfiguredStream[];
}

/**
 * Reads the config and lists its streams from the connectors' manifests. The config, its connector sections,
 * stream settings and mapping overrides are checked as at start-up; check policies are not (only commands
 * that judge build the checks). Nothing that collects, stores, judges or logs is loaded
 * (test/integration/cli-imports.test.ts).
 */
export async function openStreamListing(
  options: { configPath?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): Promise<StreamListing> {
  const { config, baseDir } = loadConfig(options.configPath, options.env ?? process.env);
  const catalogue = Catalogue.load();
  // A module's connector is a whole one (its manifest and its implementation in one file).
  const modules = await loadModules(config.modules, baseDir);
  const connectors = configureStreams(config, catalogue, [...builtInManifests, ...modules.connectors]);
  return { catalogue, streams: connectors.flatMap((connector) => connector.streams) };
}
