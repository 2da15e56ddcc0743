import type { App } from '../app.js';
import type { Planned } from '../collection/backfill.js';
import { dueWindows, streamOrigin } from '../collection/planner.js';
import type { StreamInstance } from '../registry.js';
import type { SandboxClock } from '../sandbox/sandbox-clock.js';
import { RunLedger } from '../store/run-ledger.js';
import { StreamState } from '../store/stream-state.js';
import { DAY, alignDown, type Window } from '../time.js';

/** Runs the windows of one tick and resolves when every one of them is settled in the ledger. */
export type TickCollector = (planned: readonly Planned[]) => Promise<void>;

export interface SimulationOptions {
  /** The sandboxes' clock; the app's clock must read it, so runs, watermarks and readability follow it. */
  readonly clock: SandboxClock;
  readonly period: Window;
  readonly streams: readonly StreamInstance[];
  readonly collect: TickCollector;
  /** A planted collection outage: windows the service did not run (it was down for that stream). */
  readonly skip?: (stream: StreamInstance, window: Window) => boolean;
  /**
   * Streams the service goes on collecting for `for` past the period's end, before the package is written:
   * a ticket updated after the period's end (a change merged at its end, closed in its ticket after it)
   * is in a later window only.
   */
  readonly runOn?: { readonly streams: readonly string[]; readonly for: number };
  /** Called as the simulated clock passes each day: days passed of days in the period. */
  readonly onDay?: (done: number, total: number) => void;
}

/** What the ledger holds for one stream after the simulation: the latest run of each window. */
export interface StreamRuns {
  readonly stream: string;
  readonly windows: number;
  readonly succeeded: number;
  readonly partial: number;
  readonly failed: number;
  readonly unrecoverable: number;
  /** Items stored new by every run (a re-run of a window adds none). */
  readonly itemsNew: number;
  /** Up to three distinct `CODE: message` of failed windows. */
  readonly errors: readonly string[];
}

export interface SimulationResult {
  /** Simulated ticks the clock stepped through, and windows collected at them. */
  readonly ticks: number;
  readonly windows: number;
  /**
   * Where the clock stopped: the first tick at which every window of the period was due, or `runOn.for`
   * later for the streams that run on.
   */
  readonly endedAt: number;
  readonly streams: readonly StreamRuns[];
}

/**
 * The service as it would have run over a past period. A simulated clock steps through it at the finest
 * snapshot cadence, every sandbox answers as of that moment, and at each tick the planner's own rule
 * (`dueWindows`, from the ledger and watermarks) says what is due, which is collected before the clock
 * moves on. Snapshot streams are thus observed at every cadence while the present is still theirs; event
 * streams are collected in windows of `schedule.backfillWindow` at the first tick after a whole one is due
 * (fewer runs, the same events), in parallel with the snapshots, so each tick waits once for all its work.
 */
export async function simulateService(app: App, options: SimulationOptions): Promise<SimulationResult> {
  const { clock, period, streams } = options;
  const store = await app.store();
  const deps = { ledger: new RunLedger(store), state: new StreamState(store), config: app.config };
  const span = app.config.schedule.backfillWindow;
  const snapshots = streams.filter((stream) => stream.definition.kind === 'snapshot');
  const tick = Math.min(...(snapshots.length ? snapshots : streams).map((stream) => stream.cadenceMs));
  // Run on until the windows at the period's end are due for the stream with the longest source lag.
  const lag = Math.max(...streams.map((stream) => stream.sourceLagMs));
  const allDue = period.end + Math.ceil(lag / tick) * tick;
  const last = allDue + Math.ceil((options.runOn?.for ?? 0) / tick) * tick;
  const runsOn = new Set(options.runOn?.streams ?? []);

  clock.set(period.start);
  for (const stream of streams)
    if ((await deps.state.get(stream.id)).watermark === undefined)
      await deps.state.seedWatermark(stream.id, streamOrigin(app.config, stream, period.start), period.start);

  // The planner would find nothing new for a stream until its horizon moves: ask it only then.
  const asked = new Map<string, number>();
  const days = Math.round((period.end - period.start) / DAY);
  let ticks = 0;
  let windows = 0;
  for (let at = alignDown(period.start, tick) + tick; at <= last; at += tick) {
    clock.set(at);
    ticks += 1;
    const planned: Planned[] = [];
    for (const stream of streams) {
      if (at > allDue && !runsOn.has(stream.id)) continue;
      const horizon = planningHorizon(stream, at, span);
      if (asked.get(stream.id) === horizon) continue;
      asked.set(stream.id, horizon);
      const due = (await dueWindows(deps, stream, at)).filter(
        (window) => window.end <= horizon && !options.skip?.(stream, window),
      );
      const merged = stream.definition.kind === 'snapshot' ? due : mergeWithin(due, span);
      for (const window of merged) planned.push({ stream, window });
    }
    if (planned.length > 0) await options.collect(planned);
    windows += planned.length;
    if (at % DAY === 0) options.onDay?.(Math.min(Math.round((at - period.start) / DAY), days), days);
  }
  const runs: StreamRuns[] = [];
  for (const stream of streams) runs.push(await streamRuns(deps.ledger, stream.id, period.start, last));
  return { ticks, windows, endedAt: last, streams: runs };
}

async function streamRuns(ledger: RunLedger, stream: string, from: number, to: number): Promise<StreamRuns> {
  const all = await ledger.forStream(stream, from, to);
  const latest = new Map(all.map((run) => [`${run.window_start}-${run.window_end}`, run]));
  const count = (status: string) => [...latest.values()].filter((run) => run.status === status).length;
  const errors = [
    ...new Set(
      [...latest.values()]
        .filter((run) => run.status === 'failed')
        .map((run) => `${run.error_code}: ${run.error_message}`),
    ),
  ];
  return {
    stream,
    windows: latest.size,
    succeeded: count('succeeded'),
    partial: count('partial'),
    failed: latest.size - count('succeeded') - count('partial') - count('unrecoverable'),
    unrecoverable: count('unrecoverable'),
    itemsNew: all.reduce((sum, run) => sum + run.items_new, 0),
    errors: errors.slice(0, 3),
  };
}

/**
 * Up to where a stream is collected at `at`: its planner horizon (now minus source lag, on its cadence
 * grid); for an event stream with a cadence finer than `span`, the last whole span before that.
 */
export function planningHorizon(stream: StreamInstance, at: number, span: number): number {
  const horizon = alignDown(at - stream.sourceLagMs, stream.cadenceMs);
  if (stream.definition.kind === 'snapshot' || stream.cadenceMs >= span || span % stream.cadenceMs !== 0)
    return horizon;
  return alignDown(horizon, span);
}

/** Joins contiguous windows that lie in the same `span` of the epoch grid (a hole is never bridged). */
export function mergeWithin(windows: readonly Window[], span: number): Window[] {
  const merged: Window[] = [];
  for (const window of windows) {
    const previous = merged.at(-1);
    if (
      previous &&
      previous.end === window.start &&
      alignDown(previous.start, span) === alignDown(window.end - 1, span)
    )
      merged[merged.length - 1] = { start: previous.start, end: window.end };
    else merged.push(window);
  }
  return merged;
}
