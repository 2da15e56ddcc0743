import { z } from 'zod';
import type { Catalogue } from './catalogue/catalogue.js';
import type { ConfiguredStream } from './configured-streams.js';
import type { ArtefactStream } from './artefacts/review-decision-stream.js';

/** The catalogue and the configured streams, as `streams` and `catalog` show them. */
export interface StreamListing {
  readonly catalogue: Catalogue;
  readonly streams: readonly ConfiguredStream[];
  /** Streams whose facts a registered artefact brings (access review decisions): listed, never collected. */
  readonly artefactStreams: readonly ArtefactStream[];
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
  // A listing parses each schema once: zod's compiled fast path (a `new Function` per object schema) would
  // cost more than it saves. It is decided when a schema is built, so before the imports below build them.
  z.config({ jitless: true });
  const [
    { loadConfig },
    { Catalogue },
    { builtInManifests },
    { configureStreams, loadModules },
    { ARTEFACT_STREAMS },
  ] = await Promise.all([
    import('./config/load.js'),
    import('./catalogue/catalogue.js'),
    import('./connector-manifests.js'),
    import('./configured-streams.js'),
    import('./artefacts/review-decision-stream.js'),
  ]);
  const { config, baseDir } = loadConfig(options.configPath, options.env ?? process.env);
  const catalogue = Catalogue.load();
  // A module's connector is a whole one (its manifest and its implementation in one file).
  const modules = await loadModules(config.modules, baseDir);
  const connectors = configureStreams(config, catalogue, [...builtInManifests, ...modules.connectors]);
  return {
    catalogue,
    streams: connectors.flatMap((connector) => connector.streams),
    artefactStreams: ARTEFACT_STREAMS,
  };
}
