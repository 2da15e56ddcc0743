import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../../export/cli-arguments.js';
import { setExitCode, type CliCommand } from '../command.js';

const verifyArguments = z.object({
  dir: z.string('expected the package directory').min(1, 'expected the package directory'),
});

export const verifyCommand: CliCommand = {
  name: 'verify',
  register(program: Command) {
    program
      .command('verify')
      .argument('[dir]', 'auditor package directory')
      .description(
        'recompute the SHA-256 of every file of a package; names changed, missing and added files (exit 1)',
      )
      .action(async (dir: string | undefined) => {
        const args = parseArguments(verifyArguments, { dir }, ['dir']);
        const { verifyPackage } = await import('../../export/verify-package.js');
        const result = await verifyPackage(args.dir);
        for (const problem of result.problems) console.log(`FAIL ${problem.problem}: ${problem.file}`);
        if (result.problems.length === 0) {
          console.log(
            `ok: ${result.checked} files match MANIFEST.json (sha256 ${result.manifestSha256}; period ${result.manifest.period.label}, ${result.manifest.tool.name} ${result.manifest.tool.version})`,
          );
        } else setExitCode(1);
      });
  },
};
