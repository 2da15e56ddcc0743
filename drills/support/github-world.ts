import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';

const DAY = 86_400_000;

/** Temp dirs of configs and SQLite stores, removed when the drills pass (kept for a look when one fails). */
const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface WorldOptions {
  readonly seed: number;
  /** Days of the backfill period, ending yesterday (UTC). */
  readonly days: number;
  readonly repos: number;
  readonly commitsPerDay: number;
}

export interface GithubWorld {
  readonly sandbox: GithubSandbox;
  /** `--from` and `--to` of the backfill, inclusive days. */
  readonly from: string;
  readonly to: string;
  readonly token: string;
  readonly streams: readonly string[];
  stop(): Promise<void>;
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * A GitHub sandbox whose history ends today (the CLI runs on the real clock) and whose own clock is frozen,
 * so every run of a drill, reference or faulted, reads exactly the same organisation.
 */
export async function startGithubWorld(options: WorldOptions): Promise<GithubWorld> {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const sandbox = await startGithubSandbox({
    seed: options.seed,
    now: today + 60_000,
    days: options.days + 2,
    repos: options.repos,
    commitsPerDay: options.commitsPerDay,
  });
  return {
    sandbox,
    from: day(today - options.days * DAY),
    to: day(today - DAY),
    token: `ghp_drill${randomBytes(8).toString('hex')}`,
    streams: ['github-production-changes', 'github-branch-protection', 'github-org-access'],
    stop: () => sandbox.stop(),
  };
}

export interface ConfigOptions {
  readonly storeUrl: string;
  readonly redisUrl: string;
  /** Extra top-level YAML appended verbatim (alerts, schedule, more connectors). */
  readonly extra?: string;
  /** More connector sections, YAML indented by two spaces. */
  readonly connectors?: string;
  /** Production-change windows shorter than a day, so a short period still has many windows. */
  readonly cadence?: string;
  readonly concurrency?: number;
  /** The Redis key prefix; a fresh one when absent. */
  readonly prefix?: string;
}

/** A config file for the real CLI over this world, with a Redis prefix of its own. */
export function writeWorldConfig(world: GithubWorld, options: ConfigOptions): string {
  const dir = tempDir('ew-drill-');
  const file = path.join(dir, 'evidence-worker.yaml');
  writeFileSync(
    file,
    `store:
  url: ${options.storeUrl}
redis:
  url: ${options.redisUrl}
  prefix: ${options.prefix ?? `drill-${randomBytes(4).toString('hex')}`}
queue:
  attempts: 6
  backoffMs: 200
  lockDurationMs: 4000
  stalledIntervalMs: 1000
logLevel: warn
# Day backfill windows, not the stream's month: the drills interrupt a backfill of many windows.
streams:
  github-production-changes: { cadence: ${options.cadence ?? '1d'}, backfillSpan: 1d }
connectors:
  github:
    org: acme
    baseUrl: ${world.sandbox.url}
    concurrency: ${options.concurrency ?? 2}
${options.connectors ?? ''}${options.extra ?? ''}`,
  );
  return file;
}

export function sqliteUrl(): string {
  return `file:${path.join(tempDir('ew-drill-store-'), 'evidence.db')}`;
}
