import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSource, type FakeSource } from '../fixtures/fake-source.js';
import { FAKE_CONNECTOR_MODULE, runCli, writeConfig } from '../support/cli.js';
import { dropStore, freshRedisPrefix, freshStoreUrl } from '../support/stores.js';

const TOKEN = 'fake-token-for-collect-0123';
const HOUR = 3_600_000;

/** `collect` against the fake source: exit 1 while a gap remains, 0 once the ledger shows none. */
describe.each(['sqlite', 'postgres'] as const)('evidence-worker collect (%s)', (kind) => {
  let source: FakeSource;
  let config: string;
  let storeUrl: string;

  beforeAll(async () => {
    const now = Date.now();
    source = await startFakeSource({
      token: TOKEN,
      events: [
        { id: 'e1', at: now - 20 * HOUR, actor: 'ana', action: 'merge' },
        { id: 'e2', at: now - 3 * HOUR, actor: 'bo', action: 'merge' },
      ],
    });
    source.members = { ana: 'admin', bo: 'member' };
    const yesterday = new Date(now - 24 * HOUR).toISOString().slice(0, 10);
    storeUrl = freshStoreUrl(kind);
    config = writeConfig(`store:
  url: ${storeUrl}
redis:
  prefix: ${freshRedisPrefix()}
audit:
  start: ${yesterday}
queue:
  attempts: 2
  backoffMs: 10
modules: [${FAKE_CONNECTOR_MODULE}]
streams:
  fake-changes: { silenceThreshold: 30d }
connectors:
  fake:
    baseUrl: ${source.url}
`);
  });

  afterAll(async () => {
    await source.stop();
    await dropStore(storeUrl);
  });

  const collect = (...args: string[]) =>
    runCli(['--config', config, 'collect', ...args], { env: { FAKE_SOURCE_TOKEN: TOKEN } });

  it('exits 1 and names the gap while the source fails', async () => {
    source.failWith = 503;
    const result = await collect('--inline');
    expect(result.stderr).toMatch(/fake-changes: \d+ window\(s\) were due/);
    expect(result.stdout).toMatch(/INCOMPLETE/);
    expect(result.stdout).toMatch(/failed/);
    expect(result.code).toBe(1);
  }, 120_000);

  it('collects the failed windows again and exits 0 once no gap remains', async () => {
    source.failWith = undefined;
    const result = await collect('--inline');
    expect(result.stdout).toMatch(/COMPLETE/);
    expect(result.stdout).not.toMatch(/INCOMPLETE/);
    expect(result.code).toBe(0);
    expect(source.requests.filter((path) => path === '/members').length).toBeGreaterThan(0);
  }, 120_000);

  it('through the queue, with nothing left due, still judges and exits 0', async () => {
    const before = source.requests.length;
    const result = await collect('--stream', 'fake-changes', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { complete: boolean; streams: { stream: string }[] };
    expect(report.complete).toBe(true);
    expect(report.streams.map((entry) => entry.stream)).toEqual(['fake-changes']);
    // Whatever was due in the last hour only, not the whole period again.
    expect(source.requests.length - before).toBeLessThanOrEqual(2);
  }, 120_000);

  it('an unknown stream is a usage error: one line, exit 2', async () => {
    const result = await collect('--stream', 'nope', '--inline');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/unknown stream "nope"/);
  }, 60_000);
});
