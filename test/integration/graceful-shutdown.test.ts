import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { waitFor } from '../support/app.js';
import { FAKE_CONNECTOR_MODULE, spawnCli, writeConfig } from '../support/cli.js';
import { freshRedisPrefix, freshStoreUrl } from '../support/stores.js';
import { startFakeSource } from '../fixtures/fake-source.js';

describe('SIGTERM', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('lets the active window finish before the service exits: nothing half-written', async () => {
    const now = Date.now();
    const source = await startFakeSource({
      token: 'term-token-123456',
      events: [{ id: 'slow-1', at: now - 2 * 3_600_000, actor: 'dev', action: 'merge' }],
    });
    source.delayMs = 2_500;
    cleanups.push(() => source.stop());
    const storeUrl = freshStoreUrl('sqlite');
    const config = writeConfig(`store:
  url: ${storeUrl}
redis:
  prefix: ${freshRedisPrefix()}
schedule:
  initialLookback: 3h
http:
  port: 0
modules: [${FAKE_CONNECTOR_MODULE}]
streams:
  fake-members: { enabled: false }
connectors:
  fake:
    baseUrl: ${source.url}
    concurrency: 1
`);
    const store = await openStore(storeUrl);
    cleanups.push(() => store.close());
    const service = spawnCli(['--config', config, 'start', '--role', 'all'], {
      env: { FAKE_SOURCE_TOKEN: 'term-token-123456' },
    });
    let stderr = '';
    service.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => service.on('exit', (code) => resolve(code)));
    await waitFor(
      async () =>
        (await store.db.selectFrom('runs').select('status').where('status', '=', 'running').execute())
          .length > 0,
      'a run in progress',
    );
    service.kill('SIGTERM');
    expect(await exited).toBe(0);
    const runs = await store.db.selectFrom('runs').selectAll().execute();
    expect(runs.some((run) => run.status === 'running')).toBe(false);
    expect(runs.filter((run) => run.status === 'succeeded').length).toBeGreaterThanOrEqual(1);
    expect(stderr).toMatch(/shutting down/);
    expect(stderr).toMatch(/"msg":"stopped"/);
  });
});
