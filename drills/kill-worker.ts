import { seededRandom } from '../src/sandbox/github/random.js';
import { runCli, startCli, tail, type CliRun } from './support/cli.js';
import { DrillFailure, type Drill, type DrillContext } from './support/context.js';
import { LedgerProbe, prepareStore } from './support/ledger-probe.js';
import { sqliteUrl } from './support/github-world.js';
import { sleep } from './support/ports.js';
import { jobStates } from './support/queue-state.js';
import { compareStores, snapshotStore, unsettled } from './support/store-compare.js';

const KILLS = 5;

export interface KillPoint {
  /** `progress`: once N production-change windows settled; `again`: once the window cut off by the previous kill runs again (a crash loop on one window). */
  readonly kind: 'progress' | 'again';
  readonly windows: number;
  readonly delayMs: number;
}

/** Five points from the seed: four by progress, one (kill 2 to 5) re-killing the window the previous kill cut off. */
export function killPoints(seed: number, changeWindows: number): KillPoint[] {
  const random = seededRandom(seed ^ 0x6b1);
  const span = Math.max(changeWindows - 1, 1);
  const windows = Array.from({ length: KILLS }, () => 1 + Math.floor(random() * span)).sort((a, b) => a - b);
  const again = 1 + Math.floor(random() * (KILLS - 1));
  return windows.map((count, index) => ({
    kind: index === again ? 'again' : 'progress',
    windows: count,
    delayMs: Math.floor(random() * 300),
  }));
}

const label = (point: KillPoint) =>
  point.kind === 'again' ? `again+${point.delayMs}ms` : `${point.windows}+${point.delayMs}ms`;

/**
 * Waits for a kill point, always inside work this process started (a run it opened is in progress), never
 * while it boots; false when the backfill ended first.
 */
async function reach(
  run: CliRun,
  probe: LedgerProbe,
  point: KillPoint,
  cutOff: readonly string[],
): Promise<boolean> {
  const before = new Set((await probe.running()).map((entry) => entry.id));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (run.exited()) return false;
    const fresh = (await probe.running()).filter((entry) => !before.has(entry.id));
    if (
      point.kind === 'progress' &&
      fresh.length &&
      (await probe.settled('github-production-changes')) >= point.windows
    )
      break;
    if (point.kind === 'again' && fresh.some((entry) => cutOff.includes(entry.window))) break;
    if (Date.now() > deadline)
      throw new DrillFailure(`kill point ${label(point)} not reached within 120 s of a restart`);
    await sleep(20);
  }
  await sleep(point.delayMs);
  return !run.exited();
}

/**
 * SIGKILL the real `backfill` process at five seeded points and start it again each time; the sixth start
 * runs to the end. The store must equal the uninterrupted reference run's, and the last start must say so.
 */
export const killWorkerDrill: Drill = {
  name: 'kill-worker',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const points = killPoints(context.seed, reference.changeWindows);
    const printed = points.map(label).join(', ');
    context.log(
      `kill-worker: seed ${context.seed}, kill points (windows settled or again, + delay): ${printed}`,
    );
    const storeUrl = sqliteUrl();
    await prepareStore(storeUrl);
    const prefix = `drill-kill-${context.seed}-${Date.now()}`;
    const args = context.backfillArgs(context.config({ storeUrl, prefix }));
    const probe = new LedgerProbe(storeUrl);
    const landed: { point: string; settled: number; cutOff: string[] }[] = [];
    let finalOutput = '';
    try {
      let cutOff: string[] = [];
      for (const point of points) {
        const run = startCli(args, context.env);
        // Without a window cut off by the previous kill there is nothing to re-kill: fall back to progress.
        const effective: KillPoint =
          point.kind === 'again' && cutOff.length === 0 ? { ...point, kind: 'progress' } : point;
        if (!(await reach(run, probe, effective, cutOff))) {
          const result = await run.done;
          if (result.code !== 0)
            throw new DrillFailure(
              `the backfill exited ${result.code} before kill point ${label(effective)}: ${tail(result.stderr)}`,
              { landed },
            );
          // It finished first: exit 0 claims every window is collected, so the ledger must agree.
          const open = await unsettled(storeUrl, reference.storeUrl);
          if (open.length)
            throw new DrillFailure(
              `a restarted backfill exited 0 but left windows uncollected: ${open.map((entry) => entry.text).join(', ')}; ` +
                `queue: ${(await jobStates(context.redis.url, prefix, open)).join(', ')}`,
              { seed: context.seed, landed, store: storeUrl },
            );
          landed.push({
            point: `${label(effective)} (missed: finished first)`,
            settled: await probe.settled(),
            cutOff: [],
          });
          break;
        }
        cutOff = (await probe.running()).map((entry) => entry.window);
        run.child.kill('SIGKILL');
        await run.done;
        landed.push({ point: label(effective), settled: await probe.settled(), cutOff });
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
        problems.push(
          `not collected, yet the last backfill exited 0: ${open.map((entry) => entry.text).join(', ')}`,
        );
        problems.push(`queue: ${(await jobStates(context.redis.url, prefix, open)).join(', ')}`);
      }
      throw new DrillFailure(problems.join('; '), {
        seed: context.seed,
        landed,
        store: storeUrl,
        finalOutput,
      });
    }
    const abandoned = actual.runs.abandoned ?? 0;
    const missed = landed.filter((entry) => entry.point.includes('missed')).length;
    if (missed > 1)
      throw new DrillFailure(
        `${missed} of ${KILLS} kill points missed: the period is too short to prove anything`,
        { landed },
      );
    return {
      figure: `${KILLS} kills (seed ${context.seed}: ${landed.map((entry) => entry.point).join(', ')}), ${actual.rows}/${reference.snapshot.rows} items equal, ${abandoned} abandoned attempt(s)`,
      details: { seed: context.seed, landed, items: actual.rows, abandoned, runs: actual.runs },
    };
  },
};
