import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import type { CliCommand } from '../command.js';

const daysSchema = z.coerce
  .number('expected a whole number of days')
  .int('expected a whole number of days')
  .min(7, 'expected at least 7 days')
  .max(365, 'expected at most 365 days');

export const demoCommand: CliCommand = {
  name: 'demo',
  register(program: Command) {
    program
      .command('demo')
      .description(
        'the whole product on local sandboxes, run as the service would have over the period: collection, continuity check, auditor package',
      )
      .option('--out <dir>', 'where the auditor package goes', './demo-output')
      .option('--days <n>', 'length of the audit period in days', '90')
      .option('--inline', 'collect without Redis and BullMQ')
      .action(async (options: { out: string; days: string; inline?: boolean }) => {
        const days = daysSchema.safeParse(options.days);
        if (!days.success)
          throw new UsageError(`--days: ${days.error.issues[0]?.message}, got "${options.days}"`);
        const { parseConfig } = await import('../../config/load.js');
        const redisUrl = parseConfig({}).redis.url;
        const { createLogger } = await import('../../log.js');
        const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error' });
        const started = Date.now();
        const { describeDemo, runDemo } = await import('../../demo/run-demo.js');
        const result = await runDemo({
          out: options.out,
          days: days.data,
          inline: options.inline ?? false,
          redisUrl,
          logger,
        });
        for (const line of describeDemo(result)) console.log(line);
        console.log(
          `\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s (${result.mode === 'queue' ? 'through BullMQ' : 'inline, without Redis'}).`,
        );
      });
  },
};
