import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../../export/cli-arguments.js';
import { parsePeriod, refuseFuturePeriod } from '../args.js';
import type { CliCommand, GlobalOptions } from '../command.js';

const reviewArguments = z.object({
  period: z
    .string('expected a quarter such as 2026-Q3')
    .regex(
      /^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$/,
      'expected a quarter such as 2026-Q3 (or 2026, 2026-H1, 2026-04)',
    ),
  out: z.string('expected a directory').min(1, 'expected a directory'),
});

async function writeReview(options: unknown, command: Command): Promise<void> {
  const args = parseArguments(reviewArguments, options);
  const period = parsePeriod(args.period);
  refuseFuturePeriod(period, '--period');
  // A bad --out is one line before the config and the store are opened.
  const { ensureOutDir } = await import('../../export/out-dir.js');
  await ensureOutDir(args.out);
  const { openApp } = await import('../../app.js');
  const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
  try {
    const { writeAccessReview } = await import('../../people-review/write-access-review.js');
    const written = await writeAccessReview(app, { period, out: args.out });
    if (written.systems.length === 0)
      console.log(
        `no account held access in ${period.label}: is an account stream collected for the period?`,
      );
    for (const file of written.systems)
      console.log(
        `${file.system}: ${file.accounts} account(s), ${file.unlinked} unlinked, ${file.withFindings} with findings: ${file.xlsx}, ${file.csv}`,
      );
    console.log(`summary: ${written.summary.xlsx}, ${written.summary.csv}`);
    console.log(
      `when reviewed: evidence-worker artefacts add FILE --type access-review --period ${period.label}`,
    );
  } finally {
    await app.close();
  }
}

export const accessReviewCommand: CliCommand = {
  name: 'access-review',
  register(program: Command) {
    program
      .command('access-review')
      .description(
        'write the quarterly access review: one workbook per system of every account active in the period, with empty reviewer columns',
      )
      .option('--period <period>', 'the review period, e.g. 2026-Q3')
      .option('--out <dir>', 'directory for the workbooks')
      .action(writeReview);
  },
};
