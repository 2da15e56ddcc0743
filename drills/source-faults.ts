import { startCli, tail } from './support/cli.js';
import { DrillFailure, LedgerProbe, prepareStore, type Drill, type DrillContext } from './support/context.js';
import { sqliteUrl } from './support/github-world.js';
import { sleep } from './support/ports.js';
import { compareStores, snapshotStore, unsettledWindows } from './support/store-compare.js';

/** The mix the issue asks for: 10 % server errors, plus secondary limits, timeouts and truncated bodies. */
export const GITHUB_FAULTS = {
  serverErrorRate: 0.1,
  secondaryRateLimitRate: 0.04,
  retryAfterSeconds: 1,
  timeoutRate: 0.03,
  timeoutMs: 1_500,
  truncateRate: 0.04,
};

/**
 * The GitHub sandbox injects its faults for the whole backfill, and for a moment in the middle exhausts the
 * primary rate limit (throttling: every request refused until the reset). The store must equal the
 * fault-free reference.
 */
export const sourceFaultsDrill: Drill = {
  name: 'source-faults',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const { faults, requests } = context.world.sandbox;
    const storeUrl = sqliteUrl();
    await prepareStore(storeUrl);
    const probe = new LedgerProbe(storeUrl);
    const before = requests.total;
    const injectedBefore = { ...faults.injected };
    faults.set(GITHUB_FAULTS);
    const run = startCli(context.backfillArgs(context.config({ storeUrl })), context.env);
    const limitMs = 4 * reference.durationMs + 180_000;
    const timer = setTimeout(() => run.child.kill('SIGKILL'), limitMs);
    try {
      const throttleAt = Math.max(1, Math.floor(reference.changeWindows * 0.4));
      while ((await probe.settled('github-production-changes')) < throttleAt && !run.exited()) await sleep(25);
      faults.set({ primaryLimitExhausted: true, primaryResetSeconds: 2 });
      await sleep(1_500);
      faults.set({ primaryLimitExhausted: false });
      const result = await run.done;
      if (result.code !== 0)
        throw new DrillFailure(
          `the backfill ${result.signal === 'SIGKILL' ? `did not finish within ${limitMs} ms` : `exited ${result.code}`} under faults: ${tail(result.stdout + result.stderr)}`,
          { unsettled: await unsettledWindows(storeUrl, reference.storeUrl), store: storeUrl },
        );
    } finally {
      clearTimeout(timer);
      faults.reset();
      if (!run.exited()) run.child.kill('SIGKILL');
      await probe.close();
    }
    const injected = Object.fromEntries(
      Object.entries(faults.injected).map(([kind, count]) => [kind, count - injectedBefore[kind as keyof typeof injectedBefore]]),
    );
    const total = requests.total - before;
    const faulted = Object.values(injected).reduce((sum, count) => sum + count, 0);
    const actual = await snapshotStore(storeUrl);
    const problems = compareStores(reference.snapshot, actual);
    if (injected.server_error === 0 || injected.secondary_rate_limit === 0)
      problems.push(`faults were not injected (${JSON.stringify(injected)}): the drill proved nothing`);
    if (problems.length) throw new DrillFailure(problems.join('; '), { injected, store: storeUrl });
    const list = Object.entries(injected)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ');
    return {
      figure: `github: ${faulted} of ${total} requests faulted (${list}); ${actual.rows}/${reference.snapshot.rows} items equal`,
      details: { github: { requests: total, injected }, items: actual.rows, runs: actual.runs },
    };
  },
};
