import type { Command } from 'commander';
import { collectList, parsePeriodArgs, refuseFuturePeriod } from '../args.js';
import { setExitCode, type CliCommand, type GlobalOptions } from '../command.js';

interface ContinuityArgs {
  from?: string;
  to?: string;
  stream: string[];
  json?: boolean;
}

export const continuityCommand: CliCommand = {
  name: 'continuity',
  register(program: Command) {
    program
      .command('continuity')
      .description(
        'prove collection ran without holes: coverage, gaps with cause, silent periods; exit 0 only when complete',
      )
      .option('--from <YYYY-MM-DD>', 'first day of the period (UTC)')
      .option('--to <YYYY-MM-DD>', 'last day of the period, inclusive (UTC)')
      .option('--stream <id>', 'only this stream (repeatable)', collectList, [])
      .option('--json', 'print the report as JSON')
      .action(async (options: ContinuityArgs, command: Command) => {
        const period = parsePeriodArgs(options.from, options.to);
        refuseFuturePeriod(period, '--from');
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          // Unknown ids fail here, before the store is opened: one line, exit 2.
          for (const id of options.stream) app.registry.stream(id);
          const { silence } = app.config.alerts;
          const { buildContinuityReport } = await import('../../continuity/report.js');
          const report = await buildContinuityReport(await app.store(), app.registry, period, app.clock(), {
            streams: options.stream,
            proofs: app.proofs,
            findings: await app.findings(period),
            learning: { windowMs: silence.learnFrom, factor: silence.factor, minSpanMs: silence.minHistory },
          });
          const { formatContinuity } = await import('../../continuity/format.js');
          console.log(options.json ? JSON.stringify(report, null, 2) : formatContinuity(report));
          setExitCode(report.complete ? 0 : 1);
        } finally {
          await app.close();
        }
      });
  },
};
