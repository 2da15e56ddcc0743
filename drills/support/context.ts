import { AWS_STREAMS, startAwsWorld, type AwsWorld } from './aws-world.js';
import { runCli, streamBackfillArgs, tail } from './cli.js';
import {
  startGithubWorld,
  sqliteUrl,
  writeWorldConfig,
  type ConfigOptions,
  type GithubWorld,
} from './github-world.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { snapshotStore, type StoreSnapshot } from './store-compare.js';

/** A drill failed: the reason goes on its FAIL line, the details into its JSON line. */
export class DrillFailure extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DrillFailure';
  }
}

export interface DrillOutcome {
  readonly figure: string;
  readonly details: Record<string, unknown>;
}

export interface Drill {
  readonly name: string;
  run(context: DrillContext): Promise<DrillOutcome>;
}

export interface Sizes {
  /** Days of the backfill period (one production-change window per day). */
  readonly days: number;
  readonly repos: number;
  readonly commitsPerDay: number;
  /** Days of the AWS backfill (hourly CloudTrail windows behind a 2 requests/s limit: kept short). */
  readonly awsDays: number;
}

export const SHORT: Sizes = { days: 5, repos: 1, commitsPerDay: 6, awsDays: 1 };
export const FULL: Sizes = { days: 24, repos: 2, commitsPerDay: 6, awsDays: 2 };

export interface Reference {
  readonly snapshot: StoreSnapshot;
  readonly storeUrl: string;
  readonly durationMs: number;
  /** Windows of the whole backfill and of the production-change stream alone. */
  readonly windows: number;
  readonly changeWindows: number;
}

/** What every drill shares: one sandbox world, one private Redis, and the uninterrupted reference run. */
export class DrillContext {
  private referenceRun: Promise<Reference> | undefined;
  private aws: Promise<{ world: AwsWorld; reference: Reference }> | undefined;
  /** Stops of resources a drill started (a private PostgreSQL), run again by close() after an interrupt. */
  private readonly resources = new Set<() => Promise<void>>();

  private constructor(
    readonly short: boolean,
    readonly seed: number,
    readonly sizes: Sizes,
    readonly world: GithubWorld,
    readonly redis: PrivateRedis,
    readonly log: (line: string) => void,
  ) {}

  static async open(options: {
    short: boolean;
    seed: number;
    log?: (line: string) => void;
  }): Promise<DrillContext> {
    const sizes = options.short ? SHORT : FULL;
    const redis = await startPrivateRedis();
    try {
      const world = await startGithubWorld({ seed: options.seed, ...sizes });
      return new DrillContext(
        options.short,
        options.seed,
        sizes,
        world,
        redis,
        options.log ?? (() => undefined),
      );
    } catch (error) {
      await redis.stop();
      throw error;
    }
  }

  get env(): NodeJS.ProcessEnv {
    return { GITHUB_TOKEN: this.world.token };
  }

  config(options: Omit<ConfigOptions, 'redisUrl'> & { redisUrl?: string }): string {
    return writeWorldConfig(this.world, { redisUrl: this.redis.url, ...options });
  }

  backfillArgs(config: string): string[] {
    return ['--config', config, 'backfill', '--from', this.world.from, '--to', this.world.to];
  }

  /** The uninterrupted, fault-free backfill every drill is compared with; run once, on SQLite. */
  reference(): Promise<Reference> {
    this.referenceRun ??= (async () => {
      this.world.sandbox.faults.reset();
      const reference = await referenceBackfill(
        undefined,
        (storeUrl) => this.backfillArgs(this.config({ storeUrl })),
        this.env,
        this.sizes.days,
        600_000,
      );
      this.log(
        `reference: ${reference.snapshot.rows} items, ${reference.windows} windows in ${reference.durationMs} ms`,
      );
      return reference;
    })();
    return this.referenceRun;
  }

  /** The AWS sandbox and its fault-free reference backfill (all six AWS streams), started on first use. */
  awsReference(): Promise<{ world: AwsWorld; reference: Reference; args: (config: string) => string[] }> {
    this.aws ??= (async () => {
      const world = await startAwsWorld(this.seed, this.sizes.awsDays);
      const reference = await referenceBackfill(
        'AWS',
        (storeUrl) => this.awsArgs(world, this.config({ storeUrl, connectors: world.connectors })),
        { ...this.env, ...world.env },
        24 * this.sizes.awsDays,
        600_000,
      );
      this.log(
        `aws reference: ${reference.snapshot.rows} items, ${reference.windows} windows in ${reference.durationMs} ms`,
      );
      return { world, reference };
    })();
    return this.aws.then((aws) => ({ ...aws, args: (config: string) => this.awsArgs(aws.world, config) }));
  }

  private awsArgs(world: AwsWorld, config: string): string[] {
    return streamBackfillArgs(config, world, AWS_STREAMS);
  }

  /** Registers a stop to run on close(); returns a stop that runs once and unregisters itself. */
  track(stop: () => Promise<void>): () => Promise<void> {
    const once = async () => {
      if (!this.resources.delete(once)) return;
      await stop();
    };
    this.resources.add(once);
    return once;
  }

  async close(): Promise<void> {
    for (const stop of [...this.resources]) await stop().catch(() => undefined);
    if (this.aws) await (await this.aws.catch(() => undefined))?.world.stop();
    await this.world.stop();
    await this.redis.stop();
  }
}

/**
 * The fault-free backfill a drill compares against: into a fresh SQLite store, which it snapshots. `what`
 * names it in the failure (`the AWS reference backfill failed`); the GitHub one has no name.
 */
export async function referenceBackfill(
  what: string | undefined,
  args: (storeUrl: string) => string[],
  env: NodeJS.ProcessEnv,
  changeWindows: number,
  timeoutMs: number,
): Promise<Reference> {
  const storeUrl = sqliteUrl();
  const started = Date.now();
  const result = await runCli(args(storeUrl), env, timeoutMs);
  if (result.code !== 0)
    throw new DrillFailure(
      `the ${what ? `${what} ` : ''}reference backfill failed (exit ${result.code}): ${tail(result.stderr)}`,
    );
  const snapshot = await snapshotStore(storeUrl);
  return {
    snapshot,
    storeUrl,
    durationMs: Date.now() - started,
    windows: (snapshot.runs.succeeded ?? 0) + (snapshot.runs.unrecoverable ?? 0),
    changeWindows,
  };
}
