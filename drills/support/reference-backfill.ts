import { runCli, tail } from './cli.js';
import { DrillFailure, type Reference } from './context.js';
import { sqliteUrl } from './github-world.js';
import { snapshotStore } from './store-compare.js';

/** The fault-free backfill a drill compares against: into a fresh SQLite store, which it snapshots. */
export async function referenceBackfill(
  what: string,
  args: (storeUrl: string) => string[],
  env: NodeJS.ProcessEnv,
  changeWindows: number,
  timeoutMs: number,
): Promise<Reference> {
  const storeUrl = sqliteUrl();
  const started = Date.now();
  const result = await runCli(args(storeUrl), env, timeoutMs);
  if (result.code !== 0)
    throw new DrillFailure(
      `the ${what} reference backfill failed (exit ${result.code}): ${tail(result.stderr)}`,
    );
  const snapshot = await snapshotStore(storeUrl);
  return {
    snapshot,
    storeUrl,
    durationMs: Date.now() - started,
    windows: (snapshot.runs.succeeded ?? 0) + (snapshot.runs.unrecoverable ?? 0),
    changeWindows,
  };
}
