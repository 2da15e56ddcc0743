import type { Command } from 'commander';

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
}

/** A CLI command: one file each under src/cli/commands/. `register` adds it to the program. */
export interface CliCommand {
  readonly name: string;
  register(program: Command): void;
}

/** Sets the exit code without exiting, so open handles close first. */
export function setExitCode(code: number): void {
  if (code > (process.exitCode === undefined ? 0 : Number(process.exitCode))) process.exitCode = code;
}
