import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { parseConfig } from '../../src/config/load.js';
import { buildRegistry } from '../../src/registry.js';
import { connector as fakeConnector } from '../fixtures/fake-connector.js';

const catalogue = Catalogue.load();

describe('mapping catalogue', () => {
  it('holds the 61 TSC 2017 criteria and the 93 Annex A controls', () => {
    expect(catalogue.criteria.size).toBe(61);
    expect(catalogue.controls.size).toBe(93);
    expect(catalogue.isCriterion('CC9.3')).toBe(false);
    expect(catalogue.isCriterion('CC9.2')).toBe(true);
  });

  it('cites a source on every pair and carries the seed corrections', () => {
    for (const pair of catalogue.mappings) expect(pair.source.length).toBeGreaterThan(10);
    expect(catalogue.mappings.some((pair) => pair.tsc_criterion_id === 'CC9.3')).toBe(false);
    const cloud = catalogue.criteriaOf('A.5.23').filter((pair) => pair.origin === 'seed');
    expect(cloud.map((pair) => pair.tsc_criterion_id)).toEqual(['CC9.2']);
    expect(cloud[0]!.note).toMatch(/CC9\.3/);
    const restriction = catalogue.criteriaOf('A.8.3').filter((pair) => pair.origin === 'seed');
    expect(restriction.map((pair) => pair.tsc_criterion_id)).toEqual(['CC6.1']);
    expect(catalogue.originsOf('CC6.6').some((pair) => pair.iso_control_id === 'A.8.3')).toBe(false);
  });

  it('scopes Security always and other categories when configured', () => {
    expect(catalogue.inScope([])).toHaveLength(33);
    expect(catalogue.inScope(['Availability'])).toHaveLength(36);
  });

  it('stops start-up when an override cites an unknown criterion, naming stream and id', async () => {
    const config = parseConfig({
      connectors: { fake: { baseUrl: 'http://127.0.0.1:1' } },
      mappings: { overrides: { 'fake-changes': { criteria: ['CC9.3'] } } },
    });
    await expect(buildRegistry(config, catalogue, { extraConnectors: [fakeConnector] })).rejects.toThrow(
      /mappings\.overrides\.fake-changes: stream fake-changes cites unknown SOC 2 criterion "CC9\.3"/,
    );
  });

  it('stops start-up when an override cites an unknown control', async () => {
    const config = parseConfig({
      connectors: { fake: { baseUrl: 'http://127.0.0.1:1' } },
      mappings: { overrides: { 'fake-members': { isoControls: ['A.9.1'] } } },
    });
    await expect(buildRegistry(config, catalogue, { extraConnectors: [fakeConnector] })).rejects.toThrow(
      /unknown ISO 27001:2022 control "A\.9\.1"/,
    );
  });

  it('applies a valid override', async () => {
    const config = parseConfig({
      connectors: { fake: { baseUrl: 'http://127.0.0.1:1' } },
      mappings: { overrides: { 'fake-changes': { criteria: ['CC8.1', 'CC7.1'] } } },
    });
    const registry = await buildRegistry(config, catalogue, { extraConnectors: [fakeConnector] });
    expect(registry.stream('fake-changes').criteria).toEqual(['CC8.1', 'CC7.1']);
  });
});
