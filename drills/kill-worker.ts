import { seededRandom } from '../src/sandbox/github/random.js';
import { runCli, startCli, tail } from './support/cli.js';
import { DrillFailure, LedgerProbe, prepareStore, type Drill, type DrillContext } from './support/context.js';
import { sqliteUrl } from './support/github-world.js';
import { sleep } from './support/ports.js';
import { jobStates } from './support/queue-state.js';
import { compareStores, snapshotStore, unsettled } from './support/store-compare.js';

const KILLS = 5;

/** Five distinct points, each "after N production-change windows settled, plus D ms", from the seed. */
export function killPoints(seed: number, changeWindows: number): { windows: number; delayMs: number }[] {
  const random = seededRandom(seed ^ 0x6b1);
  const span = Math.max(changeWindows - 1, KILLS);
  const chosen = new Set<number>();
  while (chosen.size < KILLS) chosen.add(1 + Math.floor(random() * span));
  return [...chosen]
    .sort((a, b) => a - b)
    .map((windows) => ({ windows: Math.min(windows, changeWindows - 1), delayMs: Math.floor(random() * 500) }));
}

/**
 * SIGKILL the real `backfill` process at five seeded random points and start it again each time; the
 * sixth start runs to the end. The store must equal the uninterrupted reference run's.
 */
export const killWorkerDrill: Drill = {
  name: 'kill-worker',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const points = killPoints(context.seed, reference.changeWindows);
    const printed = points.map((point) => `${point.windows}+${point.delayMs}ms`).join(', ');
    context.log(`kill-worker: seed ${context.seed}, kill points (windows settled + delay): ${printed}`);
    const storeUrl = sqliteUrl();
    await prepareStore(storeUrl);
    const prefix = `drill-kill-${context.seed}-${Date.now()}`;
    const args = context.backfillArgs(context.config({ storeUrl, prefix }));
    const probe = new LedgerProbe(storeUrl);
    const landed: { point: string; settledAtKill: number }[] = [];
    let finalOutput = '';
    try {
      for (const point of points) {
        const run = startCli(args, context.env);
        const deadline = Date.now() + 120_000;
        while (!run.exited() && (await probe.settled('github-production-changes')) < point.windows) {
          if (Date.now() > deadline) {
            run.child.kill('SIGKILL');
            throw new DrillFailure(`no progress to ${point.windows} windows within 120 s after a restart`);
          }
          await sleep(25);
        }
        await sleep(point.delayMs);
        if (run.exited()) {
          const result = await run.done;
          throw new DrillFailure(
            `the backfill ended (exit ${result.code}) before kill point ${point.windows}+${point.delayMs}ms: ${tail(result.stderr)}`,
          );
        }
        run.child.kill('SIGKILL');
        await run.done;
        landed.push({ point: `${point.windows}+${point.delayMs}ms`, settledAtKill: await probe.settled() });
      }
      const final = await runCli(args, context.env, 300_000);
      if (final.code !== 0)
        throw new DrillFailure(
          `the backfill after the last restart ${final.timedOut ? 'hung' : `exited ${final.code}`}: ${tail(final.stderr)}`,
          { landed },
        );
      finalOutput = final.stdout.trim();
    } finally {
      await probe.close();
    }
    const actual = await snapshotStore(storeUrl);
    const problems = compareStores(reference.snapshot, actual);
    if (actual.runs.running) problems.push(`${actual.runs.running} run(s) still marked running`);
    if (problems.length) {
      const open = await unsettled(storeUrl, reference.storeUrl);
      if (open.length) {
        problems.push(`not collected: ${open.map((entry) => entry.text).join(', ')}`);
        problems.push(`queue: ${(await jobStates(context.redis.url, prefix, open)).join(', ')}`);
      }
      throw new DrillFailure(problems.join('; '), { seed: context.seed, landed, store: storeUrl, finalOutput });
    }
    const abandoned = actual.runs.abandoned ?? 0;
    return {
      figure: `${KILLS} kills (seed ${context.seed}: ${printed}), ${actual.rows}/${reference.snapshot.rows} items equal, ${abandoned} abandoned attempt(s)`,
      details: { seed: context.seed, landed, items: actual.rows, abandoned, runs: actual.runs },
    };
  },
};
