import type { Command } from 'commander';
import { z } from 'zod';
import { auditPeriodArguments, resolveAuditPeriod } from '../../export/audit-period.js';
import { parseArguments } from '../../export/cli-arguments.js';
import { FROM_OPTION, PERIOD_OPTION, TO_OPTION, refuseFuturePeriod } from '../args.js';
import type { CliCommand, GlobalOptions } from '../command.js';

const sampleArguments = z.object({
  stream: z.string('expected a stream id (see "streams")').min(1, 'expected a stream id (see "streams")'),
  ...auditPeriodArguments,
  size: z.coerce
    .number('expected a whole number from 1 to 100000')
    .int('expected a whole number from 1 to 100000')
    .min(1, 'expected a whole number from 1 to 100000')
    .max(100_000, 'expected a whole number from 1 to 100000'),
  seed: z
    .string('expected a seed of letters and digits, e.g. 20260701')
    .regex(/^[A-Za-z0-9]{1,64}$/, 'expected a seed of 1-64 letters and digits'),
  out: z.string().min(1, 'expected a directory').default('.'),
});

export const sampleCommand: CliCommand = {
  name: 'sample',
  register(program: Command) {
    program
      .command('sample')
      .description(
        'draw a reproducible random sample of a population (same seed, same sample) and write it as CSV and XLSX',
      )
      .option('--stream <id>', 'stream whose population is sampled')
      .option(...PERIOD_OPTION)
      .option(...FROM_OPTION)
      .option(...TO_OPTION)
      .option('--size <n>', 'number of items to draw')
      .option('--seed <seed>', 'seed: letters and digits; write it down, it reproduces the sample')
      .option('--out <dir>', 'directory for the sample files', '.')
      .action(async (options: unknown, command: Command) => {
        const args = parseArguments(sampleArguments, options);
        const period = resolveAuditPeriod(args);
        refuseFuturePeriod(period, args.period === undefined ? '--from' : '--period');
        const [{ openApp }, { ensureOutDir }, { drawSample }, { writeSampleFiles }, { EvidenceRepository }] =
          await Promise.all([
            import('../../app.js'),
            import('../../export/out-dir.js'),
            import('../../sample/draw-sample.js'),
            import('../../sample/sample-files.js'),
            import('../../store/evidence-repository.js'),
          ]);
        await ensureOutDir(args.out);
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          const stream = app.registry.stream(args.stream);
          const sample = await drawSample(
            new EvidenceRepository(await app.store()),
            stream.id,
            period,
            args.size,
            args.seed,
            await app.findings(period),
          );
          const files = await writeSampleFiles(stream, period, args.seed, sample, args.out);
          console.log(
            `sample of ${sample.rows.length} from a population of ${sample.populationSize} (${stream.id}, ${period.label}, seed ${args.seed}): ${files.csv}, ${files.xlsx}`,
          );
          console.log('method: each item ranked by SHA-256(seed, stream, key); the lowest ranks are drawn');
        } finally {
          await app.close();
        }
      });
  },
};
