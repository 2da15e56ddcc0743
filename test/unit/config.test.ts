import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { buildRegistry } from '../../src/registry.js';
import { connector as fakeConnector } from '../fixtures/fake-connector.js';

describe('config validation', () => {
  it('accepts the shipped example config as it stands', async () => {
    const env = { GITHUB_TOKEN: 'ghp_example', ALERT_WEBHOOK_URL: 'https://hooks.example.test/x' };
    const { config } = loadConfig(
      new URL('../../evidence-worker.example.yaml', import.meta.url).pathname,
      env,
    );
    const registry = await buildRegistry(config, Catalogue.load());
    expect(registry.streams.length).toBeGreaterThan(0);
  });

  it('names the field and what was expected', async () => {
    const config = parseConfig({
      connectors: { fake: { baseUrl: 'http://127.0.0.1:1', repos: ['a/b', 'c/d', 'foo'] } },
    });
    await expect(
      buildRegistry(config, Catalogue.load(), { extraConnectors: [fakeConnector] }),
    ).rejects.toThrow('config: connectors.fake.repos[2]: expected "owner/name", got "foo"');
  });

  it('rejects unknown keys and bad durations at their path', () => {
    expect(() => parseConfig({ queue: { attempts: 0 } })).toThrow(/config: queue\.attempts: .*got 0/);
    expect(() => parseConfig({ streams: { 'fake-changes': { cadence: 'hourly' } } })).toThrow(
      /config: streams\.fake-changes\.cadence: expected a duration/,
    );
    expect(() => parseConfig({ storage: {} })).toThrow(/config: .*storage/);
  });

  it('interpolates environment variables and names a missing one', () => {
    const config = parseConfig({ store: { url: '${EW_TEST_DB}' } }, { EW_TEST_DB: 'file:/tmp/x.db' });
    expect(config.store.url).toBe('file:/tmp/x.db');
    expect(() => parseConfig({ store: { url: '${EW_MISSING}' } }, {})).toThrow(
      'config: store.url: environment variable EW_MISSING is not set',
    );
  });

  it('lets DATABASE_URL and REDIS_URL win over the file', () => {
    const config = parseConfig({}, { DATABASE_URL: 'postgres://x@h/db', REDIS_URL: 'redis://h:1' });
    expect(config.store.url).toBe('postgres://x@h/db');
    expect(config.redis.url).toBe('redis://h:1');
  });

  it('rejects a stream id that no connector declares', async () => {
    const config = parseConfig({
      connectors: { fake: { baseUrl: 'http://127.0.0.1:1' } },
      streams: { 'no-such-stream': { enabled: false } },
    });
    await expect(
      buildRegistry(config, Catalogue.load(), { extraConnectors: [fakeConnector] }),
    ).rejects.toThrow(/stream "no-such-stream" is not a known stream/);
  });
});
