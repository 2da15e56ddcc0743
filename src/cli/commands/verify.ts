import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../../export/cli-arguments.js';
import { setExitCode, type CliCommand } from '../command.js';

const verifyArguments = z.object({
  dir: z.string('expected the package directory').min(1, 'expected the package directory'),
  publicKey: z.string().min(1, 'expected the public key file (PEM)').optional(),
  expect: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected the SHA-256 of MANIFEST.json, 64 hex digits')
    .transform((value) => value.toLowerCase())
    .optional(),
});

export const verifyCommand: CliCommand = {
  name: 'verify',
  register(program: Command) {
    program
      .command('verify')
      .argument('[dir]', 'auditor package directory')
      .option('--public-key <file>', "the exporter's public key (PEM), handed over separately")
      .option('--expect <sha256>', 'the SHA-256 of MANIFEST.json, handed over separately')
      .description(
        'recompute the SHA-256 of every file of a package; names changed, missing and added files (exit 1); with --public-key or --expect, proves the manifest itself',
      )
      .action(async (dir: string | undefined, options: { publicKey?: string; expect?: string }) => {
        const args = parseArguments(verifyArguments, { dir, ...options }, ['dir']);
        // Loaded here, not at start-up: every other command starts without them.
        const { checkSignature, loadPublicKey } = await import('../../export/signing.js');
        const { verifyPackage } = await import('../../export/verify-package.js');
        const publicKey = args.publicKey ? await loadPublicKey(args.publicKey) : undefined;
        const result = await verifyPackage(args.dir);
        for (const problem of result.problems) console.log(`FAIL ${problem.problem}: ${problem.file}`);
        if (result.problems.length === 0) {
          console.log(
            `ok: ${result.checked} files match MANIFEST.json (sha256 ${result.manifestSha256}; period ${result.manifest.period.label}, ${result.manifest.tool.name} ${result.manifest.tool.version})`,
          );
        } else setExitCode(1);
        if (args.expect !== undefined) {
          if (args.expect === result.manifestSha256)
            console.log(`ok: MANIFEST.json has the expected sha256 ${args.expect}`);
          else {
            console.log(
              `FAIL manifest: MANIFEST.json has sha256 ${result.manifestSha256}, expected ${args.expect} (the manifest was replaced or edited)`,
            );
            setExitCode(1);
          }
        }
        if (publicKey) {
          const signature = await checkSignature(args.dir, publicKey);
          if (signature.ok)
            console.log(
              `ok: MANIFEST.json is signed by the key given (fingerprint ${signature.fingerprint})`,
            );
          else {
            console.log(`FAIL signature: ${signature.problem}`);
            setExitCode(1);
          }
        }
        if (!publicKey && args.expect === undefined)
          console.log(
            'note: checked internal consistency only; whoever can write the folder can rewrite the manifest too. Pass --public-key FILE or --expect SHA256 to prove the manifest itself',
          );
      });
  },
};
