import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves when the process has exited, however it ended. */
  readonly done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
  readonly exited: () => boolean;
}

/** The real CLI in its own process (tsx, as `npm run cli`), so SIGKILL kills a real worker. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let finished = false;
  // Keep only the tail: a drill prints it on failure, a full log would only drown the reason.
  child.stdout?.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    child.on('close', (code, signal) => {
      finished = true;
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, exited: () => finished };
}

/** Runs the CLI to its end, killing it after `timeoutMs` (a hang is a finding, not a stuck drill). */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  const run = startCli(args, env);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    run.child.kill('SIGKILL');
  }, timeoutMs);
  const result = await run.done;
  clearTimeout(timer);
  return { ...result, timedOut };
}

/** The last few things a CLI said, for a FAIL reason: JSON log lines reduced to their error or message. */
export function tail(text: string, lines = 3): string {
  const said = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('backfill: '))
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: unknown; err?: unknown };
        return String(entry.err ?? entry.msg ?? line);
      } catch {
        return line.trim();
      }
    });
  // A crash prints a stack and the error's fields after its message: show the message line.
  const crash = said.find((line) => /^(\w*Error|error)( \[\w+\])?: /.test(line));
  if (crash) return `crashed: ${crash}`.slice(0, 600);
  return [...new Set(said.slice(-lines))].join(' | ').slice(0, 600);
}

/** The CLI arguments of a backfill of `streams` over [from, to] (YYYY-MM-DD days) with this config file. */
export function streamBackfillArgs(
  config: string,
  world: { readonly from: string; readonly to: string },
  streams: readonly string[],
): string[] {
  return [
    '--config',
    config,
    'backfill',
    '--from',
    world.from,
    '--to',
    world.to,
    ...streams.flatMap((id) => ['--stream', id]),
  ];
}
