import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ColumnKind } from './export/column-kind.js';
import type { SystemDescriber } from './export/system-description/describer.js';
import type { Window } from './time.js';

export type StreamKind = 'events' | 'snapshot';

/** Cursor state a stream hands back; stored only after the window's items are durable. JSON only. */
export type Cursor = Record<string, unknown>;

/**
 * An exception recorded on an item by releases before checks existed (stores keep them as written). New
 * items carry none: findings come from the checks in `checks/`.
 */
export interface ItemException {
  readonly code: string;
  readonly description: string;
}

/** What a stream yields: one piece of evidence with a natural key that is stable across runs. */
export interface CollectedItem<TPayload = unknown> {
  /** Natural key, unique within the stream: commit SHA, CloudTrail eventID, snapshot day plus principal. */
  readonly key: string;
  /**
   * When it happened at the source (epoch ms). Must fall inside the window, unless the item is `late`.
   */
  readonly occurredAt: number;
  /** What the source said, and nothing judged: judgements are checks (`src/checks/check.ts`). */
  readonly payload: TPayload;
  /** Where the record came from (file and record index, API page): named if the runner must reject it. */
  readonly source?: string;
  /**
   * True when the item records that nothing happened at the source (an hour with zero log events). Such
   * items prove collection ran but do not count as source activity, so silence stays visible.
   */
  readonly quiet?: boolean;
  /**
   * True when the source made the item visible only after the window holding its occurredAt was read (a
   * commit made days before the pull request that brought it onto the default branch was merged): it is
   * stored under its own occurredAt from a later window's run. Accepted only from a stream that declares
   * `lateArrivals`; from any other, an item outside its window is rejected.
   */
  readonly late?: boolean;
}

/** How far back the source can still be read for a window. */
export type SourceRetention =
  | { readonly kind: 'forever'; readonly reason: string }
  | { readonly kind: 'days'; readonly days: number; readonly reason: string }
  /** A snapshot: only the current state can be read; a missed window is gone. */
  | { readonly kind: 'snapshot'; readonly reason: string };

/** A column of the population file handed to the auditor. */
export interface PopulationColumn<TPayload> {
  readonly header: string;
  /** What the column holds, so the workbook types it (a URL becomes a link); ISO timestamps are found unasked. */
  readonly kind?: ColumnKind;
  readonly value: (item: {
    key: string;
    occurredAt: number;
    payload: TPayload;
  }) => string | number | boolean | null;
}

/** Services the runner lends a stream: it still never touches the store, the queue or the clock. */
export interface StreamContext<TClient> {
  readonly client: TClient;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Waits for a token of a shared (cross-worker where Redis is present) limiter named by `key`. */
  readonly acquire: (key: string, perSecond: number) => Promise<void>;
  /**
   * Reports a record the source gave that cannot become an item (malformed, unreadable): it is kept in
   * `rejects` with its real reason and shown to the auditor, and the window goes on with the rest.
   */
  readonly reject: (rejection: SourceRejection) => Promise<void>;
}

/** A record (or a whole file) the source gave that could not become an item. */
export interface SourceRejection {
  /**
   * `record` (the default): one record is bad. `file`: a whole file stayed unreadable, so the window is
   * only partly read (marked partial). `conflicting_duplicate`: a second record with the key of one already
   * read in this source read, with different content; the first was kept, `conflictsWith` holds it.
   */
  readonly kind?: 'record' | 'file' | 'conflicting_duplicate';
  /** The real cause, in words: "record 17 has no eventID", "gzip: unexpected end of file". */
  readonly reason: string;
  /** Where it came from: a file and record index, an API page. */
  readonly source?: string;
  /** The natural key, when one could be read. */
  readonly key?: string;
  /** When the record says it happened (epoch ms), when that could be read. */
  readonly occurredAt?: number;
  /** The raw record, or a file's bytes as a Uint8Array (kept truncated; hashed whole). */
  readonly raw?: unknown;
  /** For a conflicting duplicate: the version that was kept, or only its SHA-256 (as `rawSha256` gives it). */
  readonly conflictsWith?: unknown;
  readonly conflictsWithSha256?: string;
}

/**
 * What a stream is, in the auditor's words, without its implementation: the connector's manifest
 * (`connectors/<id>/manifest.ts`) declares it, so `streams` and `catalog` list it without loading the code
 * that collects it.
 */
