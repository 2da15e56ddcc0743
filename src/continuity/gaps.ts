import type { SourceRetention } from '../stream.js';
import { alignDown, formatDuration, type Window } from '../time.js';
import type { Gap } from './types.js';
import type { AttemptMark } from './attempt-marks.js';

export interface GapContext {
  /** Windows ending after this are not yet due (now minus source lag, on the cadence grid). */
  readonly horizon: number;
  /** Grid windows starting at or after this can still be read from the source. */
  readonly readableFrom: number;
  readonly retention: SourceRetention;
  readonly sourceLagMs: number;
}

/** Where the source stops holding data, as a grid boundary; mirrors `readable()` in the runner. */
export function readableFrom(retention: SourceRetention, cadenceMs: number, now: number): number {
  switch (retention.kind) {
    case 'forever':
      return Number.NEGATIVE_INFINITY;
    case 'days':
      return Math.ceil((now - retention.days * 86_400_000) / cadenceMs) * cadenceMs;
    case 'snapshot':
      // Only a window that closed less than one cadence ago can still be observed.
      return alignDown(now - 2 * cadenceMs, cadenceMs) + cadenceMs;
  }
}

function describe(context: GapContext, cause: Gap['cause'], mark: AttemptMark | undefined, start: number) {
  if (cause === 'not_yet_due') {
    const why =
      mark?.kind === 'running' ? 'collection of this window is in progress' : 'the window has not closed';
    // Every reader prints the cause ("not yet due") before the reason, so the reason says only why.
    const lag = context.sourceLagMs > 0 ? ` (source lag ${formatDuration(context.sourceLagMs)})` : '';
    return { recoverable: true, reason: `${why}${lag}` };
  }
  const recoverable = cause !== 'unrecoverable' && start >= context.readableFrom;
  const source = recoverable
    ? `the source still holds it: ${context.retention.reason}`
    : `the source no longer holds it: ${context.retention.reason}`;
  // Lost evidence is an integrity incident, not a collection hole: say what is missing and who names it.
  const reason =
    cause === 'evidence_missing'
      ? `${mark?.missing ?? 'some'} item(s) the ledger recorded for this window are not in the store (verify-store names the runs); ${source}`
      : source;
  return { recoverable, reason };
}

/**
 * Splits the uncovered parts of a period into gaps with one cause each: not yet due after the horizon,
 * else what the ledger says (unrecoverable, failed with its last code), else never attempted; and marks
 * each recoverable or not from the stream's source retention at `now`.
 */
export function classifyGaps(
  holes: readonly Window[],
  marks: readonly AttemptMark[],
  context: GapContext,
): Gap[] {
  const gaps: Gap[] = [];
  let markIndex = 0;
  for (const hole of holes) {
    while (markIndex < marks.length && marks[markIndex]!.end <= hole.start) markIndex += 1;
    const cuts = new Set<number>([hole.start, hole.end]);
    for (const at of [context.horizon, context.readableFrom])
      if (at > hole.start && at < hole.end) cuts.add(at);
    for (let index = markIndex; index < marks.length && marks[index]!.start < hole.end; index += 1) {
      const mark = marks[index]!;
      if (mark.start > hole.start) cuts.add(mark.start);
      if (mark.end < hole.end) cuts.add(mark.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    let scan = markIndex;
    for (let index = 0; index + 1 < points.length; index += 1) {
      const start = points[index]!;
      const end = points[index + 1]!;
      while (scan < marks.length && marks[scan]!.end <= start) scan += 1;
      const candidate = marks[scan];
      const mark = candidate && candidate.start <= start ? candidate : undefined;
      let cause: Gap['cause'];
      if (start >= context.horizon || mark?.kind === 'running') cause = 'not_yet_due';
      else if (mark?.kind === 'unrecoverable') cause = 'unrecoverable';
      else if (mark?.kind === 'failed') cause = 'failed';
      else if (mark?.kind === 'source_unreadable') cause = 'source_unreadable';
      else if (mark?.kind === 'evidence_missing') cause = 'evidence_missing';
      else cause = 'never_attempted';
      const errorCode =
        cause === 'failed' ||
        cause === 'unrecoverable' ||
        cause === 'source_unreadable' ||
        cause === 'evidence_missing'
          ? mark?.code
          : undefined;
      const gap: Gap = {
        start,
        end,
        cause,
        ...(errorCode ? { errorCode } : {}),
        ...describe(context, cause, mark, start),
      };
      const last = gaps[gaps.length - 1];
      if (
        last &&
        last.end === start &&
        last.cause === gap.cause &&
        last.errorCode === gap.errorCode &&
        last.recoverable === gap.recoverable &&
        last.reason === gap.reason
      )
        gaps[gaps.length - 1] = { ...last, end };
      else gaps.push(gap);
    }
  }
  return gaps;
}
