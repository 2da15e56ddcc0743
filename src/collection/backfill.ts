import { appRunner, type App } from '../app.js';
import { toEvidenceError } from '../errors.js';
import { LocalLimiter } from '../limiter.js';
import { runQueued } from './backfill-queued.js';
import type { StreamInstance } from '../registry.js';
import { RunLedger } from '../store/run-ledger.js';
import type { RunTrigger } from '../store/schema.js';
import { alignDown, type Window } from '../time.js';

export interface BackfillOptions {
  readonly period: Window;
  readonly streams: readonly StreamInstance[];
  readonly force?: boolean;
  readonly inline?: boolean;
  /** Called as windows settle: done of total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface StreamSummary {
  stream: string;
  windows: number;
  skipped: number;
  succeeded: number;
  failed: number;
  unrecoverable: number;
  /** Windows read except for source files that stayed unreadable (rejected as files; repair re-reads them). */
  partial: number;
  notYetDue: number;
  items: { new: number; unchanged: number; changed: number; skipped: number };
  errors: string[];
}

export interface Planned {
  stream: StreamInstance;
  window: Window;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A past period in windows of `span` (fewer runs, jobs and requests than one per cadence), then windows of
 * the stream's cadence for the tail that a whole span would carry past the horizon.
 */
export function backfillWindows(period: Window, cadenceMs: number, span: number, horizon: number): Window[] {
  const coarse = span > cadenceMs && span % cadenceMs === 0 ? span : cadenceMs;
  const windows: Window[] = [];
  let start = alignDown(period.start, cadenceMs);
  const last = alignDown(period.end, cadenceMs);
  while (start < last) {
    const end = Math.min(alignDown(start, coarse) + coarse, last);
    const window = { start, end: end <= horizon || end - start <= cadenceMs ? end : start + cadenceMs };
    windows.push(window);
    start = window.end;
  }
  return windows;
}

/** Splits the period into each stream's windows, leaving out those already covered unless forced. */
export async function planBackfill(
  app: App,
  options: BackfillOptions,
): Promise<{ planned: Planned[]; summaries: Map<string, StreamSummary> }> {
  const ledger = new RunLedger(await app.store());
  const now = app.clock();
  const planned: Planned[] = [];
  const summaries = new Map<string, StreamSummary>();
  for (const stream of options.streams) {
    const horizon = alignDown(now - stream.sourceLagMs, stream.cadenceMs);
    const all = backfillWindows(
      options.period,
      stream.cadenceMs,
      stream.backfillSpanMs ?? app.config.schedule.backfillWindow,
      horizon,
    );
    const due = all.filter((window) => window.end <= horizon);
    const settled = options.force
      ? undefined
      : await ledger.settledWindows(stream.id, options.period.start, options.period.end, ['succeeded']);
    const todo = due.filter((window) => !settled?.covers(window));
    summaries.set(stream.id, {
      stream: stream.id,
      windows: all.length,
      skipped: due.length - todo.length,
      succeeded: 0,
      failed: 0,
      unrecoverable: 0,
      partial: 0,
      notYetDue: all.length - due.length,
      items: { new: 0, unchanged: 0, changed: 0, skipped: 0 },
      errors: [],
    });
    for (const window of todo) planned.push({ stream, window });
  }
  return { planned, summaries };
}

/**
 * Collects a past period. Through BullMQ (this process also works the queue, and so may any other worker)
 * or, with `inline`, by calling the same runner directly without Redis. Either way the ledger says what
 * happened, and the summary is read back from it.
 */
export async function runBackfill(app: App, options: BackfillOptions): Promise<StreamSummary[]> {
  const startedAt = app.clock();
  const { planned, summaries } = await planBackfill(app, options);
  const store = await app.store();
  const ledger = new RunLedger(store);
  // Runs already in the ledger are not this backfill's; the clock alone cannot tell (it may be fake or skewed).
  const earlier = new Set<string>();
  for (const summary of summaries.values()) {
    for (const run of await ledger.forStream(summary.stream, options.period.start, options.period.end))
      earlier.add(run.id);
  }
  // Inline, this process knows each run it made: another backfill on the same store (its runs appear in the
  // ledger meanwhile) is no part of this summary. Through the queue any worker may run our jobs.
  const own = options.inline ? await runInline(app, planned, options) : undefined;
  if (!own) await runQueued(app, planned, options, startedAt, earlier);

  for (const summary of summaries.values()) {
    const runs = (await ledger.forStream(summary.stream, options.period.start, options.period.end)).filter(
      (run) => (own ? own.has(run.id) : !earlier.has(run.id)),
    );
    const latest = new Map<string, (typeof runs)[number]>();
    for (const run of runs) latest.set(`${run.window_start}-${run.window_end}`, run);
    for (const run of runs) {
      summary.items.new += run.items_new;
      summary.items.unchanged += run.items_unchanged;
      summary.items.changed += run.items_changed;
      summary.items.skipped += run.items_skipped;
    }
    for (const run of latest.values()) {
      if (run.status === 'succeeded') summary.succeeded += 1;
      else if (run.status === 'unrecoverable') summary.unrecoverable += 1;
      else if (run.status === 'partial') summary.partial += 1;
      else {
        summary.failed += 1;
        const reason = `${run.error_code}: ${run.error_message}`;
        if (!summary.errors.includes(reason) && summary.errors.length < 3) summary.errors.push(reason);
      }
    }
    // A planned window without a run of this backfill: settled by an earlier run whose job was kept (count
    // it as such), or not collected at all (say so, never skip it).
    let missing = 0;
    for (const entry of planned) {
      if (entry.stream.id !== summary.stream || latest.has(`${entry.window.start}-${entry.window.end}`))
        continue;
      const { start, end } = entry.window;
      if ((await ledger.settledWindows(summary.stream, start, end, ['succeeded'])).covers(entry.window))
        summary.succeeded += 1;
      else if (
        (await ledger.settledWindows(summary.stream, start, end, ['unrecoverable'])).covers(entry.window)
      )
        summary.unrecoverable += 1;
      else missing += 1;
    }
    if (missing > 0) {
      summary.failed += missing;
      summary.errors.push(`NOT_COLLECTED: ${missing} window(s) ended without a run in the ledger`);
    }
  }
  return [...summaries.values()];
}

/** Runs planned windows in this process, retrying as BullMQ would (backoff, `retry-after`, fatal stops); returns the ids of the runs it made. */
export async function runInline(
  app: App,
  planned: readonly Planned[],
  options: Pick<BackfillOptions, 'onProgress'> & { trigger?: RunTrigger },
): Promise<Set<string>> {
  const runner = await appRunner(app, new LocalLimiter());
  const { attempts, backoffMs } = app.config.queue;
  const own = new Set<string>();
  let done = 0;
  for (const { stream, window } of planned) {
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const outcome = await runner.collect({
        stream,
        window,
        trigger: options.trigger ?? 'backfill',
        attempt,
      });
      own.add(outcome.runId);
      if (outcome.status !== 'failed' || !outcome.error) break;
      const error = toEvidenceError(outcome.error);
      if (error.retry === 'fatal' || attempt === attempts) break;
      const wait =
        'retryAfterMs' in error
          ? Number(error.retryAfterMs)
          : Math.min(backoffMs * 2 ** (attempt - 1), 60_000);
      await sleep(wait);
    }
    done += 1;
    options.onProgress?.(done, planned.length);
  }
  return own;
}
