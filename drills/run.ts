import { drills } from './index.js';
import { DrillContext } from './support/context.js';
import { removeTempDirs } from './support/github-world.js';
import { runDrill, type DrillResult } from './support/run-drill.js';

/**
 * `npm run drills [-- --short] [-- --seed N] [-- --only a,b]`: fault drills against real Redis, the store
 * and the sandboxes. One PASS/FAIL line and one JSON line per drill; exit code 1 when any fails.
 */
function options(argv: readonly string[]) {
  const value = (name: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const short = argv.includes('--short') || ['1', 'true'].includes(process.env.DRILLS_SHORT ?? '');
  const seedText = value('--seed') ?? process.env.DRILLS_SEED;
  const seed = seedText === undefined ? Math.floor(Math.random() * 1_000_000) : Number(seedText);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got "${seedText}"`);
  const only = value('--only')?.split(',');
  const unknown = only?.filter((name) => !drills.some((drill) => drill.name === name)) ?? [];
  if (unknown.length)
    throw new Error(
      `--only: unknown drill(s) ${unknown.join(', ')}; known: ${drills.map((d) => d.name).join(', ')}`,
    );
  return { short, seed, selected: only ? drills.filter((drill) => only.includes(drill.name)) : drills };
}

async function main(): Promise<number> {
  const { short, seed, selected } = options(process.argv.slice(2));
  const started = Date.now();
  console.log(`drills: ${short ? 'short' : 'full'} form, seed ${seed} (repeat with --seed ${seed})`);
  const context = await DrillContext.open({ short, seed, log: (line) => console.log(`  ${line}`) });
  // An interrupted run must not leave its private Redis or PostgreSQL behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void context.close().finally(() => process.exit(130)));
  const results: DrillResult[] = [];
  try {
    for (const drill of selected) results.push(await runDrill(drill, context));
  } finally {
    await context.close();
  }
  const failed = results.filter((result) => result.status === 'fail');
  if (failed.length === 0) removeTempDirs();
  else
    console.log('drills: stores and configs of this run are kept under the temp dir (ew-drill-*) for a look');
  console.log(
    `drills: ${results.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - started) / 1_000).toFixed(1)} s`,
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`drills: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
