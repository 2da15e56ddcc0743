import { randomBytes } from 'node:crypto';
import { runCli, startCli, tail } from './support/cli.js';
import { DrillFailure, type Drill, type DrillContext } from './support/context.js';
import { LedgerProbe, prepareStore } from './support/ledger-probe.js';
import { sleep } from './support/ports.js';
import { startPrivatePostgres } from './support/private-postgres.js';
import { compareStores, snapshotStore, unsettledWindows } from './support/store-compare.js';

/**
 * With DATABASE_URL on a private PostgreSQL cluster, the server is restarted twice during a backfill: once
 * cleanly (`fast`, connections cut) and once like a crash (`immediate`, WAL recovery). The same backfill
 * process must survive and finish, and the store must equal the reference (taken on SQLite: the two
 * dialects must agree). When the worker dies instead, the drill fails, then starts it again as a supervisor
 * would and reports whether the store healed, so the finding says whether anything was lost.
 */
export const postgresRestartDrill: Drill = {
  name: 'postgres-restart',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const postgres = await startPrivatePostgres();
    const stopPostgres = context.track(() => postgres.stop());
    const seen: Record<string, number> = {};
    try {
      const storeUrl = `${postgres.url}?schema=drill_${randomBytes(4).toString('hex')}`;
      await prepareStore(storeUrl);
      const probe = new LedgerProbe(storeUrl);
      const env = { ...context.env, DATABASE_URL: storeUrl };
      const args = context.backfillArgs(context.config({ storeUrl }));
      const run = startCli(args, env);
      const limitMs = 3 * reference.durationMs + 120_000;
      const timer = setTimeout(() => run.child.kill('SIGKILL'), limitMs);
      let died: string | undefined;
      try {
        const restarts: [string, number, 'fast' | 'immediate'][] = [
          ['fast restart', Math.max(1, Math.floor(reference.changeWindows / 3)), 'fast'],
          ['crash restart', Math.max(2, Math.floor((reference.changeWindows * 2) / 3)), 'immediate'],
        ];
        for (const [what, windows, mode] of restarts) {
          while (!run.exited() && (await probe.settled('github-production-changes')) < windows)
            await sleep(25);
          if (run.exited()) break;
          seen[what] = await probe.settled();
          await postgres.restart({ mode, downMs: 1_500 });
        }
        const result = await run.done;
        if (result.code !== 0) {
          const after = Object.keys(seen).at(-1) ?? 'start';
          died =
            result.signal === 'SIGKILL'
              ? `the backfill did not finish within ${limitMs} ms after the ${after}`
              : `the backfill died (exit ${result.code}) after the ${after}: ${tail(result.stderr)}`;
        }
      } finally {
        clearTimeout(timer);
        if (!run.exited()) run.child.kill('SIGKILL');
        await probe.close();
      }
      if (died) {
        const again = await runCli(args, env, limitMs);
        const healed =
          again.code === 0 ? compareStores(reference.snapshot, await snapshotStore(storeUrl)) : [];
        const verdict =
          again.code !== 0
            ? `started again, it failed too (exit ${again.code}): ${tail(again.stderr)}`
            : healed.length
              ? `started again, the store still differs: ${healed.join('; ')}`
              : 'started again, it completed and the store equals the reference';
        throw new DrillFailure(`${died}; ${verdict}`, {
          seen,
          unsettled: again.code === 0 ? [] : await unsettledWindows(storeUrl, reference.storeUrl),
        });
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
      await stopPostgres();
    }
  },
};
