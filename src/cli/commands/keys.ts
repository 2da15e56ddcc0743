import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../../export/cli-arguments.js';
import type { CliCommand } from '../command.js';

const generateArguments = z.object({
  out: z.string('expected a directory for the key pair').min(1, 'expected a directory for the key pair'),
});

export const keysCommand: CliCommand = {
  name: 'keys',
  register(program: Command) {
    const keys = program.command('keys').description('the Ed25519 key pair that signs auditor packages');
    keys
      .command('generate')
      .description('write a new key pair: signing-key.pem (private, mode 0600) and signing-key.pub.pem')
      .option('--out <dir>', 'directory for the two files (never overwritten)')
      .action(async (options: unknown) => {
        const args = parseArguments(generateArguments, options);
        // Loaded here, not at start-up: the signing code and node:crypto cost every other command.
        const { generateSigningKeys } = await import('../../export/signing.js');
        const written = await generateSigningKeys(args.out);
        console.log(`private key ${written.privateKeyFile} (set signing.privateKey to it; keep it secret)`);
        console.log(`public key ${written.publicKeyFile} (hand it to the auditor)`);
        console.log(`fingerprint sha256 ${written.fingerprint}`);
      });
  },
};
