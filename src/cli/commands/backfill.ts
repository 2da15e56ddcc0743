import type { Command } from 'commander';
import type { StreamSummary } from '../../collection/backfill.js';
import type { StreamInstance } from '../../registry.js';
import { UsageError } from '../../errors.js';
import { formatWindow } from '../../time.js';
import { parsePeriodArgs, collectList, refuseFuturePeriod } from '../args.js';
import { setExitCode, type CliCommand, type GlobalOptions } from '../command.js';
import { displayUrl } from '../display-url.js';

interface BackfillArgs {
  from?: string;
  to?: string;
  stream: string[];
  force?: boolean;
  inline?: boolean;
  json?: boolean;
}

/** A bar on a terminal, a line per 10 % elsewhere (CI logs, files). */
async function progressReporter(): Promise<{
  update: (done: number, total: number) => void;
  stop: () => void;
}> {
  if (process.stderr.isTTY) {
    const { SingleBar, Presets } = await import('cli-progress');
    const bar = new SingleBar(
      { format: 'backfill [{bar}] {percentage}% | {value}/{total} windows', stream: process.stderr },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastDecile = -1;
  return {
    update(done, total) {
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        process.stderr.write(`backfill: ${decile * 10}% (${done}/${total} windows)\n`);
      }
    },
    stop: () => undefined,
  };
}

function printSummary(summaries: readonly StreamSummary[], streams: readonly StreamInstance[]): void {
  for (const summary of summaries) {
    console.log(
      `${summary.stream}: windows ${summary.windows} (done ${summary.succeeded}, already covered ${summary.skipped}, failed ${summary.failed}, unrecoverable ${summary.unrecoverable}, partial ${summary.partial}, not yet due ${summary.notYetDue}); ` +
        `items new ${summary.items.new}, unchanged ${summary.items.unchanged}, changed ${summary.items.changed}, skipped ${summary.items.skipped}`,
    );
    for (const error of summary.errors) console.log(`  error: ${error}`);
    // A snapshot's past days read as "unrecoverable": say why, and what keeps the next ones.
    const retention = streams.find((stream) => stream.id === summary.stream)?.retention;
    if (summary.unrecoverable > 0 && retention?.kind === 'snapshot')
      console.log(
        `  unrecoverable: ${retention.reason} (a snapshot observes only the present: keep "start" running, or "collect" daily, from before the audit period)`,
      );
  }
}

export const backfillCommand: CliCommand = {
  name: 'backfill',
  register(program: Command) {
    program
      .command('backfill')
      .description(
        'collect a past audit window; windows already covered by a succeeded run are skipped unless --force',
      )
      .option('--from <YYYY-MM-DD>', 'first day of the period (UTC)')
      .option('--to <YYYY-MM-DD>', 'last day of the period, inclusive (UTC)')
      .option('--stream <id>', 'only this stream (repeatable)', collectList, [])
      .option('--force', 'collect windows again even when already covered')
      .option('--inline', 'run the processors in this process without Redis')
      .option('--json', 'print the summary as JSON')
      .action(async (options: BackfillArgs, command: Command) => {
        const period = parsePeriodArgs(options.from, options.to);
        refuseFuturePeriod(period, '--from');
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          const streams = options.stream.length
            ? options.stream.map((id) => app.registry.stream(id))
            : app.registry.streams;
          if (streams.length === 0) throw new UsageError('backfill: no streams are configured');
          await app.checkCredentials(streams);
          const { redisReachable } = await import('../../queue/redis.js');
          if (!options.inline && !(await redisReachable(app.config.redis.url))) {
            throw new UsageError(
              `backfill: Redis at ${displayUrl(app.config.redis.url)} does not answer; start it or pass --inline`,
            );
          }
          if (options.inline) process.stderr.write('backfill: running inline, without Redis or BullMQ\n');
          process.stderr.write(`backfill: ${formatWindow(period)} for ${streams.length} stream(s)\n`);
          const progress = await progressReporter();
          const { runBackfill } = await import('../../collection/backfill.js');
          const summaries = await runBackfill(app, {
            period,
            streams,
            force: options.force ?? false,
            inline: options.inline ?? false,
            onProgress: progress.update,
          });
          progress.stop();
          if (options.json) console.log(JSON.stringify(summaries, null, 2));
          else printSummary(summaries, streams);
          if (summaries.some((summary) => summary.failed > 0)) setExitCode(1);
        } finally {
          await app.close();
        }
      });
  },
};
