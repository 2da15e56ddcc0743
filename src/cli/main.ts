#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { commands } from './commands/index.js';

// A store or Redis that does not answer is the machine's state, not a bug: one line, no stack.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Prints a user mistake as one line and exits 2; anything else is a bug and keeps its stack. */
function fail(error: unknown): never {
  if (error instanceof UsageError) {
    // One line even where a message quotes a parser's multi-line text.
    process.stderr.write(`evidence-worker: ${error.message.trim().replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(2);
  }
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof Error && code !== undefined && UNREACHABLE.has(code)) {
    process.stderr.write(
      `evidence-worker: cannot connect (${error.message}): is the store (store.url, DATABASE_URL) or Redis (redis.url, REDIS_URL) running at that address?\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    `evidence-worker: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}

/** Commander's error text as one line: its hints ("Did you mean ...?") join the message. */
function writeError(text: string): void {
  process.stderr.write(
    `evidence-worker: ${text
      .replace(/^error: /, '')
      .trim()
      .replace(/\s*\n\s*/g, ' ')}\n`,
  );
}

/** "missing required argument 'id'" names the command and says what the argument is. */
function explainMissingArgument(command: Command, text: string): string {
  const name = /missing required argument '([^']+)'/.exec(text)?.[1];
  const argument = command.registeredArguments.find((candidate) => candidate.name() === name);
  if (!name || !argument?.description) return text;
  return `${command.name()}: missing ${name}: expected ${argument.description}`;
}

function subcommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...subcommands(sub)]);
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('evidence-worker')
    .description('Collects SOC 2 evidence continuously and proves that it did.')
    .option(
      '-c, --config <file>',
      'YAML config file (default ./evidence-worker.yaml, else embedded defaults)',
    )
    .exitOverride()
    .configureOutput({ writeErr: writeError });
  for (const command of commands) command.register(program);
  for (const sub of subcommands(program)) {
    sub.exitOverride();
    sub.configureOutput({ writeErr: (text) => writeError(explainMissingArgument(sub, text)) });
  }
  await program.parseAsync([...argv], { from: 'user' });
}

// Output piped into `head` closes early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).catch(fail);
