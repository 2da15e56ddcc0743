import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { collectList } from '../args.js';
import { setExitCode, type CliCommand, type GlobalOptions } from '../command.js';
import { displayUrl } from '../display-url.js';

interface CollectArgs {
  stream: string[];
  inline?: boolean;
  json?: boolean;
}

export const collectCommand: CliCommand = {
  name: 'collect',
  register(program: Command) {
    program
      .command('collect')
      .description(
        'collect what is due now (as the service would), then check continuity; exit 0 only when no gap or silence remains (for cron and CI)',
      )
      .option('--stream <id>', 'only this stream (repeatable)', collectList, [])
      .option('--inline', 'run the processors in this process without Redis')
      .option('--json', 'print the continuity report as JSON')
      .action(async (options: CollectArgs, command: Command) => {
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          const streams = options.stream.length
            ? options.stream.map((id) => app.registry.stream(id))
            : app.registry.streams;
          if (streams.length === 0) throw new UsageError('collect: no streams are configured');
          await app.checkCredentials(streams);
          if (!options.inline) {
            const { redisReachable } = await import('../../queue/redis.js');
            if (!(await redisReachable(app.config.redis.url)))
              throw new UsageError(
                `collect: Redis at ${displayUrl(app.config.redis.url)} does not answer; start it or pass --inline`,
              );
          } else process.stderr.write('collect: running inline, without Redis or BullMQ\n');
          const { collectDue } = await import('../../collection/collect-due.js');
          const { formatContinuity } = await import('../../continuity/format.js');
          const { collected, report } = await collectDue(app, { streams, inline: options.inline ?? false });
          for (const [stream, windows] of collected)
            process.stderr.write(`collect: ${stream}: ${windows} window(s) were due\n`);
          console.log(options.json ? JSON.stringify(report, null, 2) : formatContinuity(report));
          setExitCode(report.complete ? 0 : 1);
        } finally {
          await app.close();
        }
      });
  },
};
