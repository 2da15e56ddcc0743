import type { Command } from 'commander';
import { z } from 'zod';
import { auditPeriodArguments, resolveAuditPeriod } from '../../export/audit-period.js';
import { parseArguments } from '../../export/cli-arguments.js';
import { FROM_OPTION, PERIOD_OPTION, TO_OPTION, refuseFuturePeriod } from '../args.js';
import type { CliCommand, GlobalOptions } from '../command.js';

export const exportArguments = z.object({
  ...auditPeriodArguments,
  out: z.string('expected a directory for the package').min(1, 'expected a directory for the package'),
  systemDescription: z.boolean().optional(),
});

export const exportCommand: CliCommand = {
  name: 'export',
  register(program: Command) {
    program
      .command('export')
      .description(
        'write the auditor package: index, populations, exceptions, artefacts, continuity, manifest',
      )
      .option(...PERIOD_OPTION)
      .option(...FROM_OPTION)
      .option(...TO_OPTION)
      .option('--out <dir>', 'new, empty directory for the package')
      .option('--system-description', 'add the system description draft (DC 200) to the package')
      .action(async (options: unknown, command: Command) => {
        const args = parseArguments(exportArguments, options);
        const period = resolveAuditPeriod(args);
        refuseFuturePeriod(period, args.period === undefined ? '--from' : '--period');
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          // Loaded here, not at the top: `--help` and the light commands load every command's module.
          const { writeAuditorPackage } = await import('../../export/package-writer.js');
          const { describeFlaggedItems } = await import('../../checks/finding-codes.js');
          const { exceptionsLine } = await import('../../export/package-summary.js');
          const description = args.systemDescription
            ? (await import('../../export/system-description/in-package.js')).withSystemDescription(
                app,
                period,
              )
            : {};
          const written = await writeAuditorPackage(app, { period, out: args.out, ...description });
          for (const population of written.populations)
            console.log(
              `${population.xlsx}: ${population.items} items, ${describeFlaggedItems(population.flagged)}`,
            );
          console.log(exceptionsLine(written));
          console.log(`criteria in the index: ${written.criteria}`);
          if (written.unevidencedCriteria.length)
            console.log(`criteria with no evidence: ${written.unevidencedCriteria.join(', ')}`);
          console.log(
            `package ${written.out}: ${written.manifest.files.length} files, manifest MANIFEST.json`,
          );
          console.log(`MANIFEST.json sha256 ${written.manifestSha256} (hand it to the auditor separately)`);
          if (written.signature)
            console.log(
              `signed: MANIFEST.json.sig (Ed25519, key fingerprint ${written.signature.publicKeySha256}); the auditor runs: evidence-worker verify DIR --public-key signing-key.pub.pem`,
            );
          else
            console.log(
              'unsigned: no signing.privateKey configured (see "keys generate"); verify can then prove the manifest only with --expect',
            );
        } finally {
          await app.close();
        }
      });
  },
};
