import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type EvidenceStore } from '../../src/store/open-store.js';
import { verifyStore } from '../../src/store/verify-store.js';
import { waitFor } from '../support/app.js';
import { FAKE_CONNECTOR_MODULE, runCli, spawnCli, writeConfig } from '../support/cli.js';
import { freshRedisPrefix, freshStoreUrl } from '../support/stores.js';
import { startFakeSource, type FakeEvent } from '../fixtures/fake-source.js';

const HOUR = 3_600_000;
const DAY = Date.UTC(2026, 10, 20);

describe('a worker killed with SIGKILL in the middle of a job', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(
    'is restarted and completes the backfill with no duplicate and no missing item',
    { timeout: 240_000 },
    async () => {
      const events: FakeEvent[] = [];
      for (let hour = 0; hour < 8; hour += 1) {
        for (let index = 0; index < 5; index += 1)
          events.push({
            id: `e-${hour}-${index}`,
            at: DAY + hour * HOUR + index * 60_000,
            actor: 'dev',
            action: 'merge',
          });
      }
      const source = await startFakeSource({ token: 'crash-token-123456', events });
      source.delayMs = 300;
      cleanups.push(() => source.stop());
      const storeUrl = freshStoreUrl('sqlite');
      const config = writeConfig(`store:
  url: ${storeUrl}
redis:
  prefix: ${freshRedisPrefix()}
queue:
  attempts: 5
  backoffMs: 100
  lockDurationMs: 1500
  stalledIntervalMs: 500
schedule:
  backfillWindow: 1h
modules: [${FAKE_CONNECTOR_MODULE}]
streams:
  fake-members: { enabled: false }
connectors:
  fake:
    baseUrl: ${source.url}
    concurrency: 1
`);
      const store: EvidenceStore = await openStore(storeUrl);
      cleanups.push(() => store.close());
      const args = [
        '--config',
        config,
        'backfill',
        '--from',
        '2026-11-20',
        '--to',
        '2026-11-20',
        '--stream',
        'fake-changes',
      ];
      const env = { FAKE_SOURCE_TOKEN: 'crash-token-123456' };

      const victim = spawnCli(args, { env });
      const exited = new Promise((resolve) => victim.on('exit', resolve));
      // Kill once some windows are done and another is being collected.
      await waitFor(
        async () => {
          const runs = await store.db.selectFrom('runs').select(['status']).execute();
          return (
            runs.filter((run) => run.status === 'succeeded').length >= 2 &&
            runs.some((run) => run.status === 'running')
          );
        },
        'a run in progress',
        150_000,
      );
      victim.kill('SIGKILL');
      await exited;

      const restarted = await runCli(args, { env });
      expect(restarted.code, restarted.stderr).toBe(0);

      const items = await store.db.selectFrom('evidence_items').select(['item_key', 'version']).execute();
      expect(items).toHaveLength(events.length);
      expect(new Set(items.map((item) => item.item_key)).size).toBe(events.length);
      expect(items.every((item) => item.version === 1)).toBe(true);
      const runs = await store.db.selectFrom('runs').selectAll().execute();
      const succeeded = new Set(
        runs.filter((run) => run.status === 'succeeded').map((run) => run.window_start),
      );
      expect(succeeded.size).toBe(24);
      // The attempt that was cut off is in the ledger, marked abandoned by the attempt that finished its window.
      expect(runs.filter((run) => run.status === 'abandoned').length).toBeGreaterThanOrEqual(1);
      expect(runs.some((run) => run.status === 'running')).toBe(false);
      expect((await verifyStore(store)).problems).toEqual([]);
    },
  );
});
