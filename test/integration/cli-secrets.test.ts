import { afterAll, describe, expect, it } from 'vitest';
import { runCli, writeConfig, FAKE_CONNECTOR_MODULE } from '../support/cli.js';
import { freshRedisPrefix, freshStoreUrl } from '../support/stores.js';
import { startFakeSource } from '../fixtures/fake-source.js';

describe('a token given in the environment', () => {
  const token = 'tok_live_9f8e7d6c5b4a3210';
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('never appears in any log line, including the error path where the source echoes it', async () => {
    const source = await startFakeSource({
      token,
      events: [{ id: 'e1', at: Date.UTC(2026, 0, 1, 1), actor: 'a', action: 'merge' }],
    });
    cleanups.push(() => source.stop());
    source.failWith = 401;
    const config = writeConfig(`store:
  url: ${freshStoreUrl('sqlite')}
redis:
  prefix: ${freshRedisPrefix()}
modules: [${FAKE_CONNECTOR_MODULE}]
streams:
  fake-members: { enabled: false }
connectors:
  fake:
    baseUrl: ${source.url}
logLevel: debug
`);
    const result = await runCli(
      [
        '--config',
        config,
        'backfill',
        '--from',
        '2026-01-01',
        '--to',
        '2026-01-01',
        '--inline',
        '--stream',
        'fake-changes',
      ],
      {
        env: { FAKE_SOURCE_TOKEN: token },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AUTH_INVALID/);
    expect(result.stderr).toContain('[redacted]');
    expect(result.stderr + result.stdout).not.toContain(token);
  });
});
