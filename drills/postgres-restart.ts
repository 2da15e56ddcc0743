import { randomBytes } from 'node:crypto';
import { startCli, tail } from './support/cli.js';
import { DrillFailure, LedgerProbe, prepareStore, type Drill, type DrillContext } from './support/context.js';
import { sleep } from './support/ports.js';
import { startPrivatePostgres } from './support/private-postgres.js';
import { compareStores, snapshotStore, unsettledWindows } from './support/store-compare.js';

/**
 * With DATABASE_URL on a private PostgreSQL cluster, the server is restarted twice during a backfill: once
 * cleanly (`fast`, connections cut) and once like a crash (`immediate`, WAL recovery). The same backfill
 * process must finish and the store must equal the reference (taken on SQLite: the two dialects must agree).
 */
export const postgresRestartDrill: Drill = {
  name: 'postgres-restart',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const postgres = await startPrivatePostgres();
    const seen: Record<string, number> = {};
    try {
      const storeUrl = `${postgres.url}?schema=drill_${randomBytes(4).toString('hex')}`;
      await prepareStore(storeUrl);
      const probe = new LedgerProbe(storeUrl);
      const env = { ...context.env, DATABASE_URL: storeUrl };
      const run = startCli(context.backfillArgs(context.config({ storeUrl })), env);
      const limitMs = 3 * reference.durationMs + 120_000;
      const timer = setTimeout(() => run.child.kill('SIGKILL'), limitMs);
      try {
        const restarts: [string, number, 'fast' | 'immediate'][] = [
          ['fast restart', Math.max(1, Math.floor(reference.changeWindows / 3)), 'fast'],
          ['crash restart', Math.max(2, Math.floor((reference.changeWindows * 2) / 3)), 'immediate'],
        ];
        for (const [what, windows, mode] of restarts) {
          while ((await probe.settled('github-production-changes')) < windows) {
            if (run.exited()) throw new DrillFailure(`the backfill ended before the ${what} (at ${windows} windows)`);
            await sleep(25);
          }
          seen[what] = await probe.settled();
          await postgres.restart({ mode, downMs: 1_500 });
        }
        const result = await run.done;
        if (result.code !== 0) {
          const why = result.signal === 'SIGKILL' ? `did not finish within ${limitMs} ms` : `exited ${result.code}`;
          throw new DrillFailure(`the backfill ${why} after the PostgreSQL restarts: ${tail(result.stderr)}`, {
            seen,
            unsettled: await unsettledWindows(storeUrl, reference.storeUrl),
          });
        }
      } finally {
        clearTimeout(timer);
        if (!run.exited()) run.child.kill('SIGKILL');
        await probe.close();
      }
      const actual = await snapshotStore(storeUrl);
      const problems = compareStores(reference.snapshot, actual);
      if (actual.runs.running) problems.push(`${actual.runs.running} run(s) still marked running`);
      if (problems.length) throw new DrillFailure(problems.join('; '), { seen });
      return {
        figure: `restarts (fast, immediate) at ${seen['fast restart']} and ${seen['crash restart']} of ${reference.windows} windows; ${actual.rows}/${reference.snapshot.rows} items equal`,
        details: { seen, items: actual.rows, runs: actual.runs },
      };
    } finally {
      await postgres.stop();
    }
  },
};
