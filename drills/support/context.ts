import pg from 'pg';
import { openStore, type EvidenceStore } from '../../src/store/open-store.js';
import { AWS_STREAMS, startAwsWorld, type AwsWorld } from './aws-world.js';
import { runCli, tail } from './cli.js';
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
      const storeUrl = sqliteUrl();
      const started = Date.now();
      const result = await runCli(this.backfillArgs(this.config({ storeUrl })), this.env, 600_000);
      if (result.code !== 0)
        throw new DrillFailure(`the reference backfill failed (exit ${result.code}): ${tail(result.stderr)}`);
      const snapshot = await snapshotStore(storeUrl);
      const settled = (snapshot.runs.succeeded ?? 0) + (snapshot.runs.unrecoverable ?? 0);
      this.log(`reference: ${snapshot.rows} items, ${settled} windows in ${Date.now() - started} ms`);
      return {
        snapshot,
        storeUrl,
        durationMs: Date.now() - started,
        windows: settled,
        changeWindows: this.sizes.days,
      };
    })();
    return this.referenceRun;
  }

  /** The AWS sandbox and its fault-free reference backfill (all six AWS streams), started on first use. */
  awsReference(): Promise<{ world: AwsWorld; reference: Reference; args: (config: string) => string[] }> {
    this.aws ??= (async () => {
      const world = await startAwsWorld(this.seed, this.sizes.awsDays);
      const storeUrl = sqliteUrl();
      const started = Date.now();
      const config = this.config({ storeUrl, connectors: world.connectors });
      const result = await runCli(this.awsArgs(world, config), { ...this.env, ...world.env }, 600_000);
      if (result.code !== 0)
        throw new DrillFailure(
          `the AWS reference backfill failed (exit ${result.code}): ${tail(result.stderr)}`,
        );
      const snapshot = await snapshotStore(storeUrl);
      const settled = (snapshot.runs.succeeded ?? 0) + (snapshot.runs.unrecoverable ?? 0);
      this.log(`aws reference: ${snapshot.rows} items, ${settled} windows in ${Date.now() - started} ms`);
      return {
        world,
        reference: {
          snapshot,
          storeUrl,
          durationMs: Date.now() - started,
          windows: settled,
          changeWindows: 24 * this.sizes.awsDays,
        },
      };
    })();
    return this.aws.then((aws) => ({ ...aws, args: (config: string) => this.awsArgs(aws.world, config) }));
  }

  private awsArgs(world: AwsWorld, config: string): string[] {
    return [
      '--config',
      config,
      'backfill',
      '--from',
      world.from,
      '--to',
      world.to,
      ...AWS_STREAMS.flatMap((id) => ['--stream', id]),
    ];
  }

  async close(): Promise<void> {
    if (this.aws) await (await this.aws.catch(() => undefined))?.world.stop();
    await this.world.stop();
    await this.redis.stop();
  }
}

/**
 * Windows settled so far (succeeded or unrecoverable), read from the ledger of a store a CLI is writing.
 * PostgreSQL is asked through a fresh client per look, so a drill that restarts the server never holds a
 * pooled connection that dies with it.
 */
export class LedgerProbe {
  private sqlite: EvidenceStore | undefined;

  constructor(private readonly url: string) {}

  async settled(stream?: string): Promise<number> {
    const text =
      "select count(*) as n from (select distinct stream, window_start from runs where status in ('succeeded', 'unrecoverable')" +
      (stream ? ' and stream = $1' : '') +
      ') settled';
    try {
      if (this.url.startsWith('postgres')) return await this.postgresCount(text, stream ? [stream] : []);
      this.sqlite ??= await openStore(this.url);
      let query = this.sqlite.db
        .selectFrom('runs')
        .select(['stream', 'window_start'])
        .distinct()
        .where('status', 'in', ['succeeded', 'unrecoverable']);
      if (stream) query = query.where('stream', '=', stream);
      return (await query.execute()).length;
    } catch {
      // The store may be restarting or not yet created: no progress seen, ask again later.
      return -1;
    }
  }

  /** Runs in progress (SQLite stores only): the windows a kill would interrupt. */
  async running(): Promise<{ window: string; attempt: number; id: string }[]> {
    try {
      this.sqlite ??= await openStore(this.url);
      const rows = await this.sqlite.db
        .selectFrom('runs')
        .select(['id', 'stream', 'window_start', 'attempt'])
        .where('status', '=', 'running')
        .execute();
      return rows.map((row) => ({
        window: `${row.stream}@${row.window_start}`,
        attempt: row.attempt,
        id: row.id,
      }));
    } catch {
      return [];
    }
  }

  private async postgresCount(text: string, values: string[]): Promise<number> {
    const parsed = new URL(this.url);
    const schema = parsed.searchParams.get('schema');
    parsed.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: parsed.toString(), connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (schema) await client.query(`SET search_path TO ${schema}`);
      const result = await client.query<{ n: string }>(text, values);
      return Number(result.rows[0]?.n ?? 0);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.sqlite?.close();
  }
}

/** Creates and migrates a store before any CLI opens it, so a probe and a CLI never race on migrations. */
export async function prepareStore(url: string): Promise<void> {
  const store = await openStore(url);
  await store.close();
}
