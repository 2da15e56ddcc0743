import { artefactContinuity } from '../artefacts/continuity.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import type { Registry, StreamInstance } from '../registry.js';
import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger } from '../store/run-ledger.js';
import { RejectLog } from '../store/reject-log.js';
import { alignDown, HOUR, type Window } from '../time.js';
import { activityChunks } from './activity.js';
import { storeFactsFor, summariseHours, type HourlyProof } from './hour-proofs.js';
import { classifyGaps, readableFrom } from './gaps.js';
import { clip, totalLength, uncovered } from './intervals.js';
import { scanLedger } from './ledger-scan.js';
import { mergeMarks, missingEvidenceMarks, subtractWindows } from './missing-evidence.js';
import { SilenceTracker } from './silence.js';
import { defaultLearning, silenceThreshold, type LearningOptions } from './thresholds.js';
import type { ContinuityReport, StreamContinuity } from './types.js';

export interface ContinuityOptions {
  /** Only these stream ids (unknown ids are a UsageError); artefact entries only when none are named. */
  readonly streams?: readonly string[];
  /** How silence thresholds are learned where config sets none. */
  readonly learning?: LearningOptions;
  /** Per-hour proofs checks give for their streams (`builtInProofs`), shown beside coverage. */
  readonly proofs?: readonly HourlyProof[];
  /** The period's findings (from the checks): each stream's exception count is its flagged items. */
  readonly findings?: PeriodFindings;
}

/** A snapshot is stale when the newest one is older than one missed cadence past its due time. */
async function staleSnapshot(
  store: EvidenceStore,
  stream: StreamInstance,
  period: Window,
  now: number,
): Promise<StreamContinuity['staleSnapshot']> {
  if (stream.definition.kind !== 'snapshot') return undefined;
  const lastAt = await new RunLedger(store).lastSucceededEnd(stream.id, period.end);
  const reference = Math.min(now, period.end);
  const ageMs = reference - (lastAt ?? period.start);
  return ageMs > 2 * stream.cadenceMs + stream.sourceLagMs ? { lastAt, ageMs } : undefined;
}

/** Continuity of one stream over the period, from the ledger and item counts alone. */
export async function streamContinuity(
  store: EvidenceStore,
  stream: StreamInstance,
  period: Window,
  now: number,
  learning: LearningOptions = defaultLearning,
): Promise<StreamContinuity> {
  const horizon = alignDown(now - stream.sourceLagMs, stream.cadenceMs);
  const scan = await scanLedger(store, stream.id, period, {
    now,
    staleRunningMs: Math.max(stream.cadenceMs, HOUR),
  });
  // A window whose recorded items are gone from the store is not covered, whatever the run said.
  const lost = await missingEvidenceMarks(store, stream.id, period);
  const covered = subtractWindows(clip(scan.covered, period), lost);
  const gaps = classifyGaps(uncovered(period, covered), mergeMarks(scan.marks, lost), {
    horizon,
    readableFrom: readableFrom(stream.retention, stream.cadenceMs, now),
    retention: stream.retention,
    sourceLagMs: stream.sourceLagMs,
  });
  // Coverage is judged over the part of the period that is due: a period reaching into today is
  // not "incomplete" for windows that have not closed yet (they are listed as not_yet_due gaps).
  const dueEnd = Math.min(Math.max(horizon, period.start), period.end);
  const due = dueEnd - period.start;
  const coveredDue = totalLength(clip(covered, { start: period.start, end: dueEnd }));
  const coveragePercent = due > 0 ? Math.floor((coveredDue / due) * 100_000) / 1_000 : 100;

  const threshold = await silenceThreshold(store, stream, period.start, learning);
  const tracker = new SilenceTracker(covered, stream.cadenceMs, threshold.ms);
  let itemCount = 0;
  for await (const chunk of activityChunks(store, stream.id, period, stream.cadenceMs)) {
    itemCount += chunk.items;
    for (const start of chunk.active) tracker.active(start);
  }
  return {
    stream: stream.id,
    kind: stream.definition.kind,
    criteria: stream.criteria,
    period,
    coveragePercent,
    covered,
    gaps,
    silent: tracker.finish(),
    staleSnapshot: await staleSnapshot(store, stream, period, now),
    itemCount,
    // Findings come from the checks; the report carries them only when its caller judged the period.
    exceptionCount: 0,
    rejected: await rejectedIn(store, stream.id, period),
    silenceThresholdMs: threshold.ms,
    silenceThresholdSource: threshold.source,
  };
}

async function rejectedIn(store: EvidenceStore, stream: string, period: Window) {
  const counts = (await new RejectLog(store).countsByStream(period, [stream])).get(stream);
  return {
    records: counts?.records ?? 0,
    files: counts?.files ?? 0,
    conflictingDuplicates: counts?.conflictingDuplicates ?? 0,
  };
}

/** Whether an entry proves continuity: no gap that was due, nothing silent. */
export function isComplete(entry: StreamContinuity): boolean {
  return entry.gaps.every((gap) => gap.cause === 'not_yet_due') && entry.silent.length === 0;
}

/**
 * Continuity of every (or the named) stream over `period`, judged at `now`, plus the expected ISO
 * artefacts (a missing quarterly review is a gap like any other). Reads the ledger and item counts only.
 */
export async function buildContinuityReport(
  store: EvidenceStore,
  registry: Registry,
  period: Window,
  now: number,
  options: ContinuityOptions = {},
): Promise<ContinuityReport> {
  const named = options.streams?.length ? options.streams : undefined;
  const streams = named ? named.map((id) => registry.stream(id)) : registry.streams;
  const entries: StreamContinuity[] = [];
  for (const stream of streams) {
    const entry = await streamContinuity(store, stream, period, now, options.learning);
    const proof = options.proofs?.find((candidate) => candidate.stream === stream.id);
    const flagged = options.findings?.flaggedItemsByStatus(stream.id);
    const judged = flagged ? { ...entry, exceptionCount: flagged.deviation, flagged } : entry;
    entries.push(
      proof
        ? {
            ...judged,
            proof: summariseHours(
              proof.title,
              await proof.hours(storeFactsFor(store, proof.streams), period),
            ),
          }
        : judged,
    );
  }
  if (!named) entries.push(...(await artefactContinuity(store, period, now)));
  return { period, generatedAt: now, streams: entries, complete: entries.every(isComplete) };
}
