import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import type { CliCommand } from '../command.js';

const argsSchema = z.object({
  seed: z.coerce.number().int().nonnegative('expected a whole number'),
  days: z.coerce.number().int().min(1).max(730, 'expected at most 730 days'),
  githubPort: z.coerce.number().int().min(0).max(65535),
  awsPort: z.coerce.number().int().min(0).max(65535),
});

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  register(program: Command) {
    program
      .command('sandbox')
      .description('serve local fakes of GitHub and AWS (a generated company) on loopback, until interrupted')
      .option('--seed <n>', 'seed of the generated company', '42')
      .option('--days <n>', 'days of history', '365')
      .option('--github-port <port>', 'port of the GitHub fake (0: any free port)', '0')
      .option('--aws-port <port>', 'port of the AWS fake (0: any free port)', '0')
      .action(async (raw: Record<string, string>) => {
        const parsed = argsSchema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new UsageError(
            `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`,
          );
        }
        const { startSandboxes } = await import('../../sandbox/sandboxes.js');
        const sandboxes = await startSandboxes({
          seed: parsed.data.seed,
          days: parsed.data.days,
          githubPort: parsed.data.githubPort,
          awsPort: parsed.data.awsPort,
        });
        console.log(`GitHub sandbox: ${sandboxes.github.url}`);
        console.log(`AWS sandbox:    ${sandboxes.aws.url} (account ${sandboxes.aws.groundTruth.accountId})`);
        console.log(`Jira sandbox:   ${sandboxes.jira.url} (projects ${sandboxes.jira.projects.join(', ')})`);
        console.log(`Linear sandbox: ${sandboxes.linear.url} (teams ${sandboxes.linear.teams.join(', ')})`);
        console.log(`Okta sandbox:   ${sandboxes.okta.url}`);
        console.log(`Google sandbox: ${sandboxes.google.url} (impersonating ${sandboxes.google.adminEmail})`);
        console.log('\nEnvironment:');
        for (const [name, value] of Object.entries(sandboxes.env))
          // The Google key is JSON: quoted for the shell.
          console.log(`  export ${name}=${/^[\w./:-]+$/.test(value) ? value : `'${value}'`}`);
        console.log('\nConfig (connectors section):');
        const { stringify } = await import('yaml');
        console.log(stringify({ connectors: sandboxes.connectors }).replace(/^/gm, '  '));
        console.log('Ctrl-C stops the sandboxes.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sandboxes.stop();
      });
  },
};
