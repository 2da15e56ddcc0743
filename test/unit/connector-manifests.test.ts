import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { parseConfig } from '../../src/config/load.js';
import { configureStreams } from '../../src/configured-streams.js';
import { builtInManifests } from '../../src/connector-manifests.js';
import { builtInConnectors } from '../../src/connectors.js';
import { buildRegistry } from '../../src/registry.js';
import type { StreamMetadata } from '../../src/stream.js';

const METADATA = [
  'id',
  'description',
  'kind',
  'population',
  'evidenceName',
  'criteria',
  'isoControls',
  'cadence',
  'silenceThreshold',
  'sourceLag',
] as const satisfies readonly (keyof StreamMetadata)[];

const metadataOf = (stream: StreamMetadata) =>
  Object.fromEntries(METADATA.map((field) => [field, stream[field]]));

// Every connector configured, as a company using them all would.
const config = parseConfig({
  connectors: {
    github: { org: 'acme' },
    aws: { accounts: [{ id: '123456789012', regions: ['us-east-1'], cloudtrail: { source: 'lookup' } }] },
    jira: { site: 'https://acme.atlassian.net', projects: ['CHG'] },
    linear: { teams: ['ENG'] },
    okta: { orgUrl: 'https://acme.okta.com' },
    'google-workspace': { subject: 'it-admin@acme.com' },
    'hr-file': { directory: './hr-exports' },
  },
  streams: { 'okta-users': { cadence: '12h' }, 'jira-change-tickets': { enabled: false } },
  mappings: { overrides: { 'github-production-changes': { criteria: ['CC8.1', 'CC7.1'] } } },
});

describe('connector manifests, what `streams` and `catalog` read', () => {
  it('declare exactly the streams each connector collects, in its order and words', () => {
    expect(builtInManifests.map((manifest) => manifest.id)).toEqual(
      builtInConnectors.map((connector) => connector.id),
    );
    for (const [index, connector] of builtInConnectors.entries()) {
      const manifest = builtInManifests[index]!;
      expect(manifest.streams.map(metadataOf)).toEqual(connector.streams.map(metadataOf));
      expect(manifest.configSchema).toBe(connector.configSchema);
      expect(manifest.secretEnvVars).toEqual(connector.secretEnvVars);
      expect(manifest.credentialErrorCodes).toEqual(connector.credentialErrorCodes);
    }
  });

  it('configure the same streams, settings and overrides as the registry', async () => {
    const registry = await buildRegistry(config, Catalogue.load());
    const listed = configureStreams(config, Catalogue.load(), builtInManifests).flatMap(
      (connector) => connector.streams,
    );
    const settingsOf = (stream: (typeof listed)[number]) => ({
      id: stream.id,
      connector: stream.connector.id,
      connectorConfig: stream.connectorConfig,
      cadenceMs: stream.cadenceMs,
      silenceThresholdMs: stream.silenceThresholdMs,
      sourceLagMs: stream.sourceLagMs,
      criteria: stream.criteria,
      isoControls: stream.isoControls,
    });
    expect(listed.map(settingsOf)).toEqual(registry.streams.map(settingsOf));
    expect(listed.find((stream) => stream.id === 'okta-users')?.cadenceMs).toBe(12 * 3_600_000);
    expect(listed.some((stream) => stream.id === 'jira-change-tickets')).toBe(false);
    expect(listed.find((stream) => stream.id === 'github-production-changes')?.criteria).toEqual([
      'CC8.1',
      'CC7.1',
    ]);
  });

  it('refuse a connector section its schema refuses, as start-up does', () => {
    const bad = parseConfig({ connectors: { okta: { orgUrl: 'not a url' } } });
    expect(() => configureStreams(bad, Catalogue.load(), builtInManifests)).toThrow(/connectors\.okta/);
  });
});