export interface StreamMetadata {
  /** Lower-case, dash separated, no ':' (it goes into BullMQ job ids), e.g. "github-production-changes". */
  readonly id: string;
  readonly description: string;
  readonly kind: StreamKind;
  /** One sentence an auditor reads: what the population is. */
  readonly population: string;
  /** Short name for population files, e.g. "Production_Changes". */
  readonly evidenceName: string;
  readonly criteria: readonly string[];
  readonly isoControls: readonly string[];
  /** Defaults; each may be overridden per stream in config. Durations like "1h", "1d". */
  readonly cadence: string;
  readonly silenceThreshold: string;
  readonly sourceLag: string;
  /**
   * How much of a past period one backfill window reads, where the source pages by time and charges per
   * request whatever the span (commit history): one month read at once costs a fraction of thirty day
   * reads. A multiple of the cadence. Default: `schedule.backfillWindow`. The ledger records the window's
   * run, whose coverage counts for every day inside it, as thirty day runs would.
   */
  readonly backfillSpan?: string;
}

export interface StreamDefinition<
  TClient = unknown,
  TPayload = unknown,
  TConfig = unknown,
> extends StreamMetadata {
  readonly retention: (config: TConfig) => SourceRetention;
  readonly itemSchema: z.ZodType<TPayload>;
  readonly populationColumns?: readonly PopulationColumn<TPayload>[];
  /**
   * The stream compares each window with the one observed before it (a daily diff kept in the cursor):
   * the planner, `collect` and a backfill through the queue collect its windows one after another, each
   * retry settled before the next window starts, so no day is compared with a baseline a late or failed
   * run left behind. A window whose attempts all failed is passed over; the planner leaves it to repair.
   */
  readonly windowsInOrder?: boolean;
  /**
   * Why items of this stream can appear at the source after their window was read, and how the stream
   * still finds them (yielded `late` from a later window). Without it, the runner rejects such items.
   */
  readonly lateArrivals?: string;
  /**
   * Reads the source for one window and yields its items. Returns the next cursor (or nothing).
   * Pure with respect to our system: no store, queue or clock access.
   */
  collect(
    window: Window,
    cursor: Cursor | undefined,
    ctx: StreamContext<TClient>,
  ): AsyncGenerator<CollectedItem<TPayload>, Cursor | void, undefined>;
}

/** A connector as its manifest declares it: what it is, its config and secrets, and its streams' metadata. */
export interface ConnectorManifest<TConfig = unknown> {
  /** Lower-case id; also the config section under `connectors.` and the BullMQ queue suffix. */
  readonly id: string;
  readonly description: string;
  readonly configSchema: z.ZodType<TConfig>;
  /**
   * Error codes this connector raises when the source refuses our credentials (revoked, expired, lacking
   * permission): a failing alert opens at once and repair stops hammering the source.
   */
  readonly credentialErrorCodes?: readonly string[];
  /** Environment variables that hold this connector's secrets: scrubbed from every log line and error. */
  readonly secretEnvVars?: readonly string[];
  readonly streams: readonly StreamMetadata[];
}

export interface ConnectorDefinition<
  TConfig = unknown,
  TClient = unknown,
> extends ConnectorManifest<TConfig> {
  /** Builds the API client from the validated config and the environment (secrets). */
  createClient(config: TConfig, env: NodeJS.ProcessEnv): TClient | Promise<TClient>;
  /** What the system description draft says of this connector's scope, read from its stored facts. */
  readonly systemDescription?: SystemDescriber<TConfig>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per stream
  readonly streams: readonly StreamDefinition<TClient, any, TConfig>[];
}

/** A manifest of any config type, as the stream listing holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each connector has its own config type
export type AnyManifest = ConnectorManifest<any>;

/** A connector of any config and client type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each connector has its own config and client types
export type AnyConnector = ConnectorDefinition<any, any>;

/** Helper that keeps the generics of a stream definition checked at its declaration. */
export function defineStream<TClient, TPayload, TConfig = unknown>(
  stream: StreamDefinition<TClient, TPayload, TConfig>,
): StreamDefinition<TClient, TPayload, TConfig> {
  return stream;
}

export function defineManifest<TConfig>(manifest: ConnectorManifest<TConfig>): ConnectorManifest<TConfig> {
  return manifest;
}

export function defineConnector<TConfig, TClient>(
  connector: ConnectorDefinition<TConfig, TClient>,
): ConnectorDefinition<TConfig, TClient> {
  return connector;
}
