import type { App } from '../app.js';
import { buildContinuityReport } from '../continuity/report.js';
import type { ContinuityReport, StreamContinuity } from '../continuity/types.js';
import { appPlanner, type Planner } from '../collection/planner.js';
import type { CollectProducer } from '../collection/collect-producer.js';
import type { StreamInstance } from '../registry.js';
import { readChainHeads, type ChainHead } from '../store/chain-heads.js';
import type { Run } from '../store/run-ledger.js';
import { alignDown, type Window } from '../time.js';
import { openAlerts, type OpenAlert } from './alerts.js';
import { lastRuns, watermarks } from './store-figures.js';

/** The next window the planner will enqueue for a stream, and when. */
export type NextDue =
  | { readonly state: 'unscheduled' }
  | { readonly state: 'waiting'; readonly window: Window; readonly dueAt: number }
  | { readonly state: 'overdue'; readonly window: Window; readonly dueAt: number; readonly backlog: number };

export interface CriterionSummary {
  readonly criterion: string;
  readonly title: string;
  readonly streams: readonly string[];
  /**
   * The weakest stream decides (an auditor samples from every population), over the part already due;
   * null when nothing of this criterion is due yet.
   */
  readonly minCoveragePercent: number | null;
  /** Evidence whose window or slot has not closed yet (a quarterly review mid-quarter). */
  readonly notYetDue: number;
  readonly gaps: number;
  readonly unrecoverableGaps: number;
  readonly silentPeriods: number;
}

export interface StatusData {
  readonly now: number;
  readonly period: Window;
  readonly report: ContinuityReport | undefined;
  /** Why the report could not be built (the page still shows runs and alerts). */
  readonly reportError: string | undefined;
  readonly streams: readonly StreamInstance[];
  readonly lastRuns: ReadonlyMap<string, Run>;
  readonly nextDue: ReadonlyMap<string, NextDue>;
  readonly alerts: readonly OpenAlert[];
  readonly criteria: readonly CriterionSummary[];
  readonly uncoveredCriteria: number;
  /** Each stream's chain head, published so it can be recorded outside the store. */
  readonly chainHeads: readonly ChainHead[];
}

/** Gaps an operator can still act on or must explain; windows not yet due are not holes. */
export function openGaps(stream: StreamContinuity): number {
  return stream.gaps.filter((gap) => gap.cause !== 'not_yet_due').length;
}

/**
 * Covered share of the part of the period that is already due. Computed here rather than taken from
 * `coveragePercent`, so a quarterly artefact mid-quarter reads "nothing missing yet", not 0 %.
 */
export function dueCoveragePercent(stream: StreamContinuity): number | null {
  const span = (windows: readonly { start: number; end: number }[]) =>
    windows.reduce((sum, window) => sum + window.end - window.start, 0);
  const due =
    stream.period.end - stream.period.start - span(stream.gaps.filter((gap) => gap.cause === 'not_yet_due'));
  return due <= 0 ? null : Math.min(100, (span(stream.covered) / due) * 100);
}

async function nextDueOf(
  planner: Planner,
  stream: StreamInstance,
  watermark: number | null | undefined,
  now: number,
): Promise<NextDue> {
  // Without a watermark the planner has not seen the stream; asking it would seed one from a GET.
  if (watermark === null || watermark === undefined) return { state: 'unscheduled' };
  const due = await planner.dueWindows(stream, now);
  const first = due[0];
  if (first)
    return { state: 'overdue', window: first, dueAt: first.end + stream.sourceLagMs, backlog: due.length };
  const start = alignDown(now - stream.sourceLagMs, stream.cadenceMs);
  const window = { start, end: start + stream.cadenceMs };
  return { state: 'waiting', window, dueAt: window.end + stream.sourceLagMs };
}

function minOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length ? Math.min(...known) : null;
}

export function summariseCriteria(
  app: App,
  report: ContinuityReport | undefined,
): { criteria: CriterionSummary[]; uncovered: number } {
  const byCriterion = new Map<string, StreamContinuity[]>();
  for (const stream of report?.streams ?? []) {
    for (const criterion of stream.criteria) {
      byCriterion.set(criterion, [...(byCriterion.get(criterion) ?? []), stream]);
    }
  }
  const criteria = [...byCriterion.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([criterion, streams]) => ({
      criterion,
      title: app.catalogue.criteria.get(criterion)?.short_title ?? '',
      streams: streams.map((stream) => stream.stream),
      minCoveragePercent: minOrNull(streams.map(dueCoveragePercent)),
      notYetDue: streams.reduce(
        (sum, stream) => sum + stream.gaps.filter((gap) => gap.cause === 'not_yet_due').length,
        0,
      ),
      gaps: streams.reduce((sum, stream) => sum + openGaps(stream), 0),
      unrecoverableGaps: streams.reduce(
        (sum, stream) =>
          sum + stream.gaps.filter((gap) => !gap.recoverable && gap.cause !== 'not_yet_due').length,
        0,
      ),
      silentPeriods: streams.reduce((sum, stream) => sum + stream.silent.length, 0),
    }));
  const inScope = app.catalogue.inScope(app.config.audit.categories);
  const uncovered = inScope.filter((row) => !byCriterion.has(row.criterion_id)).length;
  return { criteria, uncovered };
}

/** Everything the status page shows, read from the ledger, the watermarks and the alerts table. */
export async function loadStatus(
  app: App,
  producer: CollectProducer,
  period: Window,
  now: number,
): Promise<StatusData> {
  const store = await app.store();
  const streams = app.registry.streams;
  let report: ContinuityReport | undefined;
  let reportError: string | undefined;
  try {
    report = await buildContinuityReport(store, app.registry, period, now, {
      findings: await app.findings(period),
    });
  } catch (error) {
    reportError = (error as Error).message;
    app.logger.warn({ err: reportError }, 'status page: continuity report failed');
  }
  const planner = appPlanner(app, store, producer);
  const marks = await watermarks(store);
  const nextDue = new Map<string, NextDue>();
  for (const stream of streams)
    nextDue.set(stream.id, await nextDueOf(planner, stream, marks.get(stream.id), now));
  const { criteria, uncovered } = summariseCriteria(app, report);
  return {
    now,
    period,
    report,
    reportError,
    streams,
    lastRuns: await lastRuns(
      store,
      streams.map((stream) => stream.id),
    ),
    nextDue,
    alerts: await openAlerts(store),
    criteria,
    uncoveredCriteria: uncovered,
    chainHeads: await readChainHeads(store),
  };
}
