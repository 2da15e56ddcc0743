import { startCli, tail } from './support/cli.js';
import { DrillFailure, type Drill, type DrillContext } from './support/context.js';
import { LedgerProbe, prepareStore } from './support/ledger-probe.js';
import { sqliteUrl } from './support/github-world.js';
import { sleep } from './support/ports.js';
import { compareStores, snapshotStore, unsettledWindows } from './support/store-compare.js';

/**
 * FLUSHALL the (private) Redis a third of the way through a backfill, then restart it without persistence
 * two thirds of the way: the same `backfill` process must finish from the ledger, with nothing lost.
 */
export const redisLossDrill: Drill = {
  name: 'redis-loss',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const flushAt = Math.max(1, Math.floor(reference.changeWindows / 3));
    const restartAt = Math.max(flushAt + 1, Math.floor((reference.changeWindows * 2) / 3));
    const storeUrl = sqliteUrl();
    await prepareStore(storeUrl);
    const probe = new LedgerProbe(storeUrl);
    const run = startCli(context.backfillArgs(context.config({ storeUrl })), context.env);
    const seen: Record<string, number> = {};
    // A hang after the Redis loss is the failure this drill exists to catch: bound it.
    const limitMs = 3 * reference.durationMs + 120_000;
    const timer = setTimeout(() => run.child.kill('SIGKILL'), limitMs);
    try {
      const reach = async (windows: number, what: string) => {
        while ((await probe.settled('github-production-changes')) < windows) {
          if (run.exited()) {
            const ended = await run.done;
            throw new DrillFailure(
              `the backfill ended (exit ${ended.code}) before the ${what} (at ${windows} windows): ${tail(ended.stderr)}`,
            );
          }
          await sleep(25);
        }
        seen[what] = await probe.settled();
      };
      await reach(flushAt, 'flush');
      await context.redis.flushAll();
      await reach(restartAt, 'restart');
      await context.redis.restart(1_000);
      const result = await run.done;
      if (result.code !== 0) {
        const why =
          result.signal === 'SIGKILL' ? `did not finish within ${limitMs} ms` : `exited ${result.code}`;
        throw new DrillFailure(`the backfill ${why} after the Redis loss: ${tail(result.stderr)}`, {
          unsettled: await unsettledWindows(storeUrl, reference.storeUrl),
          store: storeUrl,
        });
      }
    } finally {
      clearTimeout(timer);
      if (!run.exited()) run.child.kill('SIGKILL');
      await probe.close();
    }
    const actual = await snapshotStore(storeUrl);
    const problems = compareStores(reference.snapshot, actual);
    if (problems.length) throw new DrillFailure(problems.join('; '), { seen, store: storeUrl });
    return {
      figure: `FLUSHALL at ${seen.flush} and restart at ${seen.restart} of ${reference.windows} windows; ${actual.rows}/${reference.snapshot.rows} items equal`,
      details: { seen, items: actual.rows, runs: actual.runs },
    };
  },
};
