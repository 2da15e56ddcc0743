import type { Logger } from 'pino';
import type { App } from '../app.js';
import type { EvidenceConfig } from '../config/schema.js';
import type { CollectProducer } from './collect-producer.js';
import { nextInOrder } from './in-order.js';
import type { Registry, StreamInstance } from '../registry.js';
import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger } from '../store/run-ledger.js';
import { StreamState } from '../store/stream-state.js';
import { alignDown, gridWindows, parseDay, type Clock, type Window } from '../time.js';

export interface PlannedStream {
  readonly stream: string;
  readonly windows: readonly Window[];
}

/**
 * Decides what is due from the ledger and the watermarks alone, never from queue state: every window
 * between the stream's watermark and now minus its source lag that no succeeded run covers. Missed ticks,
 * crashed workers and a flushed Redis therefore heal on the next tick. For a stream whose windows go in
 * order the queue only says whether its one window is still in flight: one Redis lost before it ran is
 * enqueued again, one lost between failed attempts counts as given up (repair reads it again).
 */
export class Planner {
  private readonly ledger: RunLedger;
  private readonly state: StreamState;

  constructor(
    private readonly deps: {
      store: EvidenceStore;
      registry: Registry;
      producer: CollectProducer;
      config: EvidenceConfig;
      clock: Clock;
      logger: Logger;
    },
  ) {
    this.ledger = new RunLedger(deps.store);
    this.state = new StreamState(deps.store);
  }

  private origin(stream: StreamInstance, now: number): number {
    return streamOrigin(this.deps.config, stream, now);
  }

  /**
   * Gives every stream without a watermark its starting point, once (it never moves an existing one). Its
   * own step, so that asking what is due writes nothing.
   */
  async seedWatermarks(now: number): Promise<void> {
    for (const stream of this.deps.registry.streams) {
      const { watermark } = await this.state.get(stream.id);
      if (watermark === undefined) await this.state.seedWatermark(stream.id, this.origin(stream, now), now);
    }
  }

  /** Windows of one stream that are due at `now`, oldest first, at most `limit` (`maxWindowsPerTick`). Reads only. */
  dueWindows(stream: StreamInstance, now: number, limit?: number): Promise<Window[]> {
    return dueWindows(
      { ledger: this.ledger, state: this.state, config: this.deps.config },
      stream,
      now,
      limit,
    );
  }

  /**
   * What one tick enqueues for a stream: every due window, or for a stream whose windows go in order the
   * oldest unsettled one (see `nextInOrder`), which then holds the ones after it until it has settled.
   */
  private async toEnqueue(stream: StreamInstance, now: number): Promise<Window[]> {
    if (!stream.definition.windowsInOrder) return this.dueWindows(stream, now);
    // Unbounded: failed windows passed over must not fill the tick's share and stall the stream.
    const due = await this.dueWindows(stream, now, Number.POSITIVE_INFINITY);
    const next = await nextInOrder(
      { ledger: this.ledger, unfinished: (of) => this.deps.producer.unfinished(of) },
      stream,
      due,
      now,
    );
    return next.slice(0, this.deps.config.schedule.maxWindowsPerTick);
  }

  /** Enqueues what is due for one stream now; duplicate enqueues collapse on the job id. */
  private async plan(stream: StreamInstance, now: number): Promise<PlannedStream | undefined> {
    const windows = await this.toEnqueue(stream, now);
    if (windows.length === 0) return undefined;
    await this.deps.producer.enqueue(
      windows.map((window) => ({ stream, window, trigger: 'schedule' as const })),
    );
    return { stream: stream.id, windows };
  }

  /**
   * One tick: enqueue every due window of every stream (one at a time for a stream whose windows go in
   * order). Duplicate enqueues collapse on the job id.
   */
  async tick(): Promise<PlannedStream[]> {
    const now = this.deps.clock();
    await this.seedWatermarks(now);
    const planned: PlannedStream[] = [];
    for (const stream of this.deps.registry.streams) {
      const entry = await this.plan(stream, now);
      if (entry) planned.push(entry);
    }
    if (planned.length) {
      this.deps.logger.info(
        { planned: planned.map((entry) => ({ stream: entry.stream, windows: entry.windows.length })) },
        'planner enqueued due windows',
      );
    }
    return planned;
  }

  /**
   * The tick for one stream whose windows go in order, asked by the worker once a window of it settled:
   * the next due window is enqueued at once instead of at the next tick, so catching up on a year of days
   * takes a year of collections, not a year of ticks. The rule is the tick's (`nextInOrder`), so a tick
   * racing it hands out the same window under the same job id, and the add collapses.
   */
  async next(streamId: string): Promise<PlannedStream | undefined> {
    const stream = this.deps.registry.streams.find((candidate) => candidate.id === streamId);
    if (!stream?.definition.windowsInOrder) return undefined;
    // Seeded by the tick before any window ran; without a watermark there is nothing settled to follow.
    if ((await this.state.get(stream.id)).watermark === undefined) return undefined;
    const entry = await this.plan(stream, this.deps.clock());
    if (entry)
      this.deps.logger.debug({ stream: stream.id, windows: entry.windows.length }, 'next window enqueued');
    return entry;
  }
}

/** The app's planner over `store`, enqueueing through `producer`. */
export function appPlanner(app: App, store: EvidenceStore, producer: CollectProducer): Planner {
  return new Planner({
    store,
    registry: app.registry,
    producer,
    config: app.config,
    clock: app.clock,
    logger: app.logger,
  });
}

/** Where a stream with no watermark starts: `audit.start`, else `initialLookback` before now. */
export function streamOrigin(config: EvidenceConfig, stream: StreamInstance, now: number): number {
  const auditStart = config.audit.start ? parseDay(config.audit.start) : undefined;
  return alignDown(auditStart ?? now - config.schedule.initialLookback, stream.cadenceMs);
}

/**
 * The planner's rule, shared with the one-shot `collect` command: every window between the watermark and
 * now minus the source lag that no settled run covers, oldest first, at most `limit` (`maxWindowsPerTick`).
 * Reads only.
 */
export async function dueWindows(
  deps: { ledger: RunLedger; state: StreamState; config: EvidenceConfig },
  stream: StreamInstance,
  now: number,
  limit: number = deps.config.schedule.maxWindowsPerTick,
): Promise<Window[]> {
  const horizon = alignDown(now - stream.sourceLagMs, stream.cadenceMs);
  const watermark = (await deps.state.get(stream.id)).watermark ?? streamOrigin(deps.config, stream, now);
  if (watermark >= horizon) return [];
  let from = watermark;
  // A snapshot can only be taken of the present: older windows are recorded unrecoverable by the runner.
  if (stream.definition.kind === 'snapshot') from = Math.max(watermark, horizon - stream.cadenceMs);
  const settled = await deps.ledger.settledWindows(stream.id, watermark, horizon);
  const due = gridWindows(from, horizon, stream.cadenceMs).filter((window) => !settled.covers(window));
  if (stream.definition.kind === 'snapshot' && watermark < from) {
    due.unshift(
      ...gridWindows(watermark, from, stream.cadenceMs).filter((window) => !settled.covers(window)),
    );
  }
  return due.slice(0, limit);
}
