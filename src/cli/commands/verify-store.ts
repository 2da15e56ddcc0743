import type { Command } from 'commander';
import { formatWindow } from '../../time.js';
import { setExitCode, type CliCommand, type GlobalOptions } from '../command.js';

export const verifyStoreCommand: CliCommand = {
  name: 'verify-store',
  register(program: Command) {
    program
      .command('verify-store')
      .option('--since <manifest>', "a package's MANIFEST.json: prove the chain still extends its heads")
      .description(
        "recompute every payload hash and the hash chain, and check each run's items against the ledger; names any edited or deleted row (exit 1)",
      )
      .action(async (options: { since?: string }, command: Command) => {
        const [{ openApp }, { readAnchoredHeads }, { verifyStore }] = await Promise.all([
          import('../../app.js'),
          import('../../export/manifest.js'),
          import('../../store/verify-store.js'),
        ]);
        // The anchor is read first: a wrong --since is one line before the store is opened.
        const since = options.since !== undefined ? await readAnchoredHeads(options.since) : undefined;
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          const report = await verifyStore(await app.store(), undefined, since ? { since } : {});
          for (const problem of report.problems) {
            const where =
              problem.runId !== undefined
                ? `run ${problem.runId} ${problem.window ? formatWindow(problem.window) : ''}`.trimEnd()
                : problem.id !== null
                  ? `row id ${problem.id} (${problem.itemKey} v${problem.version}, seq ${problem.seq})`
                  : `seq ${problem.seq}`;
            console.log(`FAIL ${problem.stream} ${where}: ${problem.problem}`);
          }
          if (report.problems.length === 0) {
            const anchored = since
              ? `; the chain extends all ${report.anchorsChecked} heads anchored in ${options.since}`
              : '';
            console.log(
              `ok: ${report.rows} rows in ${report.streams} streams; every hash and link verified, every succeeded run's items present${anchored}`,
            );
          } else setExitCode(1);
        } finally {
          await app.close();
        }
      });
  },
};
