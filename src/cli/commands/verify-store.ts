import type { Command } from 'commander';
import { setExitCode, type CliCommand, type GlobalOptions } from '../command.js';

export const verifyStoreCommand: CliCommand = {
  name: 'verify-store',
  register(program: Command) {
    program
      .command('verify-store')
      .description(
        'recompute every payload hash and the hash chain; names any edited or deleted row (exit 1)',
      )
      .action(async (_options: unknown, command: Command) => {
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        const { verifyStore } = await import('../../store/verify-store.js');
        const report = await verifyStore(await app.store());
        for (const problem of report.problems) {
          const where =
            problem.id !== null
              ? `row id ${problem.id} (${problem.itemKey} v${problem.version}, seq ${problem.seq})`
              : `seq ${problem.seq}`;
          console.log(`FAIL ${problem.stream} ${where}: ${problem.problem}`);
        }
        if (report.problems.length === 0)
          console.log(`ok: ${report.rows} rows in ${report.streams} streams; every hash and link verified`);
        else setExitCode(1);
        await app.close();
      });
  },
};
