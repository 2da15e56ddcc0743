import type { Command } from 'commander';
import { z } from 'zod';
import { auditPeriodArguments, resolveAuditPeriod } from '../../export/audit-period.js';
import { parseArguments } from '../../export/cli-arguments.js';
import { FROM_OPTION, PERIOD_OPTION, TO_OPTION, refuseFuturePeriod } from '../args.js';
import type { CliCommand, GlobalOptions } from '../command.js';

const systemDescriptionArguments = z.object({
  ...auditPeriodArguments,
  out: z
    .string('expected a file ending in .docx or .md')
    .regex(/\.(docx|md)$/i, 'expected a file ending in .docx or .md'),
});

export const systemDescriptionCommand: CliCommand = {
  name: 'system-description',
  register(program: Command) {
    program
      .command('system-description')
      .description(
        'draft the system description (DC 200, Section III) from the evidence, with [to complete: …] markers',
      )
      .option(...PERIOD_OPTION)
      .option(...FROM_OPTION)
      .option(...TO_OPTION)
      .option('--out <file>', 'FILE.docx or FILE.md')
      .action(async (options: unknown, command: Command) => {
        const args = parseArguments(systemDescriptionArguments, options);
        const period = resolveAuditPeriod(args);
        refuseFuturePeriod(period, args.period === undefined ? '--from' : '--period');
        // The draft's folder, made or refused in one line before the store is read.
        const [{ dirname }, { ensureOutDir }] = await Promise.all([
          import('node:path'),
          import('../../export/out-dir.js'),
        ]);
        await ensureOutDir(dirname(args.out));
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          const { writeSystemDescription } = await import('../../export/system-description/write.js');
          const { TODO_PREFIX } = await import('../../export/system-description/model.js');
          const doc = await writeSystemDescription(app, period, args.out);
          const todos = doc.sections.flatMap((section) => section.blocks).filter((b) => b.kind === 'todo');
          console.log(
            `${args.out}: ${doc.sections.length} sections, ${doc.cited.length} package files cited, ${todos.length} places marked ${TODO_PREFIX}…]`,
          );
        } finally {
          await app.close();
        }
      });
  },
};
