import type { App } from '../app.js';
import { buildContinuityReport } from '../continuity/report.js';
import type { ContinuityReport } from '../continuity/types.js';
import type { StreamInstance } from '../registry.js';
import { RunLedger } from '../store/run-ledger.js';
import { StreamState } from '../store/stream-state.js';
import { DAY, alignDown, parseDay, type Window } from '../time.js';
import { runInline, type Planned } from './backfill.js';
import { dueWindows, streamOrigin } from './planner.js';

export interface CollectDueOptions {
  readonly streams: readonly StreamInstance[];
  readonly inline: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CollectDueResult {
  /** Windows that were due and collected (or attempted), per stream. */
  readonly collected: ReadonlyMap<string, number>;
  /** Continuity from audit.start (or the initial lookback) to now, of the streams collected. */
  readonly report: ContinuityReport;
}

/**
 * One pass of the service without the service, for cron and CI schedules: plan what is due exactly as the
 * planner does (from the ledger and watermarks, snapshots included), collect it inline or through BullMQ,
 * then judge continuity from the ledger. The ledger, never the queue, says what remains open. A stream
 * whose windows go in order has them collected one after another, each settled before the next (inline in
 * turn, through the queue in rounds); unlike the planner, a pass also reads again, oldest first, the
 * windows an earlier pass failed, since no repair follows it.
 */
export async function collectDue(app: App, options: CollectDueOptions): Promise<CollectDueResult> {
  const store = await app.store();
  const deps = { ledger: new RunLedger(store), state: new StreamState(store), config: app.config };
  const now = app.clock();
  const planned: Planned[] = [];
  const collected = new Map<string, number>();
  for (const stream of options.streams) {
    // Seeded as the planner seeds it, so the next pass (or the service) starts where this one did.
    if ((await deps.state.get(stream.id)).watermark === undefined)
      await deps.state.seedWatermark(stream.id, streamOrigin(app.config, stream, now), now);
    const windows = await dueWindows(deps, stream, now);
    collected.set(stream.id, windows.length);
    for (const window of windows) planned.push({ stream, window });
  }
  if (options.inline) {
    await runInline(app, planned, { trigger: 'schedule', ...pick(options) });
  } else if (planned.length > 0) {
    // The queued path is the backfill's: this process works the queue and waits for the ledger to settle.
    const { runQueued } = await import('./backfill-queued.js');
    const period = spanOf(planned);
    await runQueued(app, planned, { period, streams: options.streams, ...pick(options) }, now, new Set());
  }
  const auditStart = app.config.audit.start ? parseDay(app.config.audit.start) : undefined;
  const start = auditStart ?? alignDown(now - app.config.schedule.initialLookback, DAY);
  const period: Window = { start, end: Math.max(start + 1, app.clock()) };
  const { silence } = app.config.alerts;
  const report = await buildContinuityReport(store, app.registry, period, app.clock(), {
    streams: options.streams.map((stream) => stream.id),
    learning: { windowMs: silence.learnFrom, factor: silence.factor, minSpanMs: silence.minHistory },
  });
  return { collected, report };
}

function pick(options: CollectDueOptions): { onProgress?: (done: number, total: number) => void } {
  return options.onProgress ? { onProgress: options.onProgress } : {};
}

function spanOf(planned: readonly Planned[]): Window {
  return {
    start: Math.min(...planned.map((entry) => entry.window.start)),
    end: Math.max(...planned.map((entry) => entry.window.end)),
  };
}
